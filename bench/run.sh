#!/usr/bin/env bash
# Runs every benchmark on this machine in one go, for docs/benchmarks.md:
#   1. BenchmarkDotNet (short job): intake and secp256k1 libraries, rate limiter (embedded vs Redis),
#      batch compression and the batcher pipeline;
#   2. limiter decisions/s and sponsored transactions/s under load (embedded and a real redis-server);
#   3. batch sizes on the realistic transaction mix;
#   4. the load generator against this sequencer and against anvil;
#   5. the sequencer with anvil as its execution node (bench/execution.sh).
# Results go to .bench-artifacts/; the output holds every table.
#   bench/run.sh            full run
#   bench/run.sh --quick    fewer transactions (a smoke run, not for the docs)
#   bench/run.sh --e2e      only the end-to-end parts (4 and 5)
set -euo pipefail
# Throwaway keys for benchmarks only, never real ones: outside Development the host generates no secrets.
KEYS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c)
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts"
QUICK=0
E2E_ONLY=0
[ "${1:-}" = "--quick" ] && QUICK=1
[ "${1:-}" = "--e2e" ] && E2E_ONLY=1
TX=${TX:-60000}; SENDERS=${SENDERS:-2000}; CONCURRENCY=${CONCURRENCY:-64}; ANVIL_TX=${ANVIL_TX:-20000}
# The longer build timeout: BenchmarkDotNet builds its own project per run, and on a loaded 2-core machine that
# can pass its default of 120 s.
JOB="--job short --buildTimeout 1200"
if [ "$QUICK" = 1 ]; then TX=10000; SENDERS=500; ANVIL_TX=2000; fi

mkdir -p "$OUT"
rm -f "$OUT/e2e.jsonl"
[ -x tools/node_modules/.bin/anvil ] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)
dotnet build Sequencer.sln -c Release -nologo -clp:ErrorsOnly

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; } | tee "$OUT/machine.txt"

if [ "$E2E_ONLY" = 0 ]; then
echo "== BenchmarkDotNet"
# Run from the project folder: BenchmarkDotNet builds a boilerplate project next to it.
for project in Sequencer Admission Batcher; do
  (cd "$ROOT/bench/$project.Benchmarks" && dotnet run -c Release --no-build -- --filter '*' $JOB --artifacts "$OUT/bdn-$project") | grep -E '^\||^  [A-Za-z]+ +:' || true
done

echo "== limiter and sponsored load (10 s each)"
ADMISSION=(dotnet "$ROOT/bench/Admission.Benchmarks/bin/Release/net10.0/Admission.Benchmarks.dll")
for store in Embedded Redis; do
  "${ADMISSION[@]}" load "$store" 8 10
  "${ADMISSION[@]}" sponsored "$store" 64 10
done

echo "== batch sizes"
dotnet "$ROOT/bench/Batcher.Benchmarks/bin/Release/net10.0/Batcher.Benchmarks.dll" sizes
fi

LOADGEN=(dotnet "$ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll")
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null -X POST -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
half_of() { node -e "const l=require('fs').readFileSync('$OUT/e2e.jsonl','utf8').trim().split('\n').map(JSON.parse).filter(r=>r.label=='$1');console.log(Math.floor(l[l.length-1].txPerSecond/2))"; }

echo "== sequencer (durable soft confirmations, sequencer_sendRawTransaction)"
PORT=$(free_port); DATA=$(mktemp -d)
dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:$PORT --Sequencer:DataDirectory="$DATA" --Logging:LogLevel:Default=Warning > "$OUT/sequencer.log" 2>&1 &
SEQ=$!
trap 'kill $SEQ 2>/dev/null || true; kill ${ANVIL:-0} 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$PORT/"
# Warm-up (not recorded): lets tiered JIT compile the hot path before the measured runs.
"${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --transactions 20000 --senders 500 --concurrency "$CONCURRENCY" --seed 3 --label warm-up > /dev/null
"${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --transactions "$TX" --senders "$SENDERS" --concurrency "$CONCURRENCY" --label sequencer --json "$OUT/e2e.jsonl"
RATE=$(half_of sequencer)
"${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --transactions $((TX / 2)) --senders "$SENDERS" --concurrency "$CONCURRENCY" --rate "$RATE" --seed 2 --label sequencer-half-rate --json "$OUT/e2e.jsonl"
kill $SEQ; wait $SEQ 2>/dev/null || true
rm -rf "$DATA"

echo "== anvil (eth_sendRawTransaction, automine)"
PORT=$(free_port)
tools/node_modules/.bin/anvil --host 127.0.0.1 --port "$PORT" --chain-id 424242 --silent > "$OUT/anvil.log" 2>&1 &
ANVIL=$!
wait_http "http://127.0.0.1:$PORT/"
"${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --method eth_sendRawTransaction --fund-anvil --transactions "$ANVIL_TX" --senders "$SENDERS" --concurrency "$CONCURRENCY" --label anvil --json "$OUT/e2e.jsonl"
RATE=$(half_of anvil)
"${LOADGEN[@]}" --target "http://127.0.0.1:$PORT/" --method eth_sendRawTransaction --fund-anvil --transactions $((ANVIL_TX / 2)) --senders "$SENDERS" --concurrency "$CONCURRENCY" --rate "$RATE" --seed 2 --label anvil-half-rate --json "$OUT/e2e.jsonl"
kill $ANVIL; wait $ANVIL 2>/dev/null || true

echo "== summary (markdown)"
# (execution figures follow after this table)
node -e '
const rows=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse);
console.log("| run | method | concurrency | offered rate | ok | errors | tx/s | p50 ms | p99 ms | p99.9 ms |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.label} | ${r.method} | ${r.concurrency} | ${r.rate||"max"} | ${r.ok} | ${r.errors} | ${r.txPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.p999Ms.toFixed(2)} |`);
' "$OUT/e2e.jsonl"

echo "== with execution (anvil)"
"$ROOT/bench/execution.sh"
