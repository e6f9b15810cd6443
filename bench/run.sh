#!/usr/bin/env bash
# `make bench`: the benchmarks of the issues, on PostgreSQL. They print figures; none fails on
# time. Uses DATABASE_URL if set, else a scratch database `welcome_center_bench` on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/welcome_center_bench}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/14}"
db="${DATABASE_URL##*/}"
psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "create database $db"
.venv/bin/python manage.py migrate -v0
.venv/bin/python bench/intake.py
# Every benchmark after this one runs on the scaled demo data (skip rebuilding it with
# BENCH_KEEP_DATA=1 when it is already there). ANALYZE: fresh planner statistics after bulk
# inserts, as autovacuum would give them a minute later.
if [ -z "${BENCH_KEEP_DATA:-}" ]; then
  .venv/bin/python manage.py seed_demo --scale "${BENCH_SCALE:-100000}" --flush --password bench-password-123
fi
psql "$DATABASE_URL" -qc "ANALYZE"
.venv/bin/python bench/workspace.py
# Matching (issue 7): one need against every newcomer (50,000 at BENCH_SCALE=125000).
.venv/bin/python bench/matching.py
