#!/usr/bin/env bash
# Before and after one change, measured so the machine's drift cancels out: publishes <base> (a commit,
# default HEAD~1) and the working tree, then runs the same scenarios on each build in turn, round after
# round (BENCH_ROUNDS, default 5), each on a fresh node and data directory, and writes
# bench/results/<date>-compare-<base>-<head>.md with every round and the change of the means.
#
# A sequential pair of full bench/run.sh runs on this shared machine drifts by more than most changes
# (bench/NOTES.md: a menu read fell 23 % on untouched code between two runs minutes apart); alternating
# the two builds many times puts that drift on both sides equally.
#
#   bench/run.sh compare [base]    BENCH_ROUNDS=5 BENCH_DURATION=10 BENCH_CONNECTIONS=64
#
# Targets 127.0.0.1 only; every load is bounded; everything started here is stopped by its id on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=${1:-HEAD~1}
base_commit=$(git rev-parse --short "$base")
head_commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src && echo "" || echo "-dirty")
rounds=${BENCH_ROUNDS:-5}
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-3}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
work=$(mktemp -d /tmp/plaza-compare.XXXXXX)
chmod 755 "$work"
node_pid=""

cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*" >&2; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)." >&2; exit 1; }

step "publishing $base_commit and the working tree ($head_commit)"
git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1
publish() { dotnet publish "$1/src/Plaza" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$2" >>"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }; }
publish "$work/base-src" "$work/base"
publish "$root" "$work/head"

export BENCH_SCRIPTS=$root/bench/scripts BENCH_ORDER_PATH=/api/v1/shops/demo/orders
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

# One round of one build: a fresh node on a fresh data directory; the menu page, then guest orders.
measure() {
  local build=$1 data="$work/data-$1-$2"
  (cd "$work/$build" && exec dotnet Plaza.dll --urls "$url" --Plaza:Demo=true --Plaza:RateLimits:OrdersPerMinute=100000000 \
    --Plaza:Backup:Interval=0 --Plaza:DataDir="$data" >"$work/$build-$2.log" 2>&1) &
  node_pid=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$url/s/demo" && break; sleep 0.5; done
  BENCH_ORDER_BODY=$(curl -s "$url/api/v1/shops/demo/menu" | python3 "$root/bench/scripts/order_body.py")
  export BENCH_ORDER_BODY
  local row=""
  for scenario in menu orders; do
    local target="$url/s/demo" script=get.lua
    if [ "$scenario" = orders ]; then target=$url script=order.lua; fi
    BENCH_RUN="w$(date +%s%N)" wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 5s -s "$root/bench/scripts/$script" "$target" >/dev/null
    read -r _ rps _ p99 errors _ <<<"$(BENCH_RUN="m$(date +%s%N)" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
      -s "$root/bench/scripts/$script" "$target" | grep '^RESULT')"
    row+="$rps $p99 $errors "
  done
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""
  rm -rf "$data"
  echo "$row"
}

declare -a results_base results_head
for round in $(seq 1 "$rounds"); do
  step "round $round of $rounds"
  results_base+=("$(measure base "$round")")
  results_head+=("$(measure head "$round")")
  echo "base ${results_base[-1]}| head ${results_head[-1]}" >&2
done

out="bench/results/$(date -u +%F)-compare-$base_commit-$head_commit.md"
python3 - "$base_commit" "$head_commit" "$duration" "$connections" "$(cut -d' ' -f1-3 /proc/loadavg)" "${results_base[@]}" -- "${results_head[@]}" >"$out" <<'PY'
import statistics, sys
base, head, duration, connections, load = sys.argv[1:6]
rest = sys.argv[6:]
split = rest.index("--")
rows = {"base": [r.split() for r in rest[:split]], "head": [r.split() for r in rest[split + 1:]]}
print(f"# Before and after: {base} → {head}\n")
print(f"Produced by `bench/run.sh compare {base}`: the two builds alternate, {len(rows['base'])} rounds, each on a fresh node and data "
      f"directory; wrk {connections} connections, {duration} s per scenario after a warm-up; load average at the end {load}.\n")
print("| round | menu page base /s | menu page head /s | guest orders base /s | guest orders head /s | orders p99 base ms | orders p99 head ms |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for i, (b, h) in enumerate(zip(rows["base"], rows["head"]), 1):
    # report.lua gives latencies in microseconds.
    print(f"| {i} | {b[0]} | {h[0]} | {b[3]} | {h[3]} | {int(b[4]) / 1000:.1f} | {int(h[4]) / 1000:.1f} |")
def of(build, col, how): return how(float(r[col]) for r in rows[build])
print()
for name, col in (("menu page", 0), ("guest orders", 3)):
    b, h = of("base", col, statistics.mean), of("head", col, statistics.mean)
    mb, mh = of("base", col, statistics.median), of("head", col, statistics.median)
    print(f"- {name}: mean {b:,.0f}/s → {h:,.0f}/s, **{(h - b) / b * 100:+.1f} %**; median {mb:,.0f}/s → {mh:,.0f}/s, {(mh - mb) / mb * 100:+.1f} %")
errors = sum(int(r[2]) + int(r[5]) for build in rows.values() for r in build)
print(f"- errors (socket errors and non-2xx/3xx) in all rounds: {errors}")
PY
cat "$out"
