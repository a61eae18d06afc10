#!/usr/bin/env bash
# Start-to-ready of the sequencer over a long history (docs/benchmarks.md, "History and restart"), the whole measure in
# one command: publishes the host, generates data directories of 1 M, 5 M and 10 M records (HistoryBench generate: log,
# history chunks, a checkpoint and 10,000 records after it) if they are not there yet, then times, from process start
# to the first 200 of /health/ready, every start warm and cold, for two states of each history:
#   crash  the generated state: 10,000 records after the last checkpoint, the most a restart after a crash replays
#          with the default History:ChunkTransactions;
#   clean  what the host's own clean stop leaves (a chunk and a checkpoint at the end of the log): taken once by starting
#          the host on the crash state and stopping it with SIGTERM.
# plus an empty data directory as the baseline.
#   bench/restart.sh                                   everything above, 5 starts each (about 15-25 min on a quiet machine)
#   RECORDS="1000000" RUNS=3 COLD=0 bench/restart.sh   one history, 3 starts, warm page cache only
#   STATES=crash bench/restart.sh                      one state only (STATES=clean: the other)
#   BUILD=composite bench/restart.sh                   time a self-contained composite ReadyToRun publish instead
#   BEFORE=/path/to/publish bench/restart.sh           also time another publish (e.g. of main), alternating start by
#                                                      start with this one: paired before/after on the same data
#   PREPARE=1 bench/restart.sh                         only generate the histories (their crash state), time nothing
#   R2R_DIR=/path/to/publish bench/restart.sh          time an existing publish instead of publishing one
#   DATA=/tmp/restart-data                             where the histories and publishes live (default; ~0.3 GB per
#                                                      million records; kept for re-runs, delete it by hand); one run
#                                                      at a time per DATA (a lock: a second run stops with a message)
# Cold starts drop the page cache first (`sync; echo 3 > /proc/sys/vm/drop_caches`: needs root; COLD=0 skips them).
# Output (also in $DATA/results/restart.txt): per history, state, build and cache one line with each start's wall ms and
# the host's CPU ms at the first 200 (user + system, /proc/PID/stat), the replay's own wall ms, the records replayed
# and the load average; then each start's own timeline (event 50: wall, CPU and JIT per stage).
# Wall time depends on what else the machine runs; CPU time much less so: compare CPU when the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DATA=${DATA:-/tmp/restart-data}
OUT="$DATA/results"
mkdir -p "$DATA"
# Two runs on one DATA would restore and snapshot each other's histories mid-start: the second one stops instead.
exec 9>"$DATA/.lock"
flock -n 9 || { echo "another bench/restart.sh is using $DATA; give this one its own: DATA=/some/dir bench/restart.sh" >&2; exit 3; }
RECORDS=${RECORDS-"1000000 5000000 10000000"} # RECORDS="" times the empty data directory only
RUNS=${RUNS:-5}
COLD=${COLD:-1}
TAIL=${TAIL:-10000}
CHUNK=${CHUNK:-50000}
STATES=${STATES:-"clean crash"}
BUILD=${BUILD:-r2r}
EMPTY=${EMPTY:-1}
mkdir -p "$OUT"

# The host as it is deployed: a ReadyToRun publish (framework-dependent), or with BUILD=composite the framework and the
# app compiled together (self-contained, composite: generic instantiations across assemblies need no JIT at start).
if [ -z "${R2R_DIR:-}" ] && [ "${PREPARE:-0}" != 1 ]; then
  R2R_DIR="$DATA/publish-$BUILD"
  case "$BUILD" in
    r2r) flags=(--self-contained false -p:PublishReadyToRun=true) ;;
    composite) flags=(--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true) ;;
    *) echo "BUILD is r2r or composite" >&2; exit 2 ;;
  esac
  echo "== publish ($BUILD) to $R2R_DIR"
  /usr/bin/time -f "publish: %e s wall, %U s user" dotnet publish src/Sequencer -c Release -r linux-x64 "${flags[@]}" -o "$R2R_DIR" -nologo -clp:ErrorsOnly >/dev/null
