#!/bin/bash
# Builds the twin's guest kernel: Linux 6.12 from Debian's linux-source-6.12, tinyconfig plus
# kernel.config (zram, zsmalloc, lz4/lzo/zstd, PSI, MGLRU off by default, schedstats, vmscan
# tracepoints, madvise), into $TWIN_DIR/bzImage. About 6 minutes on 2 cores.
# DEBUG_TLBFLUSH=1 adds the nr_tlb_* counters to /proc/vmstat (a separate TWIN_DIR keeps both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${TWIN_DIR:-$here/../../.twin}
mkdir -p "$out" && out=$(cd "$out" && pwd)
src=/usr/src/linux-source-6.12.tar.xz
[ -f "$src" ] || { echo "needs Debian's linux-source-6.12 (apt-get install linux-source-6.12)" >&2; exit 2; }
if [ ! -d "$out/linux" ]; then
  mkdir -p "$out/linux" && tar xf "$src" -C "$out/linux" --strip-components=1
fi
cd "$out/linux"
make tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$here/kernel.config" >/dev/null
[ "${DEBUG_TLBFLUSH:-0}" = 1 ] && scripts/config --enable DEBUG_TLBFLUSH
make olddefconfig >/dev/null
make -j"$(nproc)" bzImage >/dev/null
cp arch/x86/boot/bzImage "$out/bzImage"
echo "$out/bzImage ($(make -s kernelrelease))"
