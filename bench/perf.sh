#!/usr/bin/env bash
# Issue 16's one command: every row of docs/benchmarks.md "Performance (issue 16)" from one run on this machine.
#   1. this sequencer (sequencer_sendRawTransaction, durable signed confirmation) and anvil (eth_sendRawTransaction,
#      automine): closed loop at max, then an open-loop rate sweep at 25/50/75/90 % of that max, p50/p99/p99.9 each
#      (bench/LoadGenerator, latency from each request's scheduled send time), with client and server CPU;
#   2. wrk, an independent client, replaying bodies the load generator pre-signed (bench/wrk/rawtx.lua), at max;
#   3. the tail trace: the half-rate load again with bench/TailTrace attached (GC pauses, thread pool, lock
#      contention, blocking waits, top allocations; the server's own confirm/HTTP histograms and allocations per tx);
#   4. the core's ceiling with pre-recovered input (Sequencer.Benchmarks core-ceiling: real WAL, fsync);
#   5. time to ready (bench/restart.sh: empty data directory and 1 M records, framework-dependent and ReadyToRun).
# Prints the markdown tables at the end (also .bench-artifacts/perf/perf.md); raw JSON lines in .bench-artifacts/perf/.
#   bench/perf.sh            the full run (about 15-20 min on a quiet 2-core machine, estimated from its steps; the first
#                            run in a checkout also generates the 1 M history, ~1.5 min)
#   bench/perf.sh --short    short settings: a smoke run of the same steps (not for the docs; PERF_SHORT=1 does the same)
# Settings (environment): TX, ANVIL_TX (closed-loop runs), STEP_SECONDS (each sweep step), WRK_SECONDS, TRACE_SECONDS,
# SENDERS, CONCURRENCY, CORE_TX, READY_RECORDS ("" = empty directory only), READY_RUNS, READY_BUILDS ("fdd r2r": the
# framework-dependent build as built, and a ReadyToRun publish; each is timed by its own restart.sh run), READY_COLD
# (1: also cold-cache starts), READY_DATA (restart.sh's DATA; default .bench-artifacts/restart-data of this checkout).
# Every step runs under `timeout` (MAX_TIMEOUT for a closed loop at max, the sweep steps from STEP_SECONDS, BODIES_TIMEOUT,
# CORE_TIMEOUT, READY_TIMEOUT): a step that overruns is stopped and its row prints as "–", so the script always ends
# with every table. Anvil is restarted empty before its wrk step: after its 90 % step it is still mining the backlog
# (minutes at 179 % CPU), and wrk's bodies and wrk itself would measure that backlog instead of anvil at max.
set -euo pipefail
# Throwaway keys for benchmarks only, never real ones: outside Development the host generates no secrets.
KEYS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c)
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts/perf"
if [ "${1:-}" = "--short" ] || [ "${PERF_SHORT:-0}" = 1 ]; then
  : "${TX:=20000}" "${ANVIL_TX:=4000}" "${STEP_SECONDS:=3}" "${WRK_SECONDS:=3}" "${TRACE_SECONDS:=4}" "${CORE_TX:=40000}"
  : "${READY_RECORDS:=}" "${READY_RUNS:=1}" "${READY_BUILDS:=fdd}" "${MAX_TIMEOUT:=90}" "${CORE_TIMEOUT:=120}"
