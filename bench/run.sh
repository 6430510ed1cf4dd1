#!/usr/bin/env bash
# Plaza's benchmarks in one command: builds Release, measures the machine's ceiling (a bare
# ASP.NET Core app) and the Plaza node on 127.0.0.1 with wrk, and writes
# bench/results/<date>-<commit>.md and bench/results/latest.md.
#
# Every load is bounded (BENCH_DURATION seconds per scenario, a short warm-up before it) and
# targets 127.0.0.1 only; everything started here is stopped by its process id on exit.
#
#   BENCH_DURATION=12  BENCH_CONNECTIONS=64  BENCH_THREADS=2  bench/run.sh
#   BENCH_SOAK=600 bench/run.sh   adds the soak: that many seconds at ~70 % of the measured order
#                                 rate on SQLite, with the node's memory and open files sampled
#   bench/run.sh large            only the large node (bench/large.sh): 1,000 shops × 50 items and
#                                 1,000,000 orders seeded, menu reads and orders across shops beside
#                                 the small node, owner reports timed; bench/results/latest-large-*.md
#   bench/run.sh compare [base]   before and after a change (bench/compare.sh): <base> (default HEAD~1)
#                                 and the working tree alternate, round after round, on the menu page
#                                 and guest orders; bench/results/<date>-compare-<base>-<head>.md
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = large ]; then
  exec bench/large.sh
fi
if [ "${1:-}" = compare ]; then
  shift
  exec bench/compare.sh "$@"
fi
root=$PWD
duration=${BENCH_DURATION:-12}
warmup=${BENCH_WARMUP:-3}
# Order placement warms up longer: its code reaches the runtime's optimised tier only after ~10–20 s of load (tiered
# compilation with dynamic PGO; measured 2026-12-05: 1,669 → 3,133 → 3,906 orders/s in three 6 s runs back to back), and a
# node that takes orders runs for weeks, so the steady state is the figure that matters.
write_warmup=${BENCH_WRITE_WARMUP:-15}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
work=$(mktemp -d /tmp/plaza-bench.XXXXXX)
chmod 755 "$work"
pids=()
pg_data=""
pg_bin=""

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*" >&2; }

# --- tools ---------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    step "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
fi
# Lighthouse 12.2.3, pinned in bench/lighthouse/package.json (13 needs Node 22).
if [ ! -x bench/lighthouse/node_modules/.bin/lighthouse ]; then
  step "installing lighthouse (npm)"
  (cd bench/lighthouse && npm ci --no-audit --no-fund >/dev/null)
fi
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required (apt-get install curl)." >&2; exit 1; }

# --- build -----------------------------------------------------------------------------------
step "publishing Release builds"
dotnet publish src/Plaza -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/plaza" >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }
dotnet publish bench/Ceiling -c Release -o "$work/ceiling" >>"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }

