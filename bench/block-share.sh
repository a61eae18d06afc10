#!/usr/bin/env bash
# The block-share benchmark (docs/block-share.md): the sequencing core (real WAL with fsync, real clock) with blocks of
# 100 x 21,000 gas at most every 50 ms, sponsored share 70 %, cap 10 % per identity; 40 sponsored identities keep 8
# calls each in flight; first with 32 paid senders flooding their lane to its limit, then without them. Prints the
# paid flood's rate and the queue, the sponsored share of the gas of 200 sealed blocks (overall, per-block min/median)
# and the sponsored p50/p99 confirmation latency. About a minute on 2 cores; arguments: [blocks] [identities]
# [inFlight] [paidSenders].
#   bench/block-share.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Sequencer.Benchmarks -c Release -nologo -clp:ErrorsOnly
echo "== machine: $(nproc) cores, $(uptime)"
dotnet bench/Sequencer.Benchmarks/bin/Release/net10.0/Sequencer.Benchmarks.dll blockshare "$@"
