#!/bin/bash
# usage: run.sh NAME [guest parameters, e.g. lru_gen=0 eat_mb=640 hogs=2]   → $TWIN_DIR/out/NAME.log
# env: MEM (512M) SMP (2) QEXTRA (extra qemu arguments)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${TWIN_DIR:-$here/../../.twin}
name=$1
shift
mkdir -p "$out/out"
MEM=${MEM:-512M}
SMP=${SMP:-2}
QEXTRA=${QEXTRA:-}
t0=$(date +%s.%N)
timeout 1800 qemu-system-x86_64 -m "$MEM" -smp "$SMP" -kernel "$out/bzImage" -initrd "$out/initrd.gz" \
  -append "console=ttyS0 quiet panic=-1 $*" -nographic -no-reboot $QEXTRA \
  > "$out/out/$name.log" 2>&1 < /dev/null
rc=$?
t1=$(date +%s.%N)
echo "HOST qemu rc=$rc wall=$(echo "$t1 - $t0" | bc) s" | tee -a "$out/out/$name.log"
