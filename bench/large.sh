#!/usr/bin/env bash
# The large-node scenario of issue 6 (`bench/run.sh large`, or on its own): the same menu reads
# and order placements on a small node (one seeded shop) and on a large one (1,000 shops ×
# 50 items and 1,000,000 orders, seeded by bench/LargeSeed), the ratio of the two, and the owner
# reports' latency on both. Writes bench/results/<date>-<commit>-large-<store>.md and
# bench/results/latest-large-<store>.md (sqlite or postgres).
#
#   BENCH_LARGE_STORE=Sqlite|Postgres   the store (PostgreSQL: a throw-away database in the cluster
#                                       named by PLAZA_BENCH_POSTGRES, dropped afterwards)
#   BENCH_LARGE_SHOPS=1000 BENCH_LARGE_ITEMS=50 BENCH_LARGE_ORDERS=1000000 BENCH_LARGE_DAYS=60
#   BENCH_BIG_ORDERS=200000 BENCH_BIG_CUSTOMERS=20000 BENCH_BIG_DAYS=365
#                                       the one big shop on the large node (issue 18): its owner's dashboard,
#                                       segments, campaign results and journeys are timed (0 orders: no big shop)
#   BENCH_DURATION=8 BENCH_ROUNDS=3 BENCH_WARMUP=3 BENCH_CONNECTIONS=64 BENCH_THREADS=2 BENCH_REPORT_SHOPS=20
#                                       both nodes run at once; each scenario is measured in BENCH_ROUNDS rounds
#                                       of BENCH_DURATION s per node, alternating small and large
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${BENCH_DURATION:-8}
rounds=${BENCH_ROUNDS:-3}
warmup=${BENCH_WARMUP:-3}
write_warmup=${BENCH_WRITE_WARMUP:-15} # order placement reaches steady state later (see bench/run.sh)
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
store=${BENCH_LARGE_STORE:-Sqlite}
shops=${BENCH_LARGE_SHOPS:-1000}
items=${BENCH_LARGE_ITEMS:-50}
orders=${BENCH_LARGE_ORDERS:-1000000}
days=${BENCH_LARGE_DAYS:-60}
report_shops=${BENCH_REPORT_SHOPS:-20}
big_orders=${BENCH_BIG_ORDERS:-200000}
big_customers=${BENCH_BIG_CUSTOMERS:-20000}
big_days=${BENCH_BIG_DAYS:-365}
work=$(mktemp -d /tmp/plaza-bench-large.XXXXXX)
pids=()
pg_database=""

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_database" ]; then
    psql "$PLAZA_BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" >/dev/null 2>&1 || true
    psql "$PLAZA_BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS \"${pg_database}_small\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*" >&2; }

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)." >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required (apt-get install curl)." >&2; exit 1; }

# The commit the builds come from, taken now: the tree may move while the run goes on.
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src bench/LargeSeed || commit="$commit-dirty"
step "publishing Release builds"
dotnet publish src/Plaza -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/plaza" >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }
dotnet publish bench/LargeSeed -c Release -o "$work/seed" >>"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }

