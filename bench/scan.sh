#!/usr/bin/env bash
# `make scan`: real scanners against the portal on 127.0.0.1, with DEBUG off as in production.
#
# A scratch PostgreSQL database (wc_scan, dropped and created anew), migrate, collectstatic, the
# demo data, gunicorn on a free port; then wapiti anonymously and logged in as the demo Lotse,
# and sqlmap on the public intake form and on the case search (logged in). Reports go to
# var/scan/ (not committed); the summary at the end fails (exit 1) on a wapiti finding of high
# or critical level, on a 500, or on an injection found by sqlmap. About 10 to 12 minutes.
# Only 127.0.0.1 is ever a target; wapiti's ssrf and xxe modules are left out because they
# call a server outside.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wapiti >/dev/null || { echo "wapiti missing: apt-get install wapiti" >&2; exit 2; }
command -v sqlmap >/dev/null || { echo "sqlmap missing: apt-get install sqlmap" >&2; exit 2; }

PY=.venv/bin/python
OUT=var/scan
DB=${SCAN_DATABASE:-wc_scan}
PGURL=${SCAN_PG:-postgres://postgres@127.0.0.1:5432}
PASSWORD=scan-demo-password-$RANDOM-$RANDOM
LOTSE=lotse@demo.welcome-center.example
# wapiti's crawl budget in seconds; each attack module then gets at most 12 seconds.
CRAWL_ANONYMOUS=${SCAN_CRAWL_ANONYMOUS:-60}
CRAWL_LOTSE=${SCAN_CRAWL_LOTSE:-75}

rm -rf "$OUT" && mkdir -p "$OUT/var"
# The server's own state: its database, a file cache (sessions, rate limits) and the
# filesystem broker under var/scan/var, nothing shared with development or tests.
export DATABASE_URL="$PGURL/$DB" VAR_DIR="$PWD/$OUT/var" REDIS_URL="" DEBUG=false HTTPS=false
export ALLOWED_HOSTS=127.0.0.1 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
# A scanner sends thousands of intakes; the per-address limit (10 an hour) would answer all
# but the first ones with 429 and hide the form from the attacks.
export INTAKE_RATE_LIMIT=1000000
# The scanners log in with a password only: without this the demo Lotse would reach nothing but
# the two-factor setup, and the logged-in scan would test one page. The second factor itself is
# tested in tests/test_hardening.py and tests/security/test_login.py.
export MFA_REQUIRED=false

echo "== database $DB"
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo --password "$PASSWORD" >"$OUT/seed.log"

PORT=$($PY bench/scan_helper.py free-port)
BASE="http://127.0.0.1:$PORT"
echo "== gunicorn on $BASE (DEBUG off)"
.venv/bin/gunicorn welcome_center.wsgi -b "127.0.0.1:$PORT" -w 2 --timeout 60 \
  --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" \
  >>"$OUT/gunicorn.log" 2>&1 &
SERVER=$!
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap stop_server EXIT
for _ in $(seq 50); do
  curl -fs -o /dev/null "$BASE/" && break
  sleep 0.2
done
curl -fsS -o /dev/null "$BASE/" || { echo "gunicorn did not start" >&2; exit 2; }

# Not blindsql: its time-based payloads ignore --max-attack-time and take many minutes on 200
# forms; time-based blind injection is sqlmap's part below, on the intake and the search.
WAPITI_MODULES=xss,permanentxss,sql,exec,file,crlf,redirect,http_headers,cookieflags,csp,csrf
wapiti_run() {  # name, crawl seconds, then wapiti's further arguments
  local name=$1 crawl=$2; shift 2
  echo "== wapiti ($name)"
  # Bounded: the fresh CSRF token of each form page makes an unbounded crawl endless. The CSRF
  # token is sent as the form gave it, not attacked (else every attack ends at the CSRF check),
  # and the honeypot stays empty (else the intake silently stores nothing).
  # --max-scan-time bounds the crawl; the timeout is a last resort (it loses the report).
  timeout $((crawl + 300)) /usr/bin/python3 bench/wapiti.py -u "$BASE/" --scope folder \
    -d 2 --max-files-per-dir 5 --max-links-per-page 20 --max-scan-time "$crawl" \
    --max-attack-time 12 -m "$WAPITI_MODULES" --flush-session --no-bugreport -v 0 \
    --skip csrfmiddlewaretoken --skip website \
    -f json -o "$OUT/wapiti-$name.json" "$@" >"$OUT/wapiti-$name.log" 2>&1 \
    || echo "   wapiti ($name) exited with $? (see $OUT/wapiti-$name.log)"
}

# Each tool logs in on its own, so that one tool's doings cannot end the other's session; both
# before the anonymous scan, whose attacks on the login form trip its rate limit (429 for all
# logins from 127.0.0.1 for a minute).
$PY bench/scan_helper.py login "$BASE" "$LOTSE" "$PASSWORD" "$OUT/lotse-cookies.json" >/dev/null
COOKIE=$($PY bench/scan_helper.py login "$BASE" "$LOTSE" "$PASSWORD" "$OUT/sqlmap-cookies.json")

wapiti_run anonymous "$CRAWL_ANONYMOUS"
# Not the account pages: logging out or changing the password would end the scan's session
# (bench/wapiti.py mends wapiti's -x, which crashes on Python 3.11).
wapiti_run lotse "$CRAWL_LOTSE" -c "$OUT/lotse-cookies.json" -x "$BASE/accounts/*" -x "$BASE/i18n/*" \
  -s "$BASE/cases/?owner=me&status=open" -s "$BASE/triage/"

SQLMAP=(sqlmap --batch --risk 1 --time-sec 2 --disable-coloring --output-dir "$OUT/sqlmap")
# The intake's fields that reach a WHERE clause (the duplicate search matches names and
# e-mail); the others are only inserted. A valid intake costs a GET for the CSRF token and a
# POST that stores a newcomer: about 90 s per field on two busy cores, and no threads.
echo "== sqlmap (intake form)"
timeout 420 "${SQLMAP[@]}" --level 1 -u "$BASE/intake/" -p first_name,last_name,email \
  --data "$($PY bench/scan_helper.py intake-data)" --csrf-token csrfmiddlewaretoken \
  >"$OUT/sqlmap-intake.log" 2>&1 || echo "   sqlmap (intake) exited with $?"
# The search text and the sort order are the parameters that shape SQL; status, owner and the
# other filters are choices the filter form refuses (400) unless they are on its list.
echo "== sqlmap (case search, logged in)"
timeout 300 "${SQLMAP[@]}" --level 2 --threads 2 --cookie "$COOKIE" -p q,sort \
  -u "$BASE/cases/?q=Haddad&status=open&sort=reference&page=1" \
  >"$OUT/sqlmap-search.log" 2>&1 || echo "   sqlmap (search) exited with $?"

stop_server
trap - EXIT
$PY bench/scan_helper.py summary "$OUT"
