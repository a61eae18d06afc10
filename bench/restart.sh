#!/usr/bin/env bash
# Start-to-ready of the sequencer over a long history (docs/benchmarks.md, "History and restart"): generates data
# directories of N records (log + history chunks + checkpoint + a tail of records after it), then times, from process
# start to the first 200 of /health/ready, a framework-dependent start (`dotnet Sequencer.dll`, what `dotnet run` runs
# after its build check) and a ReadyToRun publish, with an empty data directory as the baseline.
#   bench/restart.sh                                   1M, 5M, 10M records, 5 starts each, warm page cache
#   RECORDS="1000000" RUNS=3 COLD=1 bench/restart.sh   also cold (drops the page cache first; needs root)
#   BUILDS=r2r bench/restart.sh                        only the ReadyToRun publish (BUILDS=fdd: only the other)
#   EMPTY=0 bench/restart.sh                           skip the empty-data-directory baseline
#   EMPTY_BLOCKS=1 bench/restart.sh                    keep empty blocks on (the synthetic head is from 2023: see ARGS)
#   R2R_DIR=/path/to/publish bench/restart.sh          time an existing ReadyToRun publish instead of publishing one
#                                                      (e.g. one of another commit, to compare before and after)
#   TAIL=50000 CHUNK=50000 bench/restart.sh            records after the checkpoint and per history chunk (defaults:
#                                                      10,000, History:ChunkTransactions, the most a restart replays
#                                                      with the defaults; and 50,000, the size chunks are merged into)
# Output, per history, build and cache state (also in .bench-artifacts/history/restart.txt):
#   - one summary line: start-to-ready wall ms and host CPU ms (user + system, /proc/PID/stat at the first 200) of
#     each start, the recovery's own wall ms, and the load average when the starts ended;
#   - per start, the host's own timeline (log event 50, Sequencer.Startup): wall and CPU ms of each stage from the
#     kernel's process start to "started" (runtime to Main, configuration, register services, build host, validate
#     options, map endpoints, check ports, rest of recovery, start hosted services, start server and listen; CPU
#     and methods JIT-compiled per stage). The log replay starts after
#     "validate options" on its own thread, beside "map endpoints" and "check ports"; "rest of recovery" is the wait
#     for it, and the CPU of
#     "map endpoints" includes the replay's. The replay's own wall time is the "recovery wall ms" above. The first
#     /health/ready answer comes after "started": the wall total above minus the timeline's total is that request.
# Wall time depends on what else the machine runs; CPU time much less so: compare CPU when the machine is shared.
# Data directories stay in .bench-artifacts/history/ (about 0.3 GB per million records) for re-runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/.bench-artifacts/history"
RECORDS=${RECORDS-"1000000 5000000 10000000"} # RECORDS="" times the empty data directory only
RUNS=${RUNS:-5}
COLD=${COLD:-0}
TAIL=${TAIL:-10000}
CHUNK=${CHUNK:-50000}
BUILDS=${BUILDS:-"fdd r2r"}
EMPTY=${EMPTY:-1}
mkdir -p "$OUT"
case " $BUILDS " in *" fdd "*) dotnet build src/Sequencer -c Release -nologo -clp:ErrorsOnly >/dev/null ;; esac
if [ -z "${R2R_DIR:-}" ] && [[ " $BUILDS " == *" r2r "* ]]; then
  R2R_DIR="$OUT/r2r"
  dotnet publish src/Sequencer -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$R2R_DIR" -nologo -clp:ErrorsOnly >/dev/null
fi
FDD=(dotnet "$ROOT/src/Sequencer/bin/Release/net10.0/Sequencer.dll")
R2R=("${R2R_DIR:-$OUT/r2r}/Sequencer")
# Throwaway keys for benchmarks only, never real ones. The batcher is off so that it does not re-batch the synthetic
# history; empty blocks are off because the synthetic history's head block is from 2023: a start would seal one empty
# block for every second since (about 10^8), beside the start and until the stop, where a real restart after a stop of
# T seconds seals T of them.
ARGS=(--Sequencer:PrivateKey=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
      --Admission:MasterSecret=5e1a7c3b9d2f4e6a8c0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c
      --Batcher:Enabled=false)
[ "${EMPTY_BLOCKS:-0}" = 1 ] || ARGS+=(--Sequencer:EmptyBlockIntervalMs=0)

echo "== machine"
{ uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; free -g | sed -n 2p; dotnet --version; } | tee "$OUT/machine.txt"

