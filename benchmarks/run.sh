#!/usr/bin/env bash
# `make bench`: BRI Tracker against Datasette on the same synthetic data, then PostgreSQL.
#
# Knobs (environment):
#   BENCH_SIZES="10000 100000 1000000"   projects per run (each size gets its own database)
#   BENCH_DURATION=10                     seconds of wrk load per query
#   BENCH_CONNECTIONS=16 BENCH_THREADS=2  wrk's -c and -t
#   BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench  ("" skips PostgreSQL)
#   BENCH_LABEL=latest                    results go to benchmarks/results/$BENCH_LABEL.{json,md}
# Quick run: BENCH_SIZES=10000 BENCH_DURATION=3 make bench
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
APP_PY=.venv/bin/python
BENCH_VENV=benchmarks/.venv

if [ ! -x "$APP_PY" ]; then
  echo "bench: the app's venv is missing; run 'make install' (or 'make bench', which does)" >&2
  exit 2
fi

# Datasette and the profiler live in a venv of their own, never in the app's dependencies.
if [ ! -x "$BENCH_VENV/bin/datasette" ] \
  || [ benchmarks/requirements.txt -nt "$BENCH_VENV/.installed-stamp" ]; then
  echo "bench: installing benchmarks/requirements.txt into $BENCH_VENV"
  "$PYTHON" -m venv "$BENCH_VENV"
  "$BENCH_VENV/bin/pip" install --quiet --upgrade pip
  "$BENCH_VENV/bin/pip" install --quiet -r benchmarks/requirements.txt
  touch "$BENCH_VENV/.installed-stamp"
fi

# wrk, the load generator, from the distribution.
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; }
fi

# PostgreSQL: start the local server when it is installed but down.
if [ -n "${BENCH_POSTGRES_URL-postgresql}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q && command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

exec "$APP_PY" -m benchmarks.bench "$@"
