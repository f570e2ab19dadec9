#!/usr/bin/env bash
# The load run behind the figures in README.md ("Performance"): for each database and case count,
#   - generates the load data set (`demo --cases N`) and times it,
#   - starts the release server and times its start-up on that existing database,
#   - counts the SQL statements of one request per page (the server's `--count-sql` header),
#   - runs wrk at 1, 16 and 64 connections against the case register (first page, a filtered
#     page, last year's cases and a name search), a case page, the deadlines overview and the
#     start pages, signed in as the right user, and the reference server
#     (benches/referentie.rs) on the same database,
#   - reads the server's resident memory idle and at the end of the 64-connection runs,
#   - on PostgreSQL, starts a second instance on the same database and runs wrk against both at
#     once (the register page, 16 connections each), next to one instance at 32 connections.
# It prints one Markdown table per data set.
#
# Usage: benches/load-run.sh [--cases "1000 100000"] [--backends "sqlite postgres"] [--duration 10s]
#                            [--open K]
# --open K generates about K open cases whatever the case count (`demo --open`), so the history
# grows while the workload stays put.
# Needs wrk (apt-get install wrk), curl, and for PostgreSQL a server at 127.0.0.1:5432 (user
# postgres, trust auth), where it creates and drops the databases kc_load_<N>.
set -euo pipefail
cd "$(dirname "$0")/.."

CASES="1000 100000"
BACKENDS="sqlite postgres"
DURATION="10s"
OPEN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES="$2"; shift 2 ;;
    --backends) BACKENDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --open) OPEN="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

TARGET="${CARGO_TARGET_DIR:-target}"
# KC_BIN and KC_REF name other builds of the two binaries (to try the script on a debug build).
if [ -z "${KC_BIN:-}" ]; then
  KC_REF="$(cargo build --release --bin klachtencommissie --bench referentie --message-format=json 2>/dev/null \
    | grep '"name":"referentie"' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n1)"
fi
BIN="${KC_BIN:-$TARGET/release/klachtencommissie}"
REF="${KC_REF:-}"
[ -x "$BIN" ] && [ -x "$REF" ] || { echo "release binaries not found ($BIN, $REF)" >&2; exit 1; }

PORT=3198
REF_PORT=3199
SECOND_PORT=3197
BASE="http://127.0.0.1:$PORT"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

wait_up() { # url -> seconds until it answers
  local start; start=$(date +%s.%N)
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$1" && { echo "$(date +%s.%N) - $start" | bc; return; }
    sleep 0.05
  done
  echo "server at $1 did not come up" >&2; exit 1
}