# start_to_ready DATA_DIR COMMAND...: prints wall ms from launch to the first 200 of /health/ready, the host's CPU ms
# up to then, and the recovery's own wall ms from its log line; the host's timeline (event 50) goes to $OUT/timeline.
start_to_ready() {
  local data="$1"; shift
  local port=$(( 20000 + RANDOM % 20000 ))
  local log="$OUT/start.log"
  local t0 t1
  # Every start sees the generated state: the checkpoint with the tail after it (a start's indexer moves it on).
  if [ -s "$data/checkpoint.generated" ]; then cp "$data/checkpoint.generated" "$data/history/checkpoint"; else rm -rf "$data/wal" "$data/history"/*; fi
  comm -23 <(ls "$data/history" | grep '\.idx$' | sort) "$data/chunks.generated" | while read -r extra; do rm -f "$data/history/$extra"; done
  # ...and every generated chunk: a host that ran long enough for its indexer may have merged some away. Chunk files are
  # written once (temporary file, rename), so the hard links kept at generation still hold what was generated.
  if [ -d "$data/history.generated" ]; then
    comm -13 <(ls "$data/history" | grep '\.idx$' | sort) "$data/chunks.generated" | while read -r missing; do ln "$data/history.generated/$missing" "$data/history/$missing"; done
  fi
  [ "${CACHE:-warm}" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
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
    kill -0 "$pid" 2>/dev/null || { exec 9<&-; echo "host exited:"; cat "$log"; return 1; }
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
  # Every host's log is kept (appended to starts.log); a stop that did not end with exit code 0 is reported and its
  # log also kept on its own, since the next start overwrites start.log.
  { echo "=== $(date -u +%FT%TZ) $data exit $rc"; cat "$log"; } >>"$OUT/starts.log"
  if [ "$rc" != 0 ]; then
    cp "$log" "$OUT/stop-exit-$rc-$(date +%s).log"
    echo "host exited with code $rc after SIGTERM (log kept in $OUT/stop-exit-$rc-*.log)" >&2
  fi
  local recovery
  recovery=$(grep -o 'Recovered [0-9]* transactions.* in [0-9]* ms' "$log" | sed 's/.* in \([0-9]*\) ms/\1/' || true)
  grep -o 'Started in .*' "$log" | head -1 >"$OUT/timeline" || echo "(no timeline line)" >"$OUT/timeline"
  echo "$(( (t1 - t0) / 1000000 )) $cpu ${recovery:-?}"
}

measure() {
  local label="$1" data="$2"
  for mode in $BUILDS; do
    local cmd
    if [ "$mode" = fdd ]; then cmd=("${FDD[@]}"); else cmd=("${R2R[@]}"); fi
    for cache in warm $([ "$COLD" = 1 ] && echo cold); do
      local times=() cpus=() recoveries=() timelines=()
      start_to_ready "$data" "${cmd[@]}" >/dev/null # warm-up run (also warms the page cache)
      for _ in $(seq "$RUNS"); do
        read -r ms cpu rec < <(CACHE=$cache start_to_ready "$data" "${cmd[@]}")
        times+=("$ms"); cpus+=("$cpu"); recoveries+=("$rec"); timelines+=("$(cat "$OUT/timeline")")
      done
      echo "$label $mode $cache: start-to-ready wall ms ${times[*]} | CPU ms ${cpus[*]} | recovery wall ms ${recoveries[*]} | load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/restart.txt"
      for t in "${timelines[@]}"; do echo "    $t"; done | tee -a "$OUT/restart.txt"
    done
  done
}

: >"$OUT/restart.txt"
empty="$OUT/empty"
rm -rf "$empty"; mkdir -p "$empty/history"
: >"$empty/checkpoint.generated"; : >"$empty/chunks.generated"
if [ "$EMPTY" = 1 ]; then measure "empty" "$empty"; fi
for n in $RECORDS; do
  data="$OUT/data-$n-tail$TAIL-chunk$CHUNK"
  if [ ! -f "$data/history/checkpoint" ]; then
    rm -rf "$data"
    [ -n "${GENERATOR_BUILT:-}" ] || { dotnet build bench/HistoryBench -c Release -nologo -clp:ErrorsOnly >/dev/null; GENERATOR_BUILT=1; }
    /usr/bin/time -f "generate $n: %e s, max RSS %M KB" dotnet "$ROOT/bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll" generate --data "$data" --records "$n" --tail "$TAIL" --chunk "$CHUNK"
    cp "$data/history/checkpoint" "$data/checkpoint.generated"
    ls "$data/history" | grep '\.idx$' | sort >"$data/chunks.generated"
    mkdir -p "$data/history.generated"
    while read -r chunk; do ln "$data/history/$chunk" "$data/history.generated/$chunk"; done <"$data/chunks.generated"
  fi
  measure "$n" "$data"
done
echo "== results"; cat "$OUT/restart.txt"