fi
AFTER=("${R2R_DIR:-}/Sequencer")
[ -z "${BEFORE:-}" ] || BEFORE_CMD=("$BEFORE/Sequencer")
# Throwaway keys for benchmarks only, never real ones. The batcher is off so that it does not re-batch the synthetic
# history; empty blocks are off because the synthetic history's head block is from 2023 (a start would seal one empty
# block for every second since, about 10^8, where a real restart after a stop of T seconds seals T of them).
ARGS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c
      --Batcher:Enabled=false)
[ "${EMPTY_BLOCKS:-0}" = 1 ] || ARGS+=(--Sequencer:EmptyBlockIntervalMs=0)

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; uptime; } | tee "$OUT/machine.txt"

# snapshot DATA STATE: keeps the history's checkpoint and chunk list as STATE, and hard links to its chunks (chunk files
# are written once: temporary file, rename), so that every start can be given exactly that state again.
snapshot() {
  local data="$1" state="$2" dir="$1/state-$2"
  rm -rf "$dir"; mkdir -p "$dir/chunks"
  cp "$data/history/checkpoint" "$dir/checkpoint"
  ls "$data/history" | grep '\.idx$' | sort >"$dir/chunks.list" || true
  while read -r chunk; do ln "$data/history/$chunk" "$dir/chunks/$chunk"; done <"$dir/chunks.list"
}