login_cookie() { # email -> "Cookie:" header value with the session
  local jar; jar=$(mktemp)
  local csrf
  csrf=$(curl -fs -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=$1" --data-urlencode "password=welkom-demo" "$BASE/login"
  sed -n 's/^#HttpOnly_//; /^#/d; /^$/d; p' "$jar" | awk -F'\t' '{ printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }'
  rm -f "$jar"
}

# wrk: "req/s | p50 | p99" for a URL with a cookie at a number of connections.
measure() { # url cookie connections
  local threads=2; [ "$3" -lt 2 ] && threads=1
  local out
  out=$(wrk -t"$threads" -c"$3" -d"$DURATION" --latency -H "Cookie: $2" "$1")
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  echo "$rps | $p50 | $p99"
}

queries() { # path cookie -> number of SQL statements of one request (the server's count)
  curl -fs -o /dev/null -H "Cookie: $2" "$BASE$1" # warm: the idle clock of the session
  curl -fs -D - -o /dev/null -H "Cookie: $2" "$BASE$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-sql-statements" { print $2 }'
}

for backend in $BACKENDS; do
  for n in $CASES; do
    dir=$(mktemp -d)
    if [ "$backend" = postgres ]; then
      db="kc_load_$n"
      psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" postgres
      export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
    else
      unset DATABASE_URL
    fi
    gen_start=$(date +%s.%N)
    "$BIN" demo --cases "$n" ${OPEN:+--open "$OPEN"} --data-dir "$dir" >/dev/null 2>"$dir/demo.log"
    gen=$(echo "$(date +%s.%N) - $gen_start" | bc)

    "$BIN" serve --data-dir "$dir" --bind "127.0.0.1:$PORT" --no-demo --count-sql --log-level warn \
      2>"$dir/server.log" >/dev/null &
    pid=$!; PIDS+=("$pid")
    startup=$(wait_up "$BASE/health")
    sleep 1
    idle=$(rss_mb "$pid")
    url="${DATABASE_URL:-$(printf 'sqlite://%s/klachtencommissie.db?mode=rwc' "$dir")}"
    "$REF" --database-url "$url" --bind "127.0.0.1:$REF_PORT" >/dev/null 2>&1 &
    ref_pid=$!; PIDS+=("$ref_pid")
    wait_up "http://127.0.0.1:$REF_PORT/zaken" >/dev/null

    sec=$(login_cookie secretaris@demo.nl)
    board=$(login_cookie bestuur@demo.nl)
    zaak=$(curl -fs -H "Cookie: $sec" "$BASE/zaken" | sed -n 's/.*href="\/zaken\/\([0-9]\{4\}-[0-9]*\)".*/\1/p' | head -n1)
    school=$(curl -fs -H "Cookie: $sec" "$BASE/zaken" | sed -n 's/.*<option value="\([0-9]*\)".*/\1/p' | head -n1)
    pages=(
      "Zakenregister, eerste pagina|/zaken|$sec"
      "Zakenregister, gefilterd|/zaken?status=zitting_gepland&school=$school|$sec"
      "Zakenregister, vorig jaar|/zaken?year=$(($(date +%Y) - 1))|$sec"
      "Zaakpagina|/zaken/$zaak|$sec"
      "Zakenregister, gezocht op naam|/zaken?q=jan|$sec"
      "Termijnen|/termijnen|$sec"
      "Startpagina secretaris|/|$sec"
      "Bestuursportaal|/|$board"
    )
    echo
    echo "### $backend, $n generated cases${OPEN:+, about $OPEN of them open} (plus the demo)"
    echo
    echo "Load data: $(printf '%.1f' "$gen") s; start-up on it: $(printf '%.2f' "$startup") s; resident memory idle: $idle MB."
    echo
    echo "| page | SQL statements | 1 conn: req/s, p50, p99 | 16 conn: req/s, p50, p99 | 64 conn: req/s, p50, p99 |"
    echo "|---|---|---|---|---|"
    peak=0
    for entry in "${pages[@]}"; do
      IFS='|' read -r label path cookie <<<"$entry"
      q=$(queries "$path" "$cookie")
      row="| $label | $q"
      for c in 1 16 64; do
        row="$row | $(measure "$BASE$path" "$cookie" "$c")"
      done
      r=$(rss_mb "$pid"); [ "$r" -gt "$peak" ] && peak=$r
      echo "$row |"
    done
    ours=$(measure "$BASE/zaken" "$sec" 16 | cut -d'|' -f1 | tr -d ' ')
    ref=$(measure "http://127.0.0.1:$REF_PORT/zaken" "" 16 | cut -d'|' -f1 | tr -d ' ')
    echo "| Referentie (axum + maud, één query) | 1 | | $ref req/s | |"
    echo
    echo "Register page at 16 connections: $ours req/s against the reference's $ref req/s (ratio $(echo "scale=2; $ours / $ref" | bc)). Resident memory after the load: $peak MB."
    kill "$ref_pid"; wait "$ref_pid" 2>/dev/null || true
    if [ "$backend" = postgres ]; then
      # Two instances side by side on one database (their own data directories, one session key,
      # so a session from one is valid on the other), against one instance with as many
      # connections. Both share the machine's two cores with wrk and PostgreSQL.
      mkdir -p "$dir/second"; cp "$dir/session-signing.key" "$dir/second/"
      "$BIN" serve --data-dir "$dir/second" --bind "127.0.0.1:$SECOND_PORT" --no-demo --log-level warn \
        2>"$dir/second.log" >/dev/null &
      second=$!; PIDS+=("$second")
      wait_up "http://127.0.0.1:$SECOND_PORT/health" >/dev/null
      single=$(measure "$BASE/zaken" "$sec" 32 | cut -d'|' -f1 | tr -d ' ')
      a_out=$(mktemp); b_out=$(mktemp)
      measure "$BASE/zaken" "$sec" 16 >"$a_out" & a=$!
      measure "http://127.0.0.1:$SECOND_PORT/zaken" "$sec" 16 >"$b_out" & b=$!
      wait "$a" "$b"
      a_rps=$(cut -d'|' -f1 "$a_out" | tr -d ' '); b_rps=$(cut -d'|' -f1 "$b_out" | tr -d ' ')
      echo
      echo "Two instances on this database, register page, 16 connections each: $a_rps + $b_rps = $((a_rps + b_rps)) req/s (p99 $(cut -d'|' -f3 "$a_out" | tr -d ' ') and $(cut -d'|' -f3 "$b_out" | tr -d ' ')); one instance at 32 connections: $single req/s."
      rm -f "$a_out" "$b_out"
      kill "$second"; wait "$second" 2>/dev/null || true
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
    PIDS=()
    if [ "$backend" = postgres ]; then
      psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS kc_load_$n WITH (FORCE)" postgres
    fi
    rm -rf "$dir"
  done
done
