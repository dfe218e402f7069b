#!/usr/bin/env bash
# The installed package works on its own: build the wheel, install it in a new virtualenv outside the checkout,
# then migrate a new SQLite database, seed the demo data and serve from an empty directory until /readyz is 200.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$checkout"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/*.whl

mkdir "$work/site" && cd "$work/site"
export KAWAL_SECRET_KEY="package-check-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export KAWAL_DATABASE_URL="sqlite:///$work/site/kawal.db"
"$work/venv/bin/kawal" db upgrade
"$work/venv/bin/kawal" seed-demo
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$work/venv/bin/kawal" serve --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  if python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())' \
       "http://127.0.0.1:$port/readyz" > "$work/ready.json" 2>/dev/null; then
    echo "installed package ready: $(cat "$work/ready.json")"
    exit 0
  fi
  sleep 1
done
echo "the installed package did not become ready; its log:" >&2
cat "$work/serve.log" >&2
exit 1
