#!/bin/bash
# Builds $TWIN_DIR/initrd.gz: busybox-static, the guest programs (eater, hog, pagebench, tlbbench,
# compiled statically) and init.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${TWIN_DIR:-$here/../../.twin}
mkdir -p "$out/rootfs/bin" "$out/rootfs/proc" "$out/rootfs/sys" "$out/rootfs/dev"
out=$(cd "$out" && pwd)
for p in eater hog; do gcc -static -O2 -Wall -o "$out/rootfs/bin/$p" "$here/$p.c"; done
for p in pagebench tlbbench; do gcc -static -O2 -pthread -Wall -o "$out/rootfs/bin/$p" "$here/$p.c"; done
cp /bin/busybox "$out/rootfs/bin/busybox"
cp "$here/init" "$out/rootfs/init" && chmod +x "$out/rootfs/init"
(cd "$out/rootfs" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"
echo "$out/initrd.gz"
