#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and redis-server for the tests (and for trying the database
# examples by hand): started on loopback from a temporary directory, stopped and
# removed at the end. ctest runs `start` before the database tests and `stop` after
# them (tests/CMakeLists.txt); scripts/setup.sh installs both servers.
#
#   scripts/test_services.sh start STATE_DIR     start both; write STATE_DIR/env
#   scripts/test_services.sh stop STATE_DIR      stop both; remove their files
#   scripts/test_services.sh restart-postgres STATE_DIR   (pg_ctl restart: fault tests)
#   scripts/test_services.sh stop-postgres STATE_DIR / start-postgres STATE_DIR
#   scripts/test_services.sh stop-redis STATE_DIR / start-redis STATE_DIR
#
# STATE_DIR/env holds KEY=VALUE lines the tests read (tests/support/test_services.hpp):
#   COGI_TEST_DATABASE_URL   postgresql://postgres@127.0.0.1:PORT/cogi_test
#   COGI_TEST_HELLO_WORLD_URL the TechEmpower database (hello_world), filled by
#                            scripts/techempower_db.sh when it exists
#   COGI_TEST_REDIS_HOST / COGI_TEST_REDIS_PORT
#
# PostgreSQL runs with fsync off (a test database: speed over durability) and
# pg_stat_statements loaded (the TechEmpower checks count queries with it). initdb
# refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

command=${1:?usage: test_services.sh start|stop|restart-postgres|stop-postgres|start-postgres STATE_DIR}
state=${2:?usage: test_services.sh $command STATE_DIR}
script_dir=$(cd "$(dirname "$0")" && pwd)

pg_bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -n "$pg_bin" ] || { echo "test_services: PostgreSQL 15 is not installed (scripts/setup.sh)" >&2; exit 1; }

as_db_user=()
if [ "$(id -u)" -eq 0 ]; then as_db_user=(runuser -u postgres --); fi

# A free loopback port, chosen by the kernel.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The services' files live in a short /tmp directory (Unix socket paths are limited to
# 107 bytes); STATE_DIR/root names it.
root_dir() { cat "$state/root"; }

pg_ctl() {
  local root; root=$(root_dir)
  "${as_db_user[@]}" "$pg_bin/pg_ctl" -D "$root/pgdata" -l "$root/postgres.log" -w -t 60 "$@"
}

start_postgres() { pg_ctl start >/dev/null; }

start_redis() {
  local root port i
  root=$(root_dir)
  port=$(cat "$root/redis.port")
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$root/redis.pid" --logfile "$root/redis.log" --dir "$root"
  # Started when it answers (redis-server daemonizes before it listens).
  for i in $(seq 1 200); do
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.05
  done
  echo "test_services: redis-server did not answer" >&2
  cat "$root/redis.log" >&2
  exit 1
}

stop_redis() {
  local root port
  root=$(root_dir)
  port=$(cat "$root/redis.port")
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  # Stopped when its pid file is gone (redis removes it on exit).
  local i
  for i in $(seq 1 200); do
    [ -f "$root/redis.pid" ] || return 0
    sleep 0.05
  done
}
stop_postgres() { pg_ctl stop -m fast >/dev/null; }

start() {
  mkdir -p "$state"
  if [ -f "$state/root" ] && [ -d "$(root_dir)" ]; then stop; fi
  local root; root=$(mktemp -d /tmp/cogi-services.XXXXXX)
  chmod 755 "$root"
  echo "$root" >"$state/root"
  [ ${#as_db_user[@]} -eq 0 ] || chown postgres: "$root"

  local pg_port redis_port
  pg_port=$(free_port)
  redis_port=$(free_port)

  "${as_db_user[@]}" "$pg_bin/initdb" -D "$root/pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; exit 1; }
  cat >>"$root/pgdata/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$root'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
  start_postgres || { cat "$root/postgres.log" >&2; exit 1; }
  "${as_db_user[@]}" "$pg_bin/psql" -q -h "$root" -p "$pg_port" -U postgres -d postgres \
    -c "CREATE DATABASE cogi_test" -c "CREATE DATABASE hello_world" >/dev/null
  for db in cogi_test hello_world; do
    "${as_db_user[@]}" "$pg_bin/psql" -q -h "$root" -p "$pg_port" -U postgres -d "$db" \
      -c "CREATE EXTENSION pg_stat_statements" >/dev/null
  done
  if [ -x "$script_dir/techempower_db.sh" ]; then
    "$script_dir/techempower_db.sh" "postgresql://postgres@127.0.0.1:$pg_port/hello_world" >/dev/null
  fi

  echo "$redis_port" >"$root/redis.port"
  start_redis

  cat >"$state/env" <<EOF
COGI_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$pg_port/cogi_test
COGI_TEST_HELLO_WORLD_URL=postgresql://postgres@127.0.0.1:$pg_port/hello_world
COGI_TEST_REDIS_HOST=127.0.0.1
COGI_TEST_REDIS_PORT=$redis_port
EOF
}

stop() {
  [ -f "$state/root" ] || return 0
  local root; root=$(root_dir)
  if [ -d "$root" ]; then
    if [ -f "$root/redis.pid" ] && [ -f "$root/redis.port" ]; then stop_redis; fi
    if [ -f "$root/pgdata/postmaster.pid" ]; then pg_ctl stop -m immediate >/dev/null 2>&1 || true; fi
    # A server's last files may still be going away as it exits.
    local i
    for i in 1 2 3 4 5; do
      rm -rf "$root" 2>/dev/null && break
      sleep 0.2
    done
    [ ! -d "$root" ] || { echo "test_services: could not remove $root" >&2; exit 1; }
  fi
  rm -f "$state/root" "$state/env"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  restart-postgres) pg_ctl restart -m fast >/dev/null ;;
  stop-postgres) stop_postgres ;;
  start-postgres) start_postgres ;;
  stop-redis) stop_redis ;;
  start-redis) start_redis ;;
  *) echo "test_services: unknown command '$command'" >&2; exit 2 ;;
esac