fi
TX=${TX:-60000}; ANVIL_TX=${ANVIL_TX:-20000}; STEP_SECONDS=${STEP_SECONDS:-8}; WRK_SECONDS=${WRK_SECONDS:-10}
TRACE_SECONDS=${TRACE_SECONDS:-8}; SENDERS=${SENDERS:-2000}; CONCURRENCY=${CONCURRENCY:-64}; CORE_TX=${CORE_TX:-200000}
READY_RECORDS=${READY_RECORDS-1000000}; READY_RUNS=${READY_RUNS:-3}; READY_BUILDS=${READY_BUILDS:-fdd r2r}; READY_COLD=${READY_COLD:-1}
# restart.sh's histories and publishes: per checkout by default, so that two runs (two worktrees, or this and a
# restart.sh of its own in /tmp/restart-data) never restore or snapshot the same data directory under each other;
# restart.sh also refuses a directory another run holds. READY_DATA=/tmp/restart-data reuses histories made there.
READY_DATA=${READY_DATA:-$ROOT/.bench-artifacts/restart-data}
# Step timeouts (seconds). A sweep step is scheduled to last STEP_SECONDS, after signing (and for anvil funding) the
# senders' transactions; six times that plus two minutes is generous for a server that keeps up and short for one
# that builds a backlog (anvil at 90 %), which is then cut off.
MAX_TIMEOUT=${MAX_TIMEOUT:-300}; SWEEP_TIMEOUT=${SWEEP_TIMEOUT:-$(( STEP_SECONDS * 6 + 120 ))}; BODIES_TIMEOUT=${BODIES_TIMEOUT:-180}
# The core's ceiling takes under a minute, time to ready 2-3 minutes per build (quiet): their limits keep a stuck step
# from taking the run past half an hour.
CORE_TIMEOUT=${CORE_TIMEOUT:-300}; READY_TIMEOUT=${READY_TIMEOUT:-600}
# wrk gets more senders: its 64 connections send each sender's next nonce SENDERS requests later, and the sequencer
# waits at most 1 s for a nonce gap to fill (Sequencer:NonceHold:WaitMs).
WRK_SENDERS=${WRK_SENDERS:-4000}
STARTED=$(date +%s)

