#!/bin/bash
# The CPU-contention matrix: ROUNDS interleaved rounds of every configuration (a quiet host:
# anything else running on it changes the guest's timing).
# usage: matrix.sh ROUNDS PREFIX
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-5}
p=${2:-m}
for r in $(seq 1 "$rounds"); do
  SMP=2 "$here/run.sh" "${p}_ref_$r" lru_gen=0 >/dev/null
  SMP=1 "$here/run.sh" "${p}_smp1_$r" lru_gen=0 >/dev/null
  SMP=2 "$here/run.sh" "${p}_hog2_$r" lru_gen=0 hogs=2 >/dev/null
  SMP=1 "$here/run.sh" "${p}_smp1hog1_$r" lru_gen=0 hogs=1 >/dev/null
  SMP=2 "$here/run.sh" "${p}_rate40_$r" lru_gen=0 rate=40 >/dev/null
  SMP=2 "$here/run.sh" "${p}_lzorle_$r" lru_gen=0 zalg=lzo-rle >/dev/null
  echo "round $r done $(date +%T)"
done