# restore DATA STATE: the checkpoint and exactly the chunks of STATE (a start's indexer may have written or merged some).
restore() {
  local data="$1" dir="$1/state-$2"
  [ -d "$dir" ] || { rm -rf "$data/wal" "$data/history"; mkdir -p "$data/history"; return; }
  cp "$dir/checkpoint" "$data/history/checkpoint"
  comm -23 <(ls "$data/history" | grep '\.idx$' | sort) "$dir/chunks.list" | while read -r extra; do rm -f "$data/history/$extra"; done
  comm -13 <(ls "$data/history" | grep '\.idx$' | sort) "$dir/chunks.list" | while read -r missing; do ln "$dir/chunks/$missing" "$data/history/$missing"; done
  rm -f "$data/history"/*.tmp
}

# start_to_ready DATA STATE CACHE COMMAND...: prints wall ms from launch to the first 200 of /health/ready, the host's CPU
# ms up to then, the replay's own wall ms and records replayed (its log line); the timeline (event 50) goes to $OUT/timeline.
start_to_ready() {
  local data="$1" state="$2" cache="$3"; shift 3
  local port=$(( 20000 + RANDOM % 20000 ))
  local log="$OUT/start.log"
  local t0 t1
  restore "$data" "$state"
  [ "$cache" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
  t0=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production "$@" --Urls="http://127.0.0.1:$port" --Sequencer:DataDirectory="$data" "${ARGS[@]}" >"$log" 2>&1 &
  local pid=$!
  # Polled with bash built-ins only (/dev/tcp, read -t on a FIFO): a curl and a sleep process every 5 ms cost the
  # loaded 2 cores more than the host's own start (measured: +45 % wall, +0.5 s CPU per empty start at load 12-17).
  local fifo="$OUT/poll.$$" status
  mkfifo "$fifo"; exec 9<>"$fifo"; rm -f "$fifo"
  while :; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      status=""; read -r status <&3 || true; exec 3<&-
      case "$status" in *" 200 "*) break ;; esac
    fi
    kill -0 "$pid" 2>/dev/null || { exec 9<&-; echo "host exited:" >&2; cat "$log" >&2; return 1; }
    read -r -t 0.005 -u 9 || true
  done
  exec 9<&-
  t1=$(date +%s%N)
  # CPU time (user + system) of the host up to ready: what the start costs, whatever else the machine is running.
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  { echo "=== $(date -u +%FT%TZ) $data $state $cache exit $rc"; cat "$log"; } >>"$OUT/starts.log"
  if [ "$rc" != 0 ]; then
    cp "$log" "$OUT/stop-exit-$rc-$(date +%s).log"
    echo "host exited with code $rc after SIGTERM (log kept in $OUT/stop-exit-$rc-*.log)" >&2
  fi
  local recovery replayed
  recovery=$(grep -o 'Recovered [0-9]* transactions.* in [0-9]* ms' "$log" | sed 's/.* in \([0-9]*\) ms/\1/' || true)
  replayed=$(grep -o 'Recovered [0-9]* transactions' "$log" | grep -o '[0-9]*' || true)
  grep -o 'Started in .*' "$log" | head -1 >"$OUT/timeline" || echo "(no timeline line)" >"$OUT/timeline"
  echo "$(( (t1 - t0) / 1000000 )) $cpu ${recovery:-?} ${replayed:-?}"
}

# start_build before|after DATA STATE CACHE: start_to_ready with that build's command.
start_build() {
  local b="$1"; shift
  if [ "$b" = before ]; then start_to_ready "$@" "${BEFORE_CMD[@]}"; else start_to_ready "$@" "${AFTER[@]}"; fi
}

# measure LABEL DATA STATE: one warm-up start, then RUNS starts warm (and cold), alternating with BEFORE when given.
measure() {
  local label="$1" data="$2" state="$3"
  local builds=(after); [ -z "${BEFORE:-}" ] || builds=(before after)
  for cache in warm $([ "$COLD" = 1 ] && echo cold); do
    declare -A times=() cpus=() recoveries=() replays=() timelines=()
    for b in "${builds[@]}"; do
      start_build "$b" "$data" "$state" warm >/dev/null # warm-up (also warms the page cache)
    done
    for _ in $(seq "$RUNS"); do
      for b in "${builds[@]}"; do
        local ms cpu rec replayed
        read -r ms cpu rec replayed < <(start_build "$b" "$data" "$state" "$cache")
        times[$b]+="$ms "; cpus[$b]+="$cpu "; recoveries[$b]+="$rec "; replays[$b]+="$replayed "
        timelines[$b]+="    $(cat "$OUT/timeline")"$'\n'
      done
    done
    for b in "${builds[@]}"; do
      echo "$label $state $b $cache: wall ms ${times[$b]}| CPU ms ${cpus[$b]}| recovery wall ms ${recoveries[$b]}| replayed ${replays[$b]}| load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/restart.txt"
      printf '%s' "${timelines[$b]}" | tee -a "$OUT/restart.txt"
    done
    unset times cpus recoveries replays timelines
  done
}

: >"$OUT/restart.txt"
echo "== $(date -u +%FT%TZ) build $BUILD (${R2R_DIR:-})${BEFORE:+, before: $BEFORE}, runs $RUNS, cold $COLD, load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/restart.txt"
if [ "$EMPTY" = 1 ] && [ "${PREPARE:-0}" != 1 ]; then
  empty="$DATA/empty"
  rm -rf "$empty"; mkdir -p "$empty/history"
  measure "empty" "$empty" none
fi
for n in $RECORDS; do
  data="$DATA/data-$n-tail$TAIL-chunk$CHUNK"
  if [ ! -d "$data/state-crash" ]; then
    rm -rf "$data"
    [ -n "${GENERATOR_BUILT:-}" ] || { dotnet build bench/HistoryBench -c Release -nologo -clp:ErrorsOnly >/dev/null; GENERATOR_BUILT=1; }
    /usr/bin/time -f "generate $n: %e s, max RSS %M KB" dotnet "$ROOT/bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll" generate --data "$data" --records "$n" --tail "$TAIL" --chunk "$CHUNK"
    snapshot "$data" crash
  fi
  [ "${PREPARE:-0}" != 1 ] || continue
  if [[ " $STATES " == *" clean "* ]]; then
    # The clean state is the publish's own: what its stop leaves after a start on the crash state.
    start_to_ready "$data" crash warm "${AFTER[@]}" >/dev/null
    snapshot "$data" clean
  fi
  for state in $STATES; do measure "$n" "$data" "$state"; done
done
echo "== results"; cat "$OUT/restart.txt"