mkdir -p "$OUT"
rm -f "$OUT"/*.jsonl "$OUT"/bodies-*.txt "$OUT"/timeouts.txt
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
[ -x tools/node_modules/.bin/anvil ] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)
[ "${NO_BUILD:-0}" = 1 ] || dotnet build Sequencer.sln -c Release -nologo -clp:ErrorsOnly

{ echo "date: $(date -u +%FT%TZ)"; uname -srm; echo "cores: $(nproc)"; grep -m1 'model name' /proc/cpuinfo || true
  free -g | sed -n 2p; echo "dotnet $(dotnet --version)"; echo "anvil $(tools/node_modules/.bin/anvil --version | head -1)"
  wrk --version 2>&1 | head -1 || true; echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$OUT/machine.txt"
cat "$OUT/machine.txt"

LOADGEN=(dotnet "$ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll")
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 300); do curl -sf -o /dev/null -X POST -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
last_rate() { node -e "const l=require('fs').readFileSync('$OUT/load.jsonl','utf8').trim().split('\n').filter(Boolean).map(JSON.parse).filter(r=>r.label=='$1');console.log(l.length?Math.floor(l[l.length-1].txPerSecond):0)" 2>/dev/null || echo 0; }
# count RATE SECONDS SENDERS: transactions for a step, a whole number per sender and at least one each.
count() { local n=$(( $1 * $2 / $3 * $3 )); [ "$n" -ge "$3" ] && echo "$n" || echo "$3"; }
# step SECONDS NAME COMMAND...: runs one step under a timeout (TERM, then KILL 10 s later); a step that fails or
# overruns is reported and the run goes on, so every table is printed (the step's rows show "–").
step() {
  local limit="$1" name="$2"; shift 2
  local rc=0
  timeout -k 10 "$limit" "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "!! $name: stopped after its ${limit} s timeout" | tee -a "$OUT/timeouts.txt" >&2
  elif [ "$rc" != 0 ]; then echo "!! $name: exit $rc" | tee -a "$OUT/timeouts.txt" >&2; fi
  return 0
}

# sweep NAME URL PID METHOD TX FUND...: closed loop at max, then the open-loop sweep at 25/50/75/90 % of it; sets MAX.
sweep() {
  local name="$1" url="$2" pid="$3" method="$4" tx="$5"; shift 5
  local fund=("$@")
  echo "== $name: max (closed loop, $CONCURRENCY connections)"
  step "$MAX_TIMEOUT" "$name-max" "${LOADGEN[@]}" --target "$url" --method "$method" "${fund[@]}" --transactions "$tx" --senders "$SENDERS" \
    --concurrency "$CONCURRENCY" --server-pid "$pid" --label "$name-max" --json "$OUT/load.jsonl"
  MAX=$(last_rate "$name-max")
  if [ "$MAX" -le 0 ]; then echo "!! $name: no max measured, sweep skipped" | tee -a "$OUT/timeouts.txt" >&2; return 0; fi
  for percent in 25 50 75 90; do
    local rate=$(( MAX * percent / 100 ))
    echo "== $name: $percent % of max = $rate tx/s (open loop, $STEP_SECONDS s)"
    step "$SWEEP_TIMEOUT" "$name-$percent%" "${LOADGEN[@]}" --target "$url" --method "$method" "${fund[@]}" \
      --transactions "$(count "$rate" "$STEP_SECONDS" "$SENDERS")" --senders "$SENDERS" --concurrency "$CONCURRENCY" --rate "$rate" \
      --seed $(( 10 + percent )) --server-pid "$pid" --label "$name-$percent%" --json "$OUT/load.jsonl"
  done
}

# wrk_max NAME URL METHOD FUND...: wrk at max (closed loop) replaying bodies the load generator pre-signed; uses MAX.
wrk_max() {
  local name="$1" url="$2" method="$3"; shift 3
  local fund=("$@")
  [ "${MAX:-0}" -gt 0 ] || { echo "!! $name-wrk: skipped (no max measured)" | tee -a "$OUT/timeouts.txt" >&2; return 0; }
  echo "== $name: wrk (closed loop, 1 thread, $CONCURRENCY connections, $WRK_SECONDS s)"
  local bodies="$OUT/bodies-$name.txt"
  step "$BODIES_TIMEOUT" "$name-wrk bodies" "${LOADGEN[@]}" --target "$url" --method "$method" "${fund[@]}" \
    --transactions "$(count $(( MAX * 3 / 2 )) "$WRK_SECONDS" "$WRK_SENDERS")" --senders "$WRK_SENDERS" --seed 7 --label "$name-wrk" \
    --write-bodies "$bodies"
  if [ -s "$bodies" ]; then
    WRK_BODIES="$bodies" WRK_THREADS=1 WRK_LABEL="$name-wrk" WRK_CONNECTIONS="$CONCURRENCY" WRK_JSON="$OUT/wrk.jsonl" \
      step $(( WRK_SECONDS + 60 )) "$name-wrk" wrk -t1 -c"$CONCURRENCY" -d"${WRK_SECONDS}s" --latency -s bench/wrk/rawtx.lua "$url" \
      > "$OUT/wrk-$name.txt"
    cat "$OUT/wrk-$name.txt"
  fi
  rm -f "$bodies"
}

start_anvil() {
  PORT=$(free_port)
  tools/node_modules/.bin/anvil --host 127.0.0.1 --port "$PORT" --chain-id 424242 --silent > "$OUT/anvil.log" 2>&1 &
  ANVIL=$!
  wait_http "http://127.0.0.1:$PORT/"
}
stop() { kill "$1" 2>/dev/null || true; timeout 30 tail --pid="$1" -f /dev/null 2>/dev/null || kill -9 "$1" 2>/dev/null || true; }

PORT=$(free_port); DATA=$(mktemp -d)
dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:$PORT --Sequencer:DataDirectory="$DATA" \
  --Logging:LogLevel:Default=Warning > "$OUT/sequencer.log" 2>&1 &
SEQ=$!
trap 'kill $SEQ 2>/dev/null || true; kill ${ANVIL:-0} 2>/dev/null || true; kill ${TRACE:-0} 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$PORT/"
# Warm-up (not recorded): tiered JIT compiles the hot path before the measured runs.
step "$MAX_TIMEOUT" warm-up "${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --transactions 20000 --senders 500 --concurrency "$CONCURRENCY" \
  --seed 3 --label warm-up > /dev/null
sweep sequencer "http://127.0.0.1:$PORT/" "$SEQ" sequencer_sendRawTransaction "$TX"
wrk_max sequencer "http://127.0.0.1:$PORT/" sequencer_sendRawTransaction
HALF=$(( MAX / 2 ))
if [ "$HALF" -gt 0 ]; then
  echo "== sequencer: tail trace at half of max = $HALF tx/s ($TRACE_SECONDS s, bench/TailTrace attached)"
  dotnet bench/TailTrace/bin/Release/net10.0/TailTrace.dll --pid "$SEQ" --metrics "http://127.0.0.1:$PORT/metrics" --label sequencer-half-traced \
    --json "$OUT/trace.jsonl" > "$OUT/trace.txt" 2>&1 &
  TRACE=$!
  sleep 2 # the EventPipe session is open well before the load starts
  step "$SWEEP_TIMEOUT" sequencer-50%-traced "${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" \
    --transactions "$(count "$HALF" "$TRACE_SECONDS" "$SENDERS")" --senders "$SENDERS" --concurrency "$CONCURRENCY" --rate "$HALF" --seed 5 \
    --server-pid "$SEQ" --label sequencer-50%-traced --json "$OUT/load.jsonl"
  kill -TERM "$TRACE" 2>/dev/null || true; stop "$TRACE"
  cat "$OUT/trace.txt"
fi
stop $SEQ
rm -rf "$DATA"

start_anvil
sweep anvil "http://127.0.0.1:$PORT/" "$ANVIL" eth_sendRawTransaction "$ANVIL_TX" --fund-anvil
stop $ANVIL
start_anvil
wrk_max anvil "http://127.0.0.1:$PORT/" eth_sendRawTransaction --fund-anvil
stop $ANVIL

echo "== core ceiling (pre-recovered input, real WAL)"
step "$CORE_TIMEOUT" core-ceiling dotnet bench/Sequencer.Benchmarks/bin/Release/net10.0/Sequencer.Benchmarks.dll core-ceiling \
  --transactions "$CORE_TX" --json "$OUT/core.jsonl"

echo "== time to ready (bench/restart.sh, builds: $READY_BUILDS, data: $READY_DATA)"
: > "$OUT/ready.txt"
for build in $READY_BUILDS; do
  # fdd: the framework-dependent build above as it is (JIT at start); r2r: restart.sh's ReadyToRun publish.
  r2r_dir=""; [ "$build" != fdd ] || r2r_dir="$ROOT/src/Sequencer/bin/Release/net10.0"
  R2R_DIR="$r2r_dir" BUILD="$build" DATA="$READY_DATA" RECORDS="$READY_RECORDS" RUNS="$READY_RUNS" COLD="$READY_COLD" \
    step "$READY_TIMEOUT" "time-to-ready $build" bench/restart.sh > "$OUT/restart-$build.txt" 2>&1
  sed -n '/^== results/,$p' "$OUT/restart-$build.txt" | grep -v '^    ' | tail -n +2 | sed "s/^/$build: /" >> "$OUT/ready.txt" || true
  grep -q "^$build: " "$OUT/ready.txt" || tail -20 "$OUT/restart-$build.txt"
done

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(( $(date +%s) - STARTED )) s" >> "$OUT/machine.txt"
node bench/perf-report.js "$OUT" | tee "$OUT/perf.md"
[ ! -s "$OUT/timeouts.txt" ] || { echo; echo "Steps stopped or failed (their rows show –):"; cat "$OUT/timeouts.txt"; }
