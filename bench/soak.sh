#!/usr/bin/env bash
# Soak of bounded memory (docs/benchmarks.md, "History and restart"): a sequencer with the default configuration
# (fsync on, default History bounds, batcher on with the local DA store) on a fresh data directory, loaded as fast as it
# answers for MINUTES minutes by HistoryBench (native secp256k1 signing, 2,000 senders, 64 connections). Every 10 s:
# the sequencer's RSS and 20 random earlier transactions asked back; at the end every sampled transaction (1 in 1,000).
#   bench/soak.sh                 10 minutes
#   MINUTES=2 bench/soak.sh       a shorter run
# Output: .bench-artifacts/soak/soak.csv (one line per 10 s) and a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts/soak"
MINUTES=${MINUTES:-10}
rm -rf "$OUT"; mkdir -p "$OUT/data"
dotnet publish src/Sequencer -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/host" -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/HistoryBench -c Release -nologo -clp:ErrorsOnly >/dev/null
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; uptime; } | tee "$OUT/machine.txt"
port=$(( 20000 + RANDOM % 20000 ))
# Test-only keys (the ones the test suite uses), never real ones.
ASPNETCORE_ENVIRONMENT=Production "$OUT/host/Sequencer" --Urls="http://127.0.0.1:$port" --Sequencer:DataDirectory="$OUT/data" \
  --Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318 \
  --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c \
  --Logging:LogLevel:Default=Warning >"$OUT/host.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do kill -0 "$pid" || { cat "$OUT/host.log"; exit 1; }; sleep 0.1; done
status=0
dotnet "$ROOT/bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll" soak --target "http://127.0.0.1:$port/" --pid "$pid" \
  --minutes "$MINUTES" --out "$OUT/soak.csv" || status=$?
curl -s -XPOST -H 'content-type: application/json' "http://127.0.0.1:$port/" \
  -d '{"jsonrpc":"2.0","id":1,"method":"sequencer_getStatus","params":[]}' | tee "$OUT/status.json"; echo
du -sh "$OUT/data/wal" "$OUT/data/history" | tee -a "$OUT/machine.txt"
exit $status
