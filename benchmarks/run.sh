#!/usr/bin/env bash
# `make bench` / `make bench-full`: every benchmark. The PostgreSQL figures (two processes against one, digests,
# reminders, the pipeline) are taken on a throw-away server started for the run when Debian's postgresql is
# installed and KAWAL_BENCH_POSTGRES_URL is not set; without either, those runs print "skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${KAWAL_BENCH_POSTGRES_URL:-}" ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  export PG_PORT="${KAWAL_BENCH_POSTGRES_PORT:-54339}"
  source .ci/postgres.sh
  start_postgres
  trap stop_postgres EXIT
  export KAWAL_BENCH_POSTGRES_URL="$POSTGRES_URL"
fi
.venv/bin/python -m benchmarks "$@"
