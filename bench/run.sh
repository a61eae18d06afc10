#!/usr/bin/env bash
# Runs every benchmark on this machine: BenchmarkDotNet micro benchmarks of the hot paths, then the
# load generator against this sequencer and against anvil, in one run. Results go to .bench-artifacts/
# and a markdown summary is printed for docs/benchmarks.md.
#   bench/run.sh            full run
#   bench/run.sh --quick    fewer transactions and a short BenchmarkDotNet job (a smoke run, not for the docs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
TX=${TX:-60000}; SENDERS=${SENDERS:-2000}; CONCURRENCY=${CONCURRENCY:-64}; ANVIL_TX=${ANVIL_TX:-20000}
JOB=""
if [ "$QUICK" = 1 ]; then TX=10000; SENDERS=500; ANVIL_TX=2000; JOB="--job short"; fi

mkdir -p "$OUT"
rm -f "$OUT/e2e.jsonl"
[ -x tools/node_modules/.bin/anvil ] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)
dotnet build Sequencer.sln -c Release -nologo -clp:ErrorsOnly

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; } | tee "$OUT/machine.txt"

echo "== BenchmarkDotNet"
# Run from the project folder: BenchmarkDotNet builds a boilerplate project next to it.
(cd "$ROOT/bench/Sequencer.Benchmarks" && dotnet run -c Release --no-build -- --filter '*' $JOB --artifacts "$OUT/bdn") | grep -E '^\|' || true

LOADGEN=(dotnet "$ROOT/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll")
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null -X POST -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
half_of() { node -e "const l=require('fs').readFileSync('$OUT/e2e.jsonl','utf8').trim().split('\n').map(JSON.parse).filter(r=>r.label=='$1');console.log(Math.floor(l[l.length-1].txPerSecond/2))"; }

echo "== sequencer (durable soft confirmations, sequencer_sendRawTransaction)"
PORT=$(free_port); DATA=$(mktemp -d)
dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll --Urls=http://127.0.0.1:$PORT --Sequencer:DataDirectory="$DATA" --Logging:LogLevel:Default=Warning > "$OUT/sequencer.log" 2>&1 &
SEQ=$!
trap 'kill $SEQ 2>/dev/null || true; kill ${ANVIL:-0} 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$PORT/"
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
node -e '
const rows=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse);
console.log("| run | method | concurrency | offered rate | ok | errors | tx/s | p50 ms | p99 ms | p99.9 ms |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.label} | ${r.method} | ${r.concurrency} | ${r.rate||"max"} | ${r.ok} | ${r.errors} | ${r.txPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.p999Ms.toFixed(2)} |`);
' "$OUT/e2e.jsonl"
