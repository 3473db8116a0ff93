#!/bin/bash
# Full measurement: builds, generates the eater and sanity pages, runs every variant on every
# input, writes raw/ and results.json (src/analyze.py). Run from anywhere; all paths are relative
# to this folder. Needs gcc, make, libzstd-dev, python3 with numpy (Debian: python3-numpy).
#
# The typical pages (data/typical/other.pages) must be dumped first, as root, from running
# processes (dump_anon.py reads /proc/PID/pagemap, /proc/kpageflags and /proc/PID/mem).
# From this folder:
#
#   mkdir -p data/typical
#   node workloads/node_graph.js > data/typical/node.out &   # prints its pid and RSS once built
#   python3 workloads/py_dict.py > data/typical/py.out &     # likewise
#   # optional: chromium with a large page (the measured one was a generated 6.6 MB page of
#   # tables, paragraphs and a script that builds 200k JS objects and 20k DOM nodes):
#   chromium --headless=new --no-sandbox --disable-gpu --remote-debugging-port=9333 \
#            --user-data-dir=/tmp/cb-chrome file:///path/to/page.html &
#   # once each has printed / finished loading:
#   python3 src/dump_anon.py NODE_PID node data/typical
#   python3 src/dump_anon.py PY_PID python data/typical
#   # chromium PIDs: the browser has no --type in its command line; the others have the --type shown
#   python3 src/dump_anon.py PID chromium_renderer data/typical   # --type=renderer
#   python3 src/dump_anon.py PID chromium_browser data/typical    # the browser process
#   python3 src/dump_anon.py PID chromium_gpu data/typical        # --type=gpu-process
#   python3 src/dump_anon.py PID chromium_network data/typical    # --type=utility --utility-sub-type=network.mojom.NetworkService
#   # stop the workloads, then classify (the labels, in this order, define other.pages):
#   python3 src/classify.py node python chromium_renderer chromium_browser chromium_gpu chromium_network
#   # without chromium: python3 src/classify.py node python
set -e
cd "$(dirname "$0")"
RS="0 64 256 512 1024 1300 1536 2048 2560 3072 3584 4096"
REPS=5
if [ ! -f data/typical/other.pages ]; then
  echo "data/typical/other.pages missing: dump and classify the typical pages first (see the top of $0)" >&2
  exit 1
fi
make
mkdir -p data/eater raw
# eater pages: 4096 pages per R; sanity pages: 16 zero pages and 16 random pages
for R in $RS; do
  [ -f data/eater/R$R.pages ] || ./build/bench_O2 gen-eater $R 4096 data/eater/R$R.pages
done
[ -f data/sanity_zero.bin ] || head -c 65536 /dev/zero > data/sanity_zero.bin
[ -f data/sanity_random.bin ] || head -c 65536 /dev/urandom > data/sanity_random.bin
# lz4 sequences (literals, match offset, match length) of the first eater page for each R
for R in $RS; do
  echo "R=$R: $(./build/lz4_seqdump data/eater/R$R.pages | tr '\n' ';')"
done > raw/lz4_eater_sequences.txt
log() { echo "$(date +%T) loadavg=$(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a raw/run.log; }
# main variant: 3 independent sessions (separate processes, minutes apart)
for s in 1 2 3; do
  for R in $RS; do
    log "O2 s$s eater R=$R"
    ./build/bench_O2 run data/eater/R$R.pages raw/eater_O2_s${s}_R$R.sizes.u32 $REPS > raw/eater_O2_s${s}_R$R.json
  done
  log "O2 s$s typical"
  if [ $s = 1 ]; then export PERPAGE=raw/typical_O2_s1.perpage.f32; else unset PERPAGE; fi
  ./build/bench_O2 run data/typical/other.pages raw/typical_O2_s$s.sizes.u32 $REPS > raw/typical_O2_s$s.json
  unset PERPAGE
done
# flag variants: one session each
for v in tree plain; do
  for R in $RS; do
    log "$v s1 eater R=$R"
    ./build/bench_$v run data/eater/R$R.pages raw/eater_${v}_s1_R$R.sizes.u32 $REPS > raw/eater_${v}_s1_R$R.json
  done
  log "$v s1 typical"
  ./build/bench_$v run data/typical/other.pages raw/typical_${v}_s1.sizes.u32 $REPS > raw/typical_${v}_s1.json
done
# sanity inputs
for t in zero random; do
  ./build/bench_O2 run data/sanity_$t.bin raw/sanity_$t.sizes.u32 $REPS > raw/sanity_$t.json
done
log done
python3 src/analyze.py
