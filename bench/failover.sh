#!/usr/bin/env bash
# Replicated sequencing figures for docs/benchmarks.md ("Replication", issue 12), on this machine:
#   1. the failover run: three sequencer processes on a three-member etcd (sub-second elections), eight clients, the
#      leader SIGKILLed KILLS times and SIGSTOPped past its lease STOPS times (the test FailoverTests, which the test
#      command runs with 3 kills and 1 stop). Every safety check of the test holds or the run fails; the failover times
#      (kill → first confirmation by the new leader, p50/p99) go to .bench-artifacts/failover/failover.txt.
#   2. confirmed tx/s and latency, single node vs a set of three (one etcd member: etcd only holds the lease, it is not
#      on the confirmation path): closed loop (as fast as answered), then open loop at half the single node's rate.
#   bench/failover.sh                      both, 20 kills and 5 stops
#   KILLS=3 STOPS=1 bench/failover.sh      a short failover run
#   PARTS=throughput bench/failover.sh     only part 2 (PARTS=failover: only part 1)
#   FAILOVER_SEED=N bench/failover.sh      replay the fault moments of an earlier run (its seed is printed)
# Each replica's whole log (replication events at Information, time-stamped) is kept under .bench-artifacts/failover/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts/failover"
KILLS=${KILLS:-20}
STOPS=${STOPS:-5}
PARTS=${PARTS:-"failover throughput"}
TX=${TX:-20000}; SENDERS=${SENDERS:-500}; CONCURRENCY=${CONCURRENCY:-64}
mkdir -p "$OUT"
dotnet build Sequencer.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; dotnet --version; etcd --version | sed -n 1p; } | tee "$OUT/machine.txt"

if [[ " $PARTS " == *" failover "* ]]; then
  echo "== failover: $KILLS kills, $STOPS stops (uptime before: $(uptime))"
  FAILOVER_KILLS=$KILLS FAILOVER_STOPS=$STOPS FAILOVER_REPORT="$OUT/failover.txt" FAILOVER_LOG_DIR="$OUT/logs" \
    dotnet test tests/Acceptance -c Release --no-build -nologo --filter "FullyQualifiedName~Replication.FailoverTests" \
    --logger "console;verbosity=detailed" > "$OUT/failover-test.log" 2>&1 || {
      tail -50 "$OUT/failover-test.log"
      grep -m1 -o "each replica's whole log: .*" "$OUT/failover-test.log" || true
      exit 1; }
  grep -E "fault [0-9]+:" "$OUT/failover-test.log" | sed 's/^ *\[xUnit[^]]*\] *//' | sort -u -k2,2n || true
  cat "$OUT/failover.txt"
fi

