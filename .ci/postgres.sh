# Start and stop a throw-away PostgreSQL server on a private port (used by .ci/run
# and by `make test-postgres`). Sets POSTGRES_URL.
PG_PORT="${PG_PORT:-54329}"

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d /tmp/kawal-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres kawal_test
  PG_CTL=("${as[@]}" "$bin/pg_ctl")
  POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/kawal_test"
  export POSTGRES_URL
  echo "PostgreSQL started on port $PG_PORT"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_CTL[@]}" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