# --- helpers ---------------------------------------------------------------------------------
free_port() {
  local candidate
  for candidate in $(seq "$1" "$(($1 + 200))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo "No free port from $1." >&2; exit 1
}

# start_app <dir> <dll> <log> <args...>: starts a .NET app in <dir>, sets $started to its pid.
start_app() {
  local dir=$1 dll=$2 log=$3
  shift 3
  (cd "$dir" && exec dotnet "$dll" "$@") >"$log" 2>&1 &
  started=$!
  pids+=("$started")
}

stop_app() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# wait_ok <url> <seconds>: polls until the URL answers 200.
wait_ok() {
  local deadline=$(($(date +%s) + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "No answer from $1 within $2 s." >&2; return 1; }
    sleep 0.02
  done
}

rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
peak_mb() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# Resets the kernel's peak-RSS mark (VmHWM) so each scenario reports its own peak.
reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }

rows=()
declare -A rps_of

# load <name> <pid> <url> <script> [wrk args...]: warm-up, then the measured run; appends a row.
load() {
  local name=$1 pid=$2 url=$3 script=$4
  shift 4
  step "$name"
  # Each wrk run gets its own BENCH_RUN, so order keys of the warm-up are never replayed by the measured run.
  BENCH_RUN="w$(date +%s%N)" wrk -t"$threads" -c"$connections" -d"${LOAD_WARMUP:-$warmup}s" --timeout 5s -s "$root/bench/scripts/$script" "$@" "$url" >/dev/null
  reset_peak "$pid"
  local out
  out=$(BENCH_RUN="m$(date +%s%N)" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s -s "$root/bench/scripts/$script" "$@" "$url")
  echo "$out" | grep -v '^RESULT' >&2
  local result
  result=$(echo "$out" | grep '^RESULT')
  read -r _ rps p50 p99 errors requests <<<"$result"
  rps_of[$name]=$rps
  rows+=("$name|$rps|$p50|$p99|$errors|$requests|$(peak_mb "$pid")")
}

export BENCH_SCRIPTS=$root/bench/scripts
export BENCH_RUN=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- ceiling -----------------------------------------------------------------------------------
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ceiling_port=$(free_port 5800)
ceiling_url="http://127.0.0.1:$ceiling_port"
# The ceiling app's cold start: process start to its first answer, measured as Plaza's restart is below.
step "ceiling: cold start (5 starts)"
ceiling_starts=()
for n in 1 2 3 4 5; do
  t0=$(date +%s%N)
  start_app "$work/ceiling" Ceiling.dll "$work/ceiling.log" --urls "$ceiling_url"
  wait_ok "$ceiling_url/json" 30
  t1=$(date +%s%N)
  stop_app "$started"
  ceiling_starts+=("$(((t1 - t0) / 1000000))")
done
ceiling_start_ms=$(printf '%s\n' "${ceiling_starts[@]}" | median)
echo "ceiling cold start: ${ceiling_starts[*]} ms (median $ceiling_start_ms)" >&2
start_app "$work/ceiling" Ceiling.dll "$work/ceiling.log" --urls "$ceiling_url"
ceiling_pid=$started
wait_ok "$ceiling_url/json" 30
load "ceiling: 20 KB page" "$ceiling_pid" "$ceiling_url/page" get.lua
load "ceiling: minimal JSON" "$ceiling_pid" "$ceiling_url/json" get.lua
stop_app "$ceiling_pid"
# The durable write ceiling: the same app storing an order-shaped row set per request with group commit, on a
# SQLite file of this disk with Plaza's settings (WAL, synchronous=FULL); PostgreSQL's is measured beside Plaza's below.
start_app "$work/ceiling" Ceiling.dll "$work/ceiling.log" --urls "$ceiling_url" --Sqlite="$work/ceiling.db"
ceiling_pid=$started
wait_ok "$ceiling_url/json" 30
BENCH_ORDER_PATH=/order BENCH_ORDER_BODY='{}' LOAD_WARMUP=$write_warmup load "ceiling: durable orders, SQLite" "$ceiling_pid" "$ceiling_url" order.lua
stop_app "$ceiling_pid"

# --- Plaza on SQLite -----------------------------------------------------------------------------
node_port=$(free_port 5900)
node_url="http://127.0.0.1:$node_port"
# A published node is Production: it seeds the demo shop only when asked (Plaza:Demo) and writes the
# demo login to its data directory, not to the log. The board scenario holds BENCH_BOARD_STREAMS
# streams as one person, far above what one person may hold by default.
node_args=(--urls "$node_url" --Plaza:Demo=true --Plaza:RateLimits:OrdersPerMinute=100000000 --Plaza:Limits:BoardStreamsPerUser=100000 --Plaza:Backup:Interval=0)

# Cold start: process start to the first menu page served. "First start" is an empty data
# directory (migrations and the demo seed run); "restart" is a node that has run before.
cold_start() {
  local data=$1 t0 t1
  t0=$(date +%s%N)
  start_app "$work/plaza" Plaza.dll "$work/cold.log" "${node_args[@]}" --Plaza:DataDir="$data"
  wait_ok "$node_url/s/demo" 60
  t1=$(date +%s%N)
  stop_app "$started"
  echo $(((t1 - t0) / 1000000))
}
step "cold start (5 first starts, 5 restarts)"
first_starts=()
restarts=()
for n in 1 2 3 4 5; do first_starts+=("$(cold_start "$work/first-$n")"); done
for n in 1 2 3 4 5; do restarts+=("$(cold_start "$work/first-1")"); done
first_start_ms=$(printf '%s\n' "${first_starts[@]}" | median)
restart_ms=$(printf '%s\n' "${restarts[@]}" | median)
echo "first start: ${first_starts[*]} ms (median $first_start_ms); restart: ${restarts[*]} ms (median $restart_ms)" >&2

start_app "$work/plaza" Plaza.dll "$work/sqlite.log" "${node_args[@]}" --Plaza:DataDir="$work/sqlite"
node_pid=$started
wait_ok "$node_url/s/demo" 60
curl -s -o /dev/null "$node_url/api/v1/shops/demo/menu"
sleep 5
idle_mb=$(rss_mb "$node_pid")

# A realistic order: two espressos and a flat white in its regular size, picked up as soon as possible.
export BENCH_ORDER_PATH=/api/v1/shops/demo/orders
BENCH_ORDER_BODY=$(curl -s "$node_url/api/v1/shops/demo/menu" | python3 bench/scripts/order_body.py)
export BENCH_ORDER_BODY
order_id=$(curl -s -X POST -H 'Content-Type: application/json' -d "$BENCH_ORDER_BODY" "$node_url$BENCH_ORDER_PATH" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

# Lighthouse, mobile (its default: a mid-range phone, simulated slow 4G and 4× CPU slowdown), on the pages a
# customer walks through: the menu, the menu opened from table 3's code, checkout (its cart is empty: the cart lives in
# the browser) and an order's page.
lighthouse_pages=("/s/demo" "/s/demo/t/3" "/s/demo/checkout" "/s/demo/orders/$order_id")
lighthouse_lines=()
lighthouse_ok=1
for lighthouse_page in "${lighthouse_pages[@]}"; do
  shown_page=${lighthouse_page/$order_id/"{id}"}
  step "lighthouse on $shown_page"
  if CHROME_PATH=/usr/bin/chromium bench/lighthouse/node_modules/.bin/lighthouse "$node_url$lighthouse_page" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$work/lighthouse.json" >"$work/lighthouse.log" 2>&1; then
    scores=$(python3 bench/scripts/lighthouse.py "$work/lighthouse.json" scores)
    lighthouse_lines+=("- \`$shown_page\`: $scores")
    while IFS= read -r miss; do [ -n "$miss" ] && lighthouse_lines+=("  $miss"); done <<<"$(python3 bench/scripts/lighthouse.py "$work/lighthouse.json" misses)"
    [ "$(python3 bench/scripts/lighthouse.py "$work/lighthouse.json" ok)" = 1 ] || lighthouse_ok=0
  else
    tail -n 5 "$work/lighthouse.log" >&2
    lighthouse_lines+=("- \`$shown_page\`: not run (Lighthouse failed)")
    lighthouse_ok=0
  fi
  echo "${lighthouse_lines[-1]}" >&2
done

load "menu page /s/demo" "$node_pid" "$node_url/s/demo" get.lua
load "menu page /s/demo, brotli" "$node_pid" "$node_url/s/demo" get.lua -H "Accept-Encoding: br, gzip"
load "menu API" "$node_pid" "$node_url/api/v1/shops/demo/menu" get.lua
load "order status read" "$node_pid" "$node_url/api/v1/shops/demo/orders/$order_id" get.lua
LOAD_WARMUP=$write_warmup load "order placement, SQLite" "$node_pid" "$node_url" order.lua

count_orders() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from Orders").fetchone()[0])' "$work/sqlite/plaza.db" 2>/dev/null || echo 0; }

# The console board's live stream: the demo owner signs in once (the password is in the demo login
# file the node's first start wrote), then BENCH_BOARD_STREAMS connections hold the board's event
# stream open while orders flow; each stream's events are counted afterwards.
board_streams=${BENCH_BOARD_STREAMS:-200}
board_note="not run"
password=$(awk '/^Password: / { print $2 }' "$work/sqlite/demo-login.txt" 2>/dev/null || true)
jar=$work/board-cookies
antiforgery=$(curl -s -c "$jar" "$node_url/console/sign-in" | python3 -c '
import re, sys
page = sys.stdin.read()
m = re.search(r"<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"", page)
print(m.group(1) if m else "")')
signed_in=$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "Email=owner@demo.plaza" \
  --data-urlencode "Password=$password" --data-urlencode "__RequestVerificationToken=$antiforgery" "$node_url/console/sign-in")
if [ -n "$password" ] && [ "$signed_in" = 302 ]; then
  step "$board_streams board streams open"
  mkdir -p "$work/board"
  board_pids=()
  for n in $(seq 1 "$board_streams"); do
    # --max-time: every stream ends by itself even if this script is interrupted.
    curl -sN -b "$jar" --max-time $((write_warmup + duration + 30)) "$node_url/console/demo/board/events" >"$work/board/$n" 2>/dev/null &
    board_pids+=("$!")
    pids+=("$!")
  done
  sleep 3
  connected=$(grep -l '^event: hello' "$work"/board/* 2>/dev/null | wc -l)
  orders_before=$(count_orders)
  LOAD_WARMUP=$write_warmup load "order placement, SQLite, $board_streams board streams open" "$node_pid" "$node_url" order.lua
  sleep 1
  orders_during=$(($(count_orders) - orders_before))
  for pid in "${board_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${board_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  events=$(for f in "$work"/board/*; do grep -c '^event: order' "$f" || true; done | sort -n)
  board_note="$connected of $board_streams streams connected; order events per stream: min $(echo "$events" | head -n 1), median $(echo "$events" | median), max $(echo "$events" | tail -n 1), of $orders_during orders placed while they were open"
else
  board_note="not run: could not sign in as the demo owner (HTTP $signed_in)"
fi
echo "board: $board_note" >&2
# The soak (only with BENCH_SOAK=<seconds>): orders at ~70 % of the rate just measured, with the
# node's resident memory and open file descriptors sampled every 10 s; both should stay flat.
soak=${BENCH_SOAK:-0}
soak_note=""
if [ "$soak" -gt 0 ]; then
  soak_connections=16
  soak_target=$(awk -v r="${rps_of["order placement, SQLite"]}" 'BEGIN { printf "%.0f", r * 0.7 }')
  step "soak: ${soak} s at ~${soak_target} orders/s"
  soak_samples=()
  BENCH_DELAY_MS=$(awk -v c=$soak_connections -v t="$soak_target" 'BEGIN { d = c * 1000 / (t > 0 ? t : 1); printf "%.0f", (d > 1 ? d : 1) }') \
    wrk -t"$threads" -c$soak_connections -d"${soak}s" --timeout 5s -s "$root/bench/scripts/order.lua" "$node_url" >"$work/soak.out" &
  soak_pid=$!
  pids+=("$soak_pid")
  # The first sample after 10 s, once every connection is open and the code is warm.
  sleep 10
  while kill -0 "$soak_pid" 2>/dev/null; do
    soak_samples+=("$(rss_mb "$node_pid"):$(find "/proc/$node_pid/fd" -mindepth 1 | wc -l)")
    sleep 10
  done
  wait "$soak_pid" || true
  read -r _ rps p50 p99 errors requests <<<"$(grep '^RESULT' "$work/soak.out")"
  rows+=("soak, SQLite, ${soak} s aiming at 70 % = ${soak_target}/s (16 connections)|$rps|$p50|$p99|$errors|$requests|$(peak_mb "$node_pid")")
  first=${soak_samples[0]}
  last=${soak_samples[-1]}
  flat=$(awk -v a="${first%%:*}" -v b="${last%%:*}" -v c="${first##*:}" -v d="${last##*:}" 'BEGIN { print (b <= a * 1.1 && d <= c + 10) ? "flat" : "**growing**" }')
  soak_note="Soak: resident MB:open files every 10 s: ${soak_samples[*]} — $flat (first $first, last $last; flat means memory within 10 % and at most 10 more files)."
fi

sqlite_orders=$(count_orders)
stop_app "$node_pid"

# --- Plaza on PostgreSQL ---------------------------------------------------------------------------
pg_note="not run (no PostgreSQL found under /usr/lib/postgresql)"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  step "starting a throw-away PostgreSQL (durable settings: fsync and synchronous_commit on)"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  # Below the kernel's ephemeral range (32768–60999 here): a port there can be held by some client connection of the
  # runs before, which no connect test sees, and the cluster then cannot bind it (seen 2026-12-05).
  pg_port=$(free_port 25432)
  pg_data=$work/pg
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_data"
  as_pg "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  # The durable write ceiling on this cluster first, in a database of its own, then Plaza's orders on the same cluster.
  as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres plaza_ceiling
  start_app "$work/ceiling" Ceiling.dll "$work/ceiling.log" --urls "$ceiling_url" \
    --Postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=plaza_ceiling;Maximum Pool Size=4"
  ceiling_pid=$started
  wait_ok "$ceiling_url/json" 30
  BENCH_ORDER_PATH=/order BENCH_ORDER_BODY='{}' LOAD_WARMUP=$write_warmup load "ceiling: durable orders, PostgreSQL" "$ceiling_pid" "$ceiling_url" order.lua
  stop_app "$ceiling_pid"
  start_app "$work/plaza" Plaza.dll "$work/postgres.log" "${node_args[@]}" --Plaza:DataDir="$work/pgnode" \
    --Plaza:Database:Provider=Postgres --ConnectionStrings:Plaza="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=plaza_bench;Maximum Pool Size=100"
  node_pid=$started
  wait_ok "$node_url/s/demo" 60
  LOAD_WARMUP=$write_warmup load "order placement, PostgreSQL" "$node_pid" "$node_url" order.lua
  stop_app "$node_pid"
  pg_note="PostgreSQL $("$pg_bin/postgres" --version | grep -oE '[0-9]+(\.[0-9]+)?' | head -n 1), a throw-away cluster on 127.0.0.1 with durable defaults (fsync=on, synchronous_commit=on)"
fi

# --- noise: the 20 KB-page ceiling again, at the end -----------------------------------------------
start_app "$work/ceiling" Ceiling.dll "$work/ceiling.log" --urls "$ceiling_url"
ceiling_pid=$started
wait_ok "$ceiling_url/json" 30
load "ceiling: 20 KB page, at the end" "$ceiling_pid" "$ceiling_url/page" get.lua
stop_app "$ceiling_pid"
noise=$(awk -v a="${rps_of["ceiling: 20 KB page"]}" -v b="${rps_of["ceiling: 20 KB page, at the end"]}" 'BEGIN { d = (b - a) / a * 100; printf "%+.1f", d }')
noisy=$(awk -v d="$noise" 'BEGIN { print (d > 10 || d < -10) ? 1 : 0 }')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the results file -------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src bench/Ceiling || commit="$commit-dirty"
day=$(date -u +%Y-%m-%d)
mkdir -p bench/results
out=bench/results/$day-$commit.md
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "—" }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

{
  echo "# Plaza benchmark — $day, commit $commit"
  echo
  echo "Produced by \`bench/run.sh\`. wrk $threads threads × $connections connections, ${warmup} s warm-up (${write_warmup} s before order placement) then ${duration} s per scenario, on 127.0.0.1; wrk, the node and the store share the machine's cores."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPU | $cpu, $(nproc) cores |"
  echo "| memory | $memory |"
  echo "| OS | $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) |"
  echo "| .NET | $(dotnet --version) SDK, Release build, ReadyToRun (\`dotnet publish -r linux-x64 -p:PublishReadyToRun=true\`) |"
  echo "| wrk | $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }') |"
  echo "| PostgreSQL | $pg_note |"
  echo "| load average (1, 5, 15 min) | before: $load_before; after: $load_after |"
  echo
  echo "| scenario | requests/s | p50 ms | p99 ms | errors | requests | node peak RSS MB | ratio to ceiling |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    IFS='|' read -r name rps p50 p99 errors requests peak <<<"$row"
    case "$name" in
      "menu page"*) r="$(ratio "$rps" "${rps_of["ceiling: 20 KB page"]}") of the 20 KB page" ;;
      "menu API"* | "order status"*) r="$(ratio "$rps" "${rps_of["ceiling: minimal JSON"]}") of minimal JSON" ;;
      "order placement, SQLite, "*) r="$(ratio "$rps" "${rps_of["order placement, SQLite"]}") of orders without streams" ;;
      "order placement, SQLite"*) r="$(ratio "$rps" "${rps_of["ceiling: durable orders, SQLite"]:-0}") of durable orders, SQLite" ;;
      "order placement, PostgreSQL"*) r="$(ratio "$rps" "${rps_of["ceiling: durable orders, PostgreSQL"]:-0}") of durable orders, PostgreSQL" ;;
      *) r="—" ;;
    esac
    printf '| %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$errors" "$requests" "$peak" "$r"
  done
  echo "| cold start, restart (median of 5) | | ${restart_ms} ms | | | | | $(awk -v a="$restart_ms" -v b="$ceiling_start_ms" 'BEGIN { printf "%.1f×", a / b }') the ceiling app's ${ceiling_start_ms} ms |"
  echo "| cold start, first start on an empty data dir (median of 5) | | ${first_start_ms} ms | | | | | |"
  echo "| idle memory (menu served, then 5 s idle) | | | | | | ${idle_mb} | |"
  echo
  if [ "$noisy" = 1 ]; then
    echo "**This run was noisy**: the 20 KB-page ceiling measured at the end differs from the one at the start by $noise % (more than 10 %); ratios across the run are less certain."
  else
    echo "Noise check: the 20 KB-page ceiling at the end is within 10 % of the one at the start ($noise %)."
  fi
  echo
  echo "Ceiling rows: the node's column is the ceiling app's own peak RSS; \"durable orders\" is the ceiling app storing one order row, three line rows and a counter update per request, with group commit (\`bench/Ceiling/DurableOrders.cs\`); its cold start: ${ceiling_starts[*]} ms. \"Errors\" counts socket errors and non-2xx/3xx answers. Orders stored by the SQLite node after its runs: $sqlite_orders (one per successful placement, warm-ups included, plus one to find an order id for the status read). Cold starts: first start ${first_starts[*]} ms; restart ${restarts[*]} ms."
  echo
  echo "Board streams: $board_note."
  if [ -n "$soak_note" ]; then
    echo
    echo "$soak_note"
  fi
  echo
  echo "Lighthouse (mobile), with the audits below full marks:"
  echo
  printf '%s\n' "${lighthouse_lines[@]}"
  echo
  echo "## Targets (issue 19: ratios to ceilings measured in this run)"
  echo
  echo "| target | measured | met? |"
  echo "|---|---|---|"
  verdict() { if [ "$1" = 1 ]; then echo "yes"; else echo "**no**"; fi; }
  # at_least <a> <b> <percent>: 1 when a is at least percent % of b.
  at_least() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { print (b > 0 && 100 * a / b >= p) ? 1 : 0 }'; }
  target() { echo "| $1 ≥ $4 % | $(ratio "$2" "$3") | $(verdict "$(at_least "$2" "$3" "$4")") |"; }
  target "menu page \`/s/demo\` ÷ 20 KB-page ceiling" "${rps_of["menu page /s/demo"]}" "${rps_of["ceiling: 20 KB page"]}" 50
  target "menu API ÷ minimal-JSON ceiling" "${rps_of["menu API"]}" "${rps_of["ceiling: minimal JSON"]}" 40
  target "order status read ÷ minimal-JSON ceiling" "${rps_of["order status read"]}" "${rps_of["ceiling: minimal JSON"]}" 25
  sqlite_p99=$(printf '%s\n' "${rows[@]}" | grep "^order placement, SQLite|" | cut -d'|' -f4)
  sqlite_ok=$(( $(at_least "${rps_of["order placement, SQLite"]}" "${rps_of["ceiling: durable orders, SQLite"]}" 60) && $(awk -v p="$sqlite_p99" 'BEGIN { print (p <= 50000) ? 1 : 0 }') ))
  echo "| SQLite orders ÷ durable write ceiling ≥ 60 %, p99 ≤ 50 ms at $connections connections | $(ratio "${rps_of["order placement, SQLite"]}" "${rps_of["ceiling: durable orders, SQLite"]}") ($(printf '%.0f' "${rps_of["order placement, SQLite"]}")/s of $(printf '%.0f' "${rps_of["ceiling: durable orders, SQLite"]}")/s), p99 $(ms "$sqlite_p99") ms | $(verdict "$sqlite_ok") |"
  if [ -n "${rps_of["order placement, PostgreSQL"]:-}" ]; then
    pg_ok=$(( $(at_least "${rps_of["order placement, PostgreSQL"]}" "${rps_of["ceiling: durable orders, PostgreSQL"]}" 50) && $(awk -v r="${rps_of["order placement, PostgreSQL"]}" 'BEGIN { print (r >= 1500) ? 1 : 0 }') ))
    echo "| PostgreSQL orders ÷ durable write ceiling (PostgreSQL) ≥ 50 %, and ≥ 1,500/s | $(ratio "${rps_of["order placement, PostgreSQL"]}" "${rps_of["ceiling: durable orders, PostgreSQL"]}") ($(printf '%.0f' "${rps_of["order placement, PostgreSQL"]}")/s of $(printf '%.0f' "${rps_of["ceiling: durable orders, PostgreSQL"]}")/s) | $(verdict "$pg_ok") |"
  fi
  board_name="order placement, SQLite, $board_streams board streams open"
  if [ -n "${rps_of[$board_name]:-}" ]; then
    target "orders with $board_streams board streams open ÷ orders without" "${rps_of[$board_name]}" "${rps_of["order placement, SQLite"]}" 60
  fi
  echo "| cold restart ÷ the ceiling app's cold start ≤ 3× | ${restart_ms} ms ÷ ${ceiling_start_ms} ms = $(awk -v a="$restart_ms" -v b="$ceiling_start_ms" 'BEGIN { printf "%.1f×", a / b }') | $(verdict "$(awk -v a="$restart_ms" -v b="$ceiling_start_ms" 'BEGIN { print (a <= 3 * b) ? 1 : 0 }')") |"
  echo "| idle memory (menu served, 5 s idle) ≤ 150 MB | ${idle_mb} MB | $(verdict "$([ "$idle_mb" -le 150 ] && echo 1)") |"
  for large in bench/results/latest-large-sqlite.md bench/results/latest-large-postgres.md; do
    [ -f "$large" ] || continue
    # The "large ÷ small" column of its menu page, menu API and order rows.
    # The menu page as browsers ask for it (brotli) where the run has it, else the page without compression.
    page_row="menu page, brotli"
    grep -q "^| menu page, brotli |" "$large" || page_row="menu page"
    shares=$(awk -F'|' -v page="$page_row" '$2 == " " page " " || $2 == " menu API " || $2 == " order placement " { gsub(/ /, "", $10); printf "%s%s", sep, $10; sep = " / " }' "$large")
    large_ok=$(awk -F'|' -v page="$page_row" '$2 == " " page " " || $2 == " menu API " || $2 == " order placement " { gsub(/[ %]/, "", $10); if ($10 + 0 < 80) bad = 1; n++ } END { print (n == 3 && !bad) ? 1 : 0 }' "$large")
    echo "| large node ÷ small node ($page_row / menu API / orders), $(basename "$large" .md | sed 's/latest-large-//'), each ≥ 80 % | $shares ($(head -n 1 "$large" | sed 's/^## Large node — //')) | $(verdict "$large_ok") |"
  done
  echo "| Lighthouse mobile: 100 in each category on ${#lighthouse_pages[@]} pages | see above | $(verdict "$lighthouse_ok") |"
  for large in bench/results/latest-large-*.md; do
    [ -f "$large" ] || continue
    echo
    echo "The latest large-node run (\`bench/run.sh large\`, its own date and commit):"
    echo
    sed 's/^## /### /' "$large"
  done
  echo
  cat bench/NOTES.md
} >"$out"
cp "$out" bench/results/latest.md
step "wrote $out and bench/results/latest.md"
cat "$out"