free_port() {
  local candidate
  for candidate in $(seq "$1" "$(($1 + 200))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
  echo "No free port from $1." >&2; exit 1
}

# start_node <log> <url> <args…>: starts a node at <url> and waits until it answers; its pid in node_pid.
start_node() {
  local log=$1 url=$2
  shift 2
  (cd "$work/plaza" && exec dotnet Plaza.dll --urls "$url" --Plaza:Demo=true --Plaza:RateLimits:OrdersPerMinute=100000000 --Plaza:Backup:Interval=0 "$@") >"$log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  local deadline=$(($(date +%s) + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 20 "$log" >&2; echo "The node did not start." >&2; exit 1; }
    sleep 0.1
  done
}

declare -A rounds_of url_of shops_of
declare -A rps_of p50_of p99_of errors_of

# warm <node> <mode> <seconds>: load that is not measured.
warm() {
  BENCH_SHOPS=${shops_of[$1]} BENCH_MODE=$2 wrk -t"$threads" -c"$connections" -d"$3s" --timeout 5s -s "$root/bench/scripts/shops.lua" "${url_of[$1]}" >/dev/null
}

# measure <node> <scenario> <mode>: one measured run across the node's shops; appends "rps p50 p99 errors" to its rounds.
measure() {
  local key="$1: $2" out
  step "$key"
  out=$(BENCH_SHOPS=${shops_of[$1]} BENCH_MODE=$3 wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s -s "$root/bench/scripts/shops.lua" "${url_of[$1]}")
  echo "$out" | grep -v '^RESULT' >&2
  read -r _ rps p50 p99 errors _ <<<"$(echo "$out" | grep '^RESULT')"
  rounds_of[$key]+="$rps $p50 $p99 $errors;"
}

# settle <key>: the median round's figures (by requests/s) and the errors of all rounds.
settle() {
  local line
  local rps p50 p99 errors
  read -r rps p50 p99 _ errors <<<"$(echo "${rounds_of[$1]}" | tr ';' '\n' | grep . | sort -n -k1,1 | awk '{ a[NR] = $0; e += $4 } END { print a[int((NR + 1) / 2)], e }')"
  rps_of[$1]=$rps p50_of[$1]=$p50 p99_of[$1]=$p99 errors_of[$1]=$errors
}

# time_reports <small|large> <shops file>: on the node at node_url, each period for up to BENCH_REPORT_SHOPS random shops, one
# request at a time with the node otherwise idle, after one unmeasured request per shop and period
# (so a cold page cache is not counted); curl's time_total is what a merchant waits for.
declare -A report_median report_max
report_periods=()
time_reports() {
  local node=$1 file=$2 period label times sorted slug token code t
  step "owner reports ($node node)"
  local today custom_from
  today=$(date -u +%F)
  custom_from=$(date -u -d "$today - $((days - 1)) days" +%F)
  shuf -n "$report_shops" --random-source=<(yes) "$file" >"$work/report-shops.tsv"
  for period in today 7d 30d "custom&from=$custom_from&to=$today"; do
    times=()
    while IFS=$'\t' read -r slug token _; do
      curl -s -o /dev/null -H "Authorization: Bearer $token" "$node_url/api/v1/shops/$slug/reports/sales?period=$period"
      read -r code t <<<"$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" "$node_url/api/v1/shops/$slug/reports/sales?period=$period")"
      [ "$code" = 200 ] || { echo "report $period for $slug answered $code" >&2; exit 1; }
      times+=("$(awk -v s="$t" 'BEGIN { printf "%.1f", s * 1000 }')")
    done <"$work/report-shops.tsv"
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    label=${period%%&*}
    [ "$label" = custom ] && label="custom, $days days ($custom_from to $today)"
    [ "$node" = small ] && report_periods+=("$label")
    report_median[$node:$label]=$(echo "$sorted" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    report_max[$node:$label]=$(echo "$sorted" | tail -n 1)
  done
}

# time_console: the big shop's owner signs in (a cookie, as a browser keeps it), then each dashboard, segment,
# campaign and journey page is asked once unmeasured and three times measured, one request at a time.
declare -A console_median console_max
console_pages=()
time_console() {
  local slug email password campaign jar token entry label url times sorted code t today year_from
  IFS=$'\t' read -r slug email password campaign <"$work/big.tsv"
  step "owner console pages of the big shop ($slug)"
  jar=$work/owner.jar
  token=$(curl -s -c "$jar" -b "$jar" "$node_url/console/sign-in" | python3 -c 'import re, sys; print(re.search(r"name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"", sys.stdin.read()).group(1))')
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "Email=$email" --data-urlencode "Password=$password" \
    --data-urlencode "__RequestVerificationToken=$token" "$node_url/console/sign-in")
  [ "$code" = 302 ] || { echo "the big shop's owner could not sign in ($code)" >&2; exit 1; }
  today=$(date -u +%F)
  year_from=$(date -u -d "$today - 364 days" +%F)
  for entry in \
    "dashboard, today|/console/$slug/reports?period=today" \
    "dashboard, 7 days|/console/$slug/reports?period=7d" \
    "dashboard, 30 days|/console/$slug/reports?period=30d" \
    "dashboard, 30 days as deviations|/console/$slug/reports?period=30d&view=deviation" \
    "dashboard, 365 days|/console/$slug/reports?period=custom&from=$year_from&to=$today" \
    "dashboard CSV, 30 days|/console/$slug/reports?handler=Csv&period=30d" \
    "segments (RFM and the saved one)|/console/$slug/segments" \
    "segment size as the owner types|/console/$slug/segments?handler=size&minDays=60" \
    "campaigns|/console/$slug/campaigns" \
    "campaign results, 14 days|/console/$slug/campaigns/$campaign?days=14" \
    "campaign results, 60 days|/console/$slug/campaigns/$campaign?days=60" \
    "journeys|/console/$slug/journeys"; do
    label=${entry%%|*}
    url=${entry#*|}
    curl -s -o /dev/null -b "$jar" "$node_url$url"
    times=()
    for _ in 1 2 3; do
      read -r code t <<<"$(curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total}' "$node_url$url")"
      [ "$code" = 200 ] || { echo "$label ($url) answered $code" >&2; exit 1; }
      times+=("$(awk -v s="$t" 'BEGIN { printf "%.1f", s * 1000 }')")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    console_pages+=("$label")
    console_median[$label]=$(echo "$sorted" | sed -n 2p)
    console_max[$label]=$(echo "$sorted" | tail -n 1)
    echo "$label: ${console_median[$label]} ms median, ${console_max[$label]} ms max" >&2
  done
}

export BENCH_SCRIPTS=$root/bench/scripts
export BENCH_RUN=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
small_port=$(free_port 5950)
large_port=$(free_port $((small_port + 1)))
url_of[small]="http://127.0.0.1:$small_port" url_of[large]="http://127.0.0.1:$large_port"
shops_of[small]=$work/small.tsv shops_of[large]=$work/large.tsv

store_args=(--Plaza:DataDir="$work/large")
if [ "$store" = Postgres ]; then
  [ -n "${PLAZA_BENCH_POSTGRES:-}" ] || { echo "Set PLAZA_BENCH_POSTGRES to a PostgreSQL connection URI (postgresql://user@host:port/postgres)." >&2; exit 1; }
  pg_database=plaza_bench_large_$$
  psql "$PLAZA_BENCH_POSTGRES" -qc "CREATE DATABASE \"$pg_database\"" >/dev/null
  pg_cs=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(f"Host={p.hostname};Port={p.port or 5432};Username={p.username};Database={sys.argv[2]};Maximum Pool Size=100" + (f";Password={p.password}" if p.password else ""))' "$PLAZA_BENCH_POSTGRES" "$pg_database")
  store_args+=(--Plaza:Database:Provider=Postgres "--ConnectionStrings:Plaza=$pg_cs")
  pg_settings="$(psql "$PLAZA_BENCH_POSTGRES" -Atc "select version()" | awk '{ print $1, $2 }'), $(psql "$PLAZA_BENCH_POSTGRES" -Atc "select string_agg(name || '=' || setting, ', ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit')")"
fi

# --- small node: one shop of the same kind (seeded by the same tool, $orders/$shops orders) ------------
# Same menu size, same order history per shop, same request mix: the only difference to the large
# node is the number of shops and orders around it.
if [ "$store" = Postgres ]; then
  small_args=(--Plaza:DataDir="$work/small" --Plaza:Database:Provider=Postgres "--ConnectionStrings:Plaza=${pg_cs/Database=$pg_database/Database=${pg_database}_small}")
  psql "$PLAZA_BENCH_POSTGRES" -qc "CREATE DATABASE \"${pg_database}_small\"" >/dev/null
else
  small_args=(--Plaza:DataDir="$work/small")
fi
step "seeding the small node: 1 shop × $items items and $((orders / shops)) orders ($store)"
(cd "$work/seed" && dotnet LargeSeed.dll "${small_args[@]}" --Shops=1 --Items="$items" --Orders=$((orders / shops)) --Days="$days" --Out="$work/small.tsv") >&2
# --- large node --------------------------------------------------------------------------------------
step "seeding $shops shops × $items items and $orders orders ($store)"
seed_start=$(date +%s%N)
seed_line=$(cd "$work/seed" && dotnet LargeSeed.dll "${store_args[@]}" --Shops="$shops" --Items="$items" --Orders="$orders" --Days="$days" --Out="$work/large.tsv" \
  --BigOrders="$big_orders" --BigCustomers="$big_customers" --BigDays="$big_days" --BigOut="$work/big.tsv")
seed_s=$(awk -v ns=$(($(date +%s%N) - seed_start)) 'BEGIN { printf "%.0f", ns / 1e9 }')
echo "$seed_line" >&2
store_size=""
[ "$store" = Sqlite ] && store_size="; SQLite file $(du -sm "$work/large" | cut -f1) MB"

# --- both nodes up at once, the scenarios alternating between them ---------------------------------
# Absolute rates drift on these machines by tens of per cent within minutes, so the two are not measured one
# after the other but in rounds, small-large then large-small (ABBA), each node warmed up first; the table
# shows each node's median round and the ratio of the medians, with every round's ratio beside it.
start_node "$work/small.log" "${url_of[small]}" "${small_args[@]}"
small_pid=$node_pid
start_node "$work/large.log" "${url_of[large]}" "${store_args[@]}"
large_pid=$node_pid
# The owner reports first, while each shop holds only its seeded orders: after the order scenario the small node's one
# shop would hold every order wrk placed today (~150,000) and each large-node shop ~150, and the two would not compare.
node_url=${url_of[small]}
time_reports small "$work/small.tsv"
node_url=${url_of[large]}
time_reports large "$work/large.tsv"
scenarios=("menu page|page" "menu page, brotli|page-br" "menu API|api" "order placement|order")
for entry in "${scenarios[@]}"; do
  label=${entry%|*} mode=${entry#*|}
  seconds=$warmup
  [ "$mode" = order ] && seconds=$write_warmup
  step "$label: warming both nodes up (${seconds} s each)"
  warm small "$mode" "$seconds"
  warm large "$mode" "$seconds"
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then order=(small large); else order=(large small); fi
    for node in "${order[@]}"; do measure "$node" "$label" "$mode"; done
  done
  settle "small: $label"
  settle "large: $label"
done
kill "$small_pid" 2>/dev/null || true
wait "$small_pid" 2>/dev/null || true
if [ "$store" = Postgres ]; then psql "$PLAZA_BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS \"${pg_database}_small\" WITH (FORCE)" >/dev/null; fi
node_url=${url_of[large]}
[ "$big_orders" -gt 0 ] && time_console

one_shop=$(head -n 1 "$work/large.tsv")
report_example=$(curl -s -H "Authorization: Bearer $(echo "$one_shop" | cut -f2)" "$node_url/api/v1/shops/$(echo "$one_shop" | cut -f1)/reports/sales?period=30d" \
  | python3 -c 'import json, sys; r = json.load(sys.stdin); print("%d orders, %d days, %d top items" % (r["sales"]["orders"], len(r["days"]), len(r["topItemsByQuantity"])))')
kill "$large_pid" 2>/dev/null || true
wait "$large_pid" 2>/dev/null || true
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results -------------------------------------------------------------------------------------------
day=$(date -u +%Y-%m-%d)
kind=$(echo "$store" | tr '[:upper:]' '[:lower:]')
out=bench/results/$day-$commit-large-$kind.md
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
{
  echo "## Large node — $day, commit $commit, $store"
  echo
  echo "Produced by \`bench/run.sh large\` (\`bench/large.sh\`). wrk $threads threads × $connections connections on 127.0.0.1; each request picks a random shop; the small node is one shop of the same kind, seeded by the same tool with $((orders / shops)) orders. Both nodes run at once; per scenario each is warmed up (${warmup} s, ${write_warmup} s before order placement), then measured in $rounds rounds of ${duration} s, small and large alternating (small-large, large-small, …). The table gives each node's median round and the ratio of the medians; the last column each round's ratio. Load average (1, 5, 15 min) before: $load_before; after: $load_after."
  echo
  if [ "$store" = Postgres ]; then
    echo "PostgreSQL: $pg_settings (the cluster named by PLAZA_BENCH_POSTGRES, a database of this run's own)."
    echo
  fi
  echo "Seed: $shops shops × $items items and $orders orders over the last $days days, $seed_s s in all (\`bench/LargeSeed\`: $seed_line$store_size)."
  echo
  echo "| scenario | small node req/s | p50 ms | p99 ms | large node req/s | p50 ms | p99 ms | errors (small/large) | large ÷ small | within 20 %? | each round |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for s in "menu page" "menu page, brotli" "menu API" "order placement"; do
    small="small: $s" large="large: $s"
    ratio=$(awk -v a="${rps_of[$large]}" -v b="${rps_of[$small]}" 'BEGIN { printf "%.0f %%", (b > 0) ? 100 * a / b : 0 }')
    ok=$(awk -v a="${rps_of[$large]}" -v b="${rps_of[$small]}" 'BEGIN { print (b > 0 && a >= 0.8 * b) ? "yes" : "**no**" }')
    each=$(paste -d' ' <(echo "${rounds_of[$large]}" | tr ';' '\n' | grep .) <(echo "${rounds_of[$small]}" | tr ';' '\n' | grep .) \
      | awk '{ printf "%s%.0f", sep, ($5 > 0) ? 100 * $1 / $5 : 0; sep = " / " } END { print " %" }')
    printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %s/%s | %s | %s | %s |\n' "$s" "${rps_of[$small]}" "$(ms "${p50_of[$small]}")" "$(ms "${p99_of[$small]}")" \
      "${rps_of[$large]}" "$(ms "${p50_of[$large]}")" "$(ms "${p99_of[$large]}")" "${errors_of[$small]}" "${errors_of[$large]}" "$ratio" "$ok" "$each"
  done
  echo
  echo "Owner reports (\`GET /api/v1/shops/{shop}/reports/sales\`, staff token; on the large node $report_shops random shops, on the small node its one shop; one request at a time after one unmeasured request, timed before the order scenario adds its orders; e.g. 30 days of one large-node shop: $report_example):"
  echo
  echo "| period | small node median ms | max ms | large node median ms | max ms | ≤ 1 s? |"
  echo "|---|---:|---:|---:|---:|---|"
  for label in "${report_periods[@]}"; do
    max=${report_max[large:$label]}
    echo "| $label | ${report_median[small:$label]} | ${report_max[small:$label]} | ${report_median[large:$label]} | $max | $(awk -v m="$max" 'BEGIN { print (m <= 1000) ? "yes" : "**no**" }') |"
  done
  if [ "$big_orders" -gt 0 ]; then
    echo
    echo "The owner's console of the one big shop on the large node ($big_orders orders over $big_days days from $big_customers customers, half of them members; a campaign to 5,000 members sent 60 days ago, a win-back journey with 2,000 entries, a saved segment), signed in with a cookie, each page once unmeasured then three times, one request at a time:"
    echo
    echo "| page | median ms | max ms | ≤ 1 s? |"
    echo "|---|---:|---:|---|"
    for label in "${console_pages[@]}"; do
      max=${console_max[$label]}
      echo "| $label | ${console_median[$label]} | $max | $(awk -v m="$max" 'BEGIN { print (m <= 1000) ? "yes" : "**no**" }') |"
    done
  fi
} >"$out"
cp "$out" "bench/results/latest-large-$kind.md"
step "wrote $out and bench/results/latest-large-$kind.md"
cat "$out"
