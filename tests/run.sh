#!/usr/bin/env bash
# The test command: installs what the tests need (only what is missing), builds the solution once
# (Release), runs every test project quietly and closes with one line, "N passed, N failed",
# summed over all test projects. Exits non-zero on any failure. Starts no system service: the
# tests start their own servers on 127.0.0.1 and stop them.
set -uo pipefail

cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
fi

# Debian packages: redis-server (the reference server), redis-tools (redis-cli), python3-redis
# (redis-py for /usr/bin/python3), nodejs and npm (ioredis, node-redis), postgresql, docker-compose.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || missing+=(python3-redis)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# PostgreSQL's binaries: the persistence tests start their own instance (no service).
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
# Debian's chromium: the web console's browser tests drive it through Playwright.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# docker-compose (v1) validates docker-compose.yml; there is no Docker engine here.
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  # Keep the packages' maintainer scripts from starting redis-server as a service.
  policy_added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  $sudo apt-get update -qq >/dev/null &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  status=$?
  [ -n "$policy_added" ] && $sudo rm -f /usr/sbin/policy-rc.d
  if [ $status -ne 0 ]; then
    echo "apt-get install ${missing[*]} failed" >&2
    exit 1
  fi
fi

# ioredis and node-redis, from the committed package-lock.json.
node_dir=tests/clients/node
if [ ! -f "$node_dir/node_modules/.package-lock.json" ] || [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  echo "npm ci in $node_dir"
  if ! (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "npm ci failed" >&2
    exit 1
  fi
fi

echo "Building Platform.slnx (Release)"
if ! dotnet build Platform.slnx -c Release -nologo -v quiet; then
  echo "Build failed" >&2
  exit 1
fi

echo "Running the tests"
log=$(mktemp)
dotnet test Platform.slnx -c Release --no-build --nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log" |
  grep -v -E '^(Test run for|A total of [0-9]+ test files? matched|Starting test execution)' 
test_status=${PIPESTATUS[0]}

passed=0
failed=0
projects=0
while read -r f p; do
  failed=$((failed + f))
  passed=$((passed + p))
  projects=$((projects + 1))
done < <(sed -n -E 's/^(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+),.*/\2 \3/p' "$log")
rm -f "$log"

if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or a project reported nothing: that is a failure too.
  echo "dotnet test exited with $test_status without a failed test in its summaries" >&2
  failed=1
fi

echo "Test projects: $projects, time: $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$test_status" -eq 0 ]