if [[ " $PARTS " == *" throughput "* ]]; then
  LOADGEN=(dotnet "$ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll")
  # Throwaway keys for benchmarks only, never real ones.
  KEYS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
        --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c --Batcher:Enabled=false
        --Logging:LogLevel:Default=Warning)
  PIDS=()
  cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
  trap cleanup EXIT
  # Below the kernel's ephemeral range (32768+), so no outgoing connection takes a port between its pick and its bind
  # (a replica once failed to start: "already in use"), unused by this script yet, and nothing listening on it now.
  USED_PORTS=" "
  port() { # sets PORT (not in a subshell, so that USED_PORTS keeps what it handed out)
    local p
    while true; do
      p=$(( 20000 + RANDOM % 12000 ))
      [[ "$USED_PORTS" == *" $p "* ]] && continue
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
      USED_PORTS+="$p "; PORT=$p; return
    done
  }
  ready() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null && return 0; sleep 0.1; done; return 1; }
  run_load() { # LABEL URL SEED [--rate R]: senders of another seed each run, so that no nonce is sent twice to one chain
    local label="$1" url="$2" seed="$3"; shift 3
    [ "$seed" = 1 ] && "${LOADGEN[@]}" --target "$url" --transactions 5000 --senders 200 --concurrency "$CONCURRENCY" --seed 9 --label warm-up >/dev/null
    "${LOADGEN[@]}" --target "$url" --transactions "$TX" --senders "$SENDERS" --concurrency "$CONCURRENCY" --seed "$seed" --label "$label" --json "$OUT/throughput.jsonl" "$@"
    echo "   load after $label: $(cut -d' ' -f1-3 /proc/loadavg)"
  }
  rate_of() { grep "\"label\":\"$1\"" "$OUT/throughput.jsonl" | tail -1 | sed -E 's/.*"txPerSecond":([0-9.]+).*/\1/'; }
  rm -f "$OUT/throughput.jsonl"

  echo "== single node"
  DATA=$(mktemp -d); port; P=$PORT
  dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:$P --Sequencer:DataDirectory="$DATA" > "$OUT/single.log" 2>&1 &
  PIDS+=($!); ready "$P"
  run_load single "http://127.0.0.1:$P/" 1
  SINGLE_RATE=$(rate_of single)
  HALF=$(awk -v r="$SINGLE_RATE" 'BEGIN { printf "%d", r / 2 }')
  run_load single-half "http://127.0.0.1:$P/" 2 --rate "$HALF"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; rm -rf "$DATA"

  echo "== replica set of three (MinAcks 2), one etcd member"
  ETCD_DIR=$(mktemp -d); port; EC=$PORT; port; EP=$PORT
  etcd --name b0 --data-dir "$ETCD_DIR" --listen-client-urls "http://127.0.0.1:$EC" --advertise-client-urls "http://127.0.0.1:$EC" \
    --listen-peer-urls "http://127.0.0.1:$EP" --initial-advertise-peer-urls "http://127.0.0.1:$EP" \
    --initial-cluster "b0=http://127.0.0.1:$EP" --log-level warn --logger zap > "$OUT/etcd.log" 2>&1 &
  PIDS+=($!)
  PORTS=(); for _ in 0 1 2; do port; PORTS+=("$PORT"); done; DIRS=()
  for i in 0 1 2; do
    DIRS+=("$(mktemp -d)")
    PEERS=(); n=0
    for j in 0 1 2; do [ "$j" = "$i" ] && continue
      PEERS+=("--Sequencer:Replication:Peers:$n:NodeId=r$j" "--Sequencer:Replication:Peers:$n:Url=http://127.0.0.1:${PORTS[$j]}"); n=$((n + 1)); done
    dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:${PORTS[$i]} --Sequencer:DataDirectory="${DIRS[$i]}" \
      --Sequencer:Replication:NodeId=r$i --Sequencer:Replication:AdvertisedUrl=http://127.0.0.1:${PORTS[$i]} \
      --Sequencer:Replication:EtcdEndpoints:0=http://127.0.0.1:$EC --Sequencer:Replication:SharedSecret=bench-only-shared-secret-0123 \
      "${PEERS[@]}" > "$OUT/replica-$i.log" 2>&1 &
    PIDS+=($!)
  done
  for i in 0 1 2; do ready "${PORTS[$i]}"; done
  LEADER=""
  for _ in $(seq 300); do
    for i in 0 1 2; do
      curl -s -X POST -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"sequencer_getStatus","params":[]}' \
        "http://127.0.0.1:${PORTS[$i]}/" | grep -q '"role":"leader"' && LEADER=$i
    done
    [ -n "$LEADER" ] && break; sleep 0.2
  done
  [ -n "$LEADER" ] || { echo "no leader"; exit 1; }
  run_load replicated "http://127.0.0.1:${PORTS[$LEADER]}/" 1
  run_load replicated-half "http://127.0.0.1:${PORTS[$LEADER]}/" 2 --rate "$HALF"
  cleanup; PIDS=(); rm -rf "${DIRS[@]}" "$ETCD_DIR"
  echo "== results (.bench-artifacts/failover/throughput.jsonl)"
  cat "$OUT/throughput.jsonl"
fi
echo "uptime at the end: $(uptime)"
