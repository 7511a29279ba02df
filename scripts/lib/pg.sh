# A private PostgreSQL cluster from Debian's binaries, in a folder of our choosing.
# shellcheck shell=bash

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL is not installed (run scripts/setup)" >&2; return 1; }
  echo "$dir"
}

# initdb and postgres refuse to run as root: as root, run them as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DATADIR PORT: creates the cluster when needed and starts it on 127.0.0.1:PORT only,
# with no Unix socket (a long path would not fit one).
pg_start() {
  local dir=$1 port=$2 bin
  bin=$(pg_bindir)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    echo "PostgreSQL already running in $dir" >&2
    return 0
  fi
  # TLS as in production (sslmode=require must connect): a self-signed certificate of its own.
  if [ ! -f "$dir/server.crt" ]; then
    as_pg openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
      -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
    as_pg chmod 600 "$dir/server.key"
  fi
  as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories= -c fsync=${PG_FSYNC:-on} -c ssl=on" \
    start >/dev/null
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bindir)
  if as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
  fi
}

# pg_create_db PORT NAME: creates the database unless it exists.
pg_create_db() {
  local port=$1 name=$2 bin
  bin=$(pg_bindir)
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" postgres | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}
