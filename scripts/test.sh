#!/usr/bin/env bash
# Installs what the tests need (idempotent, quick when already present) and runs every test project.
# Ends with one line "N passed, N failed, N skipped" summed over all projects; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
ARTIFACTS="$ROOT/.test-artifacts"
CONFIGURATION="${CONFIGURATION:-Release}"

log() { printf '[test.sh] %s\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/etcd ] || missing+=(etcd-server)
  # prometheus and promtool: the deploy/ tests run a real Prometheus and check the rules with promtool.
  { [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || missing+=(prometheus)
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  log "installing ${missing[*]} from Debian"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_node_tools() {
  # tools/package-lock.json pins anvil, cast, solc, oidc-provider (and the test-only npm packages);
  # clients/js/package-lock.json the JavaScript client's viem. Reinstall only when a lock changed since
  # the last install.
  local dir stamp want attempt
  for dir in "$ROOT/tools" "$ROOT/clients/js"; do
    stamp="$dir/node_modules/.lock-sha256"
    want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
      continue
    fi
    log "installing npm packages in ${dir#$ROOT/}"
    # The registry sometimes drops a connection mid-download (ECONNRESET); a fresh try usually gets through.
    for attempt in 1 2 3; do
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) && break
      [ "$attempt" = 3 ] && return 1
      log "npm ci failed (attempt $attempt of 3); trying again"
      sleep 5
    done
    echo "$want" > "$stamp"
  done
}

install_debian_packages || { log "could not install Debian packages"; exit 2; }
install_node_tools || { log "could not install npm tools"; exit 2; }
# Redis, etcd and Prometheus are started by the test fixtures on free ports; a system service a package may have started is not used.

log "building ($CONFIGURATION)"
if ! dotnet build "$ROOT/Sequencer.sln" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly; then
  log "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
status=0
for project in "$ROOT"/tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  if ! grep -q '<IsTestProject>true</IsTestProject>' "$project" && ! grep -q 'Microsoft.NET.Test.Sdk' "$project"; then
    continue
  fi
  log "testing $name"
  if ! dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$ARTIFACTS" \
      --blame-hang-timeout 5m; then
    status=1
  fi
  if [ ! -f "$ARTIFACTS/$name.trx" ]; then
    log "$name produced no results (crashed or hung)"
    echo "crashed" > "$ARTIFACTS/$name.crashed"
    status=1
  fi
done

# The JavaScript client's tests (node's test runner) against the real host; TAP into the artifacts for the sum below.
log "testing clients/js"
if ! (cd "$ROOT/clients/js" && CONFIGURATION="$CONFIGURATION" node --test --test-timeout=300000 \
    --test-reporter=tap --test-reporter-destination="$ARTIFACTS/js-client.tap" \
    --test-reporter=spec --test-reporter-destination=stdout test/*.test.js); then
  status=1
fi
if ! grep -q '^# pass ' "$ARTIFACTS/js-client.tap" 2>/dev/null; then
  log "clients/js produced no results (crashed or hung)"
  echo "crashed" > "$ARTIFACTS/js-client.crashed"
  status=1
fi

passed=0; failed=0; skipped=0
for trx in "$ARTIFACTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  attr() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p="$(attr passed)"; f="$(attr failed)"; t="$(attr total)"; e="$(attr executed)"
  f2="$(attr error)"; to="$(attr timeout)"; ab="$(attr aborted)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${f2:-0} + ${to:-0} + ${ab:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
for tap in "$ARTIFACTS"/*.tap; do
  [ -f "$tap" ] || continue
  count() { grep -o "^# $1 [0-9]*" "$tap" | tail -1 | grep -o '[0-9]*$'; }
  p="$(count pass)"; f="$(count fail)"; c="$(count cancelled)"; s="$(count skipped)"; t="$(count todo)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${c:-0}))
  skipped=$((skipped + ${s:-0} + ${t:-0}))
done
for crashed in "$ARTIFACTS"/*.crashed; do
  [ -f "$crashed" ] && failed=$((failed + 1))
done
if [ "$failed" -gt 0 ]; then status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
