#!/usr/bin/env bash
# End-to-end throughput with execution on: the sequencer with anvil as its execution node
# (automine off, one anvil block per sealed block, funds check on). The load generator measures
# confirmations; the script then waits until the node has executed the last sealed block and reports
# executed tx/s over the whole run (first send to last block executed). Results: .bench-artifacts/.
#   bench/execution.sh                 TX=20000 SENDERS=1000 CONCURRENCY=64
set -euo pipefail
# Throwaway keys for benchmarks only, never real ones: outside Development the host generates no secrets.
KEYS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c)
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts"
TX=${TX:-20000}; SENDERS=${SENDERS:-1000}; CONCURRENCY=${CONCURRENCY:-64}
mkdir -p "$OUT"
rm -f "$OUT/execution.jsonl"
[ -x tools/node_modules/.bin/anvil ] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)
dotnet build src/Sequencer -c Release -nologo -clp:ErrorsOnly
dotnet build bench/LoadGenerator -c Release -nologo -clp:ErrorsOnly

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; tools/node_modules/.bin/anvil --version | head -1; } | tee "$OUT/machine-execution.txt"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
rpc() { curl -sf -X POST -H 'content-type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":[]}" "$1" | node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>console.log(parseInt(JSON.parse(d).result,16)))'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null -X POST -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }

ANVIL_PORT=$(free_port)
tools/node_modules/.bin/anvil --host 127.0.0.1 --port "$ANVIL_PORT" --chain-id 424242 --no-mining --order fifo --base-fee 0 --gas-limit 60000000 --silent > "$OUT/anvil-execution.log" 2>&1 &
ANVIL=$!
trap 'kill ${SEQ:-0} 2>/dev/null || true; kill $ANVIL 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$ANVIL_PORT/"

PORT=$(free_port); DATA=$(mktemp -d)
dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:$PORT --Sequencer:DataDirectory="$DATA" \
  --Logging:LogLevel:Default=Warning --Sequencer:Execution:Kind=anvil --Sequencer:Execution:RpcUrl=http://127.0.0.1:$ANVIL_PORT \
  > "$OUT/sequencer-execution.log" 2>&1 &
SEQ=$!
wait_http "http://127.0.0.1:$PORT/"

dotnet bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll --target "http://127.0.0.1:$PORT/" --fund-url "http://127.0.0.1:$ANVIL_PORT/" \
  --transactions "$TX" --senders "$SENDERS" --concurrency "$CONCURRENCY" --label sequencer-with-execution --json "$OUT/execution.jsonl"
SENT=$(date +%s.%N)
LATEST=$(rpc "http://127.0.0.1:$PORT/" eth_blockNumber)
until [ "$(rpc "http://127.0.0.1:$ANVIL_PORT/" eth_blockNumber)" -ge "$LATEST" ]; do sleep 0.05; done
DONE=$(date +%s.%N)
# The load generator's clock starts at its first send (after signing and funding); execution may still
# be catching up when it stops, so the end-to-end time is its sending time plus the wait after it.
node -e "
const r=require('fs').readFileSync('$OUT/execution.jsonl','utf8').trim().split('\\n').map(JSON.parse).pop();
const sending=r.ok/r.txPerSecond, tail=$DONE-$SENT;
console.log('| blocks | confirmed tx | errors | confirmed tx/s | p50 ms | p99 ms | execution tail after last confirmation s | executed tx/s end to end |');
console.log('|---|---|---|---|---|---|---|---|');
console.log('| $LATEST | '+r.ok+' | '+r.errors+' | '+r.txPerSecond.toFixed(0)+' | '+r.p50Ms.toFixed(1)+' | '+r.p99Ms.toFixed(1)+' | '+tail.toFixed(2)+' | '+(r.ok/(sending+tail)).toFixed(0)+' |');
" | tee "$OUT/execution-summary.md"
grep -E 'crit|fail' "$OUT/sequencer-execution.log" || true
kill $SEQ; wait $SEQ 2>/dev/null || true
rm -rf "$DATA"

echo "== the same load without execution (Kind none), for comparison"
PORT=$(free_port); DATA=$(mktemp -d)
dotnet src/Sequencer/bin/Release/net10.0/Sequencer.dll "${KEYS[@]}" --Urls=http://127.0.0.1:$PORT --Sequencer:DataDirectory="$DATA" \
  --Logging:LogLevel:Default=Warning > "$OUT/sequencer-no-execution.log" 2>&1 &
SEQ=$!
wait_http "http://127.0.0.1:$PORT/"
dotnet bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll --target "http://127.0.0.1:$PORT/" \
  --transactions "$TX" --senders "$SENDERS" --concurrency "$CONCURRENCY" --label sequencer-without-execution --json "$OUT/execution.jsonl"
kill $SEQ; wait $SEQ 2>/dev/null || true
rm -rf "$DATA"
