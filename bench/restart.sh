#!/usr/bin/env bash
# Start-to-ready of the sequencer over a long history (docs/benchmarks.md, "History and restart"): generates data
# directories of N records (log + history chunks + checkpoint + a tail of records after it), then times, from process
# start to the first 200 of /health/ready, a framework-dependent start (`dotnet Sequencer.dll`, what `dotnet run` runs
# after its build check) and a ReadyToRun publish, with an empty data directory as the baseline.
#   bench/restart.sh                                   1M, 5M, 10M records, 5 starts each, warm page cache
#   RECORDS="1000000" RUNS=3 COLD=1 bench/restart.sh   also cold (drops the page cache first; needs root)
# Data directories stay in .bench-artifacts/history/ (about 0.3 GB per million records) for re-runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts/history"
RECORDS=${RECORDS:-"1000000 5000000 10000000"}
RUNS=${RUNS:-5}
COLD=${COLD:-0}
TAIL=${TAIL:-50000}
mkdir -p "$OUT"
dotnet build src/Sequencer -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/HistoryBench -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet publish src/Sequencer -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/r2r" -nologo -clp:ErrorsOnly >/dev/null
FDD=(dotnet "$ROOT/src/Sequencer/bin/Release/net10.0/Sequencer.dll")
R2R=("$OUT/r2r/Sequencer")
# Throwaway keys for benchmarks only, never real ones.
ARGS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c
      --Batcher:Enabled=false)

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; } | tee "$OUT/machine.txt"

# start_to_ready DATA_DIR COMMAND...: prints wall ms from launch to the first 200 of /health/ready, the host's CPU ms
# up to then, and the recovery's own wall ms from its log line.
start_to_ready() {
  local data="$1"; shift
  local port=$(( 20000 + RANDOM % 20000 ))
  local log="$OUT/start.log"
  local t0 t1
  # Every start sees the generated state: the checkpoint with the tail after it (a start's indexer moves it on).
  if [ -s "$data/checkpoint.generated" ]; then cp "$data/checkpoint.generated" "$data/history/checkpoint"; else rm -rf "$data/wal" "$data/history"/*; fi
  comm -23 <(ls "$data/history" | grep '\.idx$' | sort) "$data/chunks.generated" | while read -r extra; do rm -f "$data/history/$extra"; done
  [ "${CACHE:-warm}" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
  t0=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production "$@" --Urls="http://127.0.0.1:$port" --Sequencer:DataDirectory="$data" "${ARGS[@]}" >"$log" 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "host exited:"; cat "$log"; return 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  # CPU time (user + system) of the host up to ready: what the start costs, whatever else the machine is running.
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" || true
  local recovery
  recovery=$(grep -o 'Recovered [0-9]* transactions.* in [0-9]* ms' "$log" | sed 's/.* in \([0-9]*\) ms/\1/' || true)
  echo "$(( (t1 - t0) / 1000000 )) $cpu ${recovery:-?}"
}

measure() {
  local label="$1" data="$2"
  for mode in fdd r2r; do
    local cmd
    if [ "$mode" = fdd ]; then cmd=("${FDD[@]}"); else cmd=("${R2R[@]}"); fi
    for cache in warm $([ "$COLD" = 1 ] && echo cold); do
      local times=() cpus=() recoveries=()
      start_to_ready "$data" "${cmd[@]}" >/dev/null # warm-up run (also warms the page cache)
      for _ in $(seq "$RUNS"); do
        read -r ms cpu rec < <(CACHE=$cache start_to_ready "$data" "${cmd[@]}")
        times+=("$ms"); cpus+=("$cpu"); recoveries+=("$rec")
      done
      echo "$label $mode $cache: start-to-ready wall ms ${times[*]} | CPU ms ${cpus[*]} | recovery wall ms ${recoveries[*]} | load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/restart.txt"
    done
  done
}

: >"$OUT/restart.txt"
empty="$OUT/empty"
rm -rf "$empty"; mkdir -p "$empty/history"
: >"$empty/checkpoint.generated"; : >"$empty/chunks.generated"
EMPTY=1 measure "empty" "$empty"
for n in $RECORDS; do
  data="$OUT/data-$n"
  if [ ! -f "$data/history/checkpoint" ]; then
    rm -rf "$data"
    /usr/bin/time -f "generate $n: %e s, max RSS %M KB" dotnet "$ROOT/bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll" generate --data "$data" --records "$n" --tail "$TAIL"
    cp "$data/history/checkpoint" "$data/checkpoint.generated"
    ls "$data/history" | grep '\.idx$' | sort >"$data/chunks.generated"
  fi
  measure "$n" "$data"
done
echo "== results"; cat "$OUT/restart.txt"
