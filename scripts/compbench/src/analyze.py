#!/usr/bin/env python3
"""Aggregate raw/*.json + per-page size/timing files into results.json."""
import json, os, platform, subprocess, glob
import numpy as np

B = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # scripts/compbench
RS = [0, 64, 256, 512, 1024, 1300, 1536, 2048, 2560, 3072, 3584, 4096]
ALGS = ["lz4", "lzo", "lzo-rle", "zstd"]
QS = [5, 10, 25, 50, 75, 90, 95, 99]
SESSIONS = [1, 2, 3]
HUGE_ASKED = 3264          # threshold named in the brief (zsmalloc class size with 4-page zspages, <6.3)
HUGE_612_CH8 = 3625        # zs_huge_class_size() in 6.12 with CONFIG_ZSMALLOC_CHAIN_SIZE=8 (default)
HUGE_CH4 = 3257            # zs_huge_class_size() with chain size 4 (pre-6.3 kernels)


def J(p):
    return json.load(open(os.path.join(B, p)))


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def spread(vals):
    v = np.array(vals, float)
    med = float(np.median(v))
    return dict(min=float(v.min()), max=float(v.max()), median=med,
                rel_range=float((v.max() - v.min()) / med))


def speed_summary(runs, alg):
    """runs: list of bench JSON outputs (one per session) for the same input."""
    out = {}
    for kind in ("comp", "decomp"):
        sess_meds = [r["algs"][alg][f"{kind}_ns_median"] for r in runs]
        allreps = sum((r["algs"][alg][f"{kind}_ns_reps"] for r in runs), [])
        within = [spread(r["algs"][alg][f"{kind}_ns_reps"])["rel_range"] for r in runs]
        out[f"{kind}_ns"] = round(float(np.median(sess_meds)), 1)
        out[f"{kind}_ns_session_medians"] = sess_meds
        out[f"{kind}_ns_all_reps_minmax"] = [min(allreps), max(allreps)]
        out[f"{kind}_rel_range_within_session"] = round(float(np.max(within)), 3)
        out[f"{kind}_rel_range_between_sessions"] = round(spread(sess_meds)["rel_range"], 3)
    return out


def sizes(path, n_alg=4):
    a = np.fromfile(os.path.join(B, path), dtype=np.uint32)
    return a.reshape(n_alg, -1)


res = {}
# ---------------- machine / build ----------------
res["machine"] = dict(
    cpu=sh("lscpu | sed -n 's/^Model name: *//p'"), cpu_family_model=sh("lscpu | sed -n 's/^CPU family: *//p'") + "/" + sh("lscpu | sed -n 's/^Model: *//p'"),
    nproc=os.cpu_count(), hypervisor=sh("lscpu | sed -n 's/^Hypervisor vendor: *//p'") or "none reported by lscpu",
    kernel_running=platform.release(),
    mem_total_mb=int(sh("free -m | awk '/Mem:/{print $2}'")), gcc=sh("gcc --version | head -1"),
    libzstd=sh("dpkg-query -W -f='${Version}' libzstd-dev"),
    note="nothing pinned; loadavg at the start of every run is logged in raw/run.log.",
    run_log=open(os.path.join(B, "raw/run.log")).read().splitlines())
res["build"] = dict(
    kernel_source=open(os.path.join(B, "build/kernel/SOURCE")).read().strip(),
    kernel_files=["lib/lz4/lz4_compress.c", "lib/lz4/lz4_decompress.c", "lib/lz4/lz4defs.h", "include/linux/lz4.h",
                  "lib/lzo/lzo1x_compress.c", "lib/lzo/lzo1x_decompress_safe.c", "lib/lzo/lzodefs.h", "include/linux/lzo.h"],
    calls=dict(lz4="LZ4_compress_fast(src, dst, 4096, 8192, acceleration=1, wrkmem) / LZ4_decompress_safe(src, dst, clen, 4096)",
               lzo="lzo1x_1_compress(src, 4096, dst, &dlen(=8192), wrkmem) / lzo1x_decompress_safe(src, clen, dst, &dlen(=4096))",
               **{"lzo-rle": "lzorle1x_1_compress(...) / lzo1x_decompress_safe(...)"},
               zstd="libzstd (Debian) replicating kernel zstd_compress_cctx(): ZSTD_CCtx_reset + setPledgedSrcSize(4096) + "
                    "cParams/fParams from ZSTD_getParams(3, 4096, 0) + ZSTD_compress2 / ZSTD_decompressDCtx"),
    main_variant="O2: kernel codegen flags (-mno-sse -mno-sse2 -mno-avx -mno-red-zone -fno-strict-aliasing "
                 "-ftrivial-auto-var-init=zero ... see Makefile) with -O2",
    other_variants=dict(tree="optimisation levels of a kbuild with CONFIG_CC_OPTIMIZE_FOR_SIZE=y: lz4 '-Os ... -O3' (=O3, lib/lz4/Makefile ccflags -O3), lzo -Os",
                        plain="plain userspace gcc -O2 (SSE/AVX allowed) with only -fno-strict-aliasing -fno-strict-overflow "
                              "-fno-delete-null-pointer-checks"))

# ---------------- sanity ----------------
san = {}
for t in ("zero", "random"):
    d = J(f"raw/sanity_{t}.json")
    san[f"{t}_page_len"] = {a: d["algs"][a]["mean_len"] for a in ALGS}
san["lz4_expected"] = dict(zero_page=26, random_page=4114,
                           why="zero: token+1 literal+2B offset(1)+16B matchlen ext (4090) + final token+5 literals = 26; "
                               "random: token + 17B literal-length ext + 4096 literals = 4114 (LZ4_COMPRESSBOUND(4096)=4128)")
san["lz4_ok"] = san["zero_page_len"]["lz4"] == 26 and san["random_page_len"]["lz4"] == 4114
res["sanity"] = san

# ---------------- eater ----------------
eater = {a: {} for a in ALGS}
eater_var = {v: {a: {} for a in ALGS} for v in ("tree", "plain")}
mism_total = {a: 0 for a in ALGS}
err_total = {a: 0 for a in ALGS}
rle_eater = {}
for R in RS:
    runs = [J(f"raw/eater_O2_s{s}_R{R}.json") for s in SESSIONS]
    sz = sizes(f"raw/eater_O2_s1_R{R}.sizes.u32")
    for ai, a in enumerate(ALGS):
        e = dict(mean_len=round(float(sz[ai].mean()), 2), min_len=int(sz[ai].min()), max_len=int(sz[ai].max()))
        e.update(speed_summary(runs, a))
        eater[a][str(R)] = e
        for r in runs:
            mism_total[a] += r["algs"][a]["mismatches"]
            err_total[a] += r["algs"][a]["errors"]
        for v in eater_var:
            rv = J(f"raw/eater_{v}_s1_R{R}.json")
            eater_var[v][a][str(R)] = dict(comp_ns=rv["algs"][a]["comp_ns_median"], decomp_ns=rv["algs"][a]["decomp_ns_median"])
            mism_total[a] += rv["algs"][a]["mismatches"]
            err_total[a] += rv["algs"][a]["errors"]
    rle_eater[str(R)] = round(float((sz[2].astype(int) - sz[1].astype(int)).mean()), 2)
res["eater"] = eater
res["eater_info"] = dict(pages_per_R=4096, generator="per word: s^=s<<13; s^=s>>7; s^=s<<17; store s (uint64, little endian); "
                         "seed 12345, stream continues across pages; R/8 words (so R=1300 -> 1296 random bytes), rest 0, byte 4095 = 1",
                         speed_fields="comp_ns/decomp_ns = median over 3 sessions of the per-session median of 5 timed passes "
                                      "over all 4096 pages (ns per page)")

# ---------------- typical ----------------
cls = J("data/typical/classes.json")
idx = np.load(os.path.join(B, "data/typical/other.idx.npz"))
src = idx["src"]
lzr = idx["longest_zero_run"]
typ = dict(sources=[dict(label=s, pid=cls["classes"][s]["pid"], cmdline=cls["classes"][s]["cmdline"][:160],
                         pages=cls["classes"][s]["pages"]) for s in cls["sources"]],
           classes={s: {k: (round(v, 5) if isinstance(v, float) else v) for k, v in c.items() if k not in ("cmdline",)}
                    for s, c in cls["classes"].items()},
           note="pages = resident (pagemap present), non-zero-page private anonymous pages of rw-p VMAs with no path, "
                "[heap], [stack], [anon:*]. zero/same-filled per zram page_same_filled(); all statistics below are over "
                "the 'other' pages only (these are what zram compresses).",
           n_other_pages=int(len(src)))
sz = sizes("raw/typical_O2_s1.sizes.u32")
runs = [J(f"raw/typical_O2_s{s}.json") for s in SESSIONS]
pp = np.fromfile(os.path.join(B, "raw/typical_O2_s1.perpage.f32"), dtype=np.float32).reshape(4, 2, -1)
bins = [0, 64, 128, 256, 512, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 5000]
for ai, a in enumerate(ALGS):
    x = sz[ai].astype(np.int64)
    t = dict(mean_len=round(float(x.mean()), 2),
             quantiles={f"p{q}": float(np.percentile(x, q)) for q in QS},
             frac_huge_ge_3264=round(float((x >= HUGE_ASKED).mean()), 5),
             frac_ge_3257_chain4=round(float((x >= HUGE_CH4).mean()), 5),
             frac_ge_3625_612_chain8=round(float((x >= HUGE_612_CH8).mean()), 5),
             frac_ge_4096=round(float((x >= 4096).mean()), 5),
             mean_stored_len_huge3625_as_4096=round(float(np.where(x >= HUGE_612_CH8, 4096, x).mean()), 2),
             mean_stored_len_huge3264_as_4096=round(float(np.where(x >= HUGE_ASKED, 4096, x).mean()), 2))
    t.update(speed_summary(runs, a))
    # per-page timing (session 1 extra pass), median ns per compressed-size bin
    bb = {}
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (x >= lo) & (x < hi)
        if m.sum() >= 20:
            bb[f"{lo}-{hi}"] = dict(n=int(m.sum()), comp_ns_med=round(float(np.median(pp[ai, 0, m])), 1),
                                     decomp_ns_med=round(float(np.median(pp[ai, 1, m])), 1))
    t["perpage_timing_by_len"] = bb
    t["perpage_timing_quantiles"] = {k: {f"p{q}": round(float(np.percentile(pp[ai, j], q)), 1) for q in (5, 50, 95)}
                                     for j, k in ((0, "comp_ns"), (1, "decomp_ns"))}
    per = {}
    for si, s in enumerate(cls["sources"]):
        m = src == si
        if m.sum():
            per[s] = dict(n=int(m.sum()), mean_len=round(float(x[m].mean()), 1),
                          quantiles={f"p{q}": float(np.percentile(x[m], q)) for q in (10, 50, 90)},
                          frac_ge_3264=round(float((x[m] >= HUGE_ASKED).mean()), 4))
    t["per_source"] = per
    for r in runs:
        mism_total[a] += r["algs"][a]["mismatches"]
        err_total[a] += r["algs"][a]["errors"]
    typ[a] = t
typ["quantile_method"] = "numpy.percentile, linear interpolation, over all 'other' pages of all sources pooled"
typ["thresholds"] = dict(asked_3264="fraction >= 3264 as requested", chain4_3257="zs_huge_class_size() with 4-page zspages "
                         "(pre-6.3): class 3264 minus (ZS_HANDLE_SIZE-1)", k612_chain8_3625="zs_huge_class_size() for Linux 6.12 "
                         "with CONFIG_ZSMALLOC_CHAIN_SIZE=8 (default, set in this .config): class 3632 - 7; zram stores "
                         "comp_len >= this as an uncompressed 4096-byte object")
for v in ("tree", "plain"):
    rv = J(f"raw/typical_{v}_s1.json")
    for a in ALGS:
        mism_total[a] += rv["algs"][a]["mismatches"]
        err_total[a] += rv["algs"][a]["errors"]
        eater_var[v][a]["typical"] = dict(comp_ns=rv["algs"][a]["comp_ns_median"], decomp_ns=rv["algs"][a]["decomp_ns_median"])
res["typical"] = typ
res["flag_variants"] = dict(note="single session each, median of 5 passes, ns/page; compare with main O2 values", **eater_var)

# ---------------- lzo-rle vs lzo ----------------
d = sz[2].astype(int) - sz[1].astype(int)
buckets = [(0, 16), (16, 64), (64, 256), (256, 1024), (1024, 4097)]
rb = {}
for lo, hi in buckets:
    m = (lzr >= lo) & (lzr < hi)
    if m.sum():
        rb[f"longest_zero_run_{lo}-{hi - 1}"] = dict(
            n=int(m.sum()), mean_diff_rle_minus_lzo=round(float(d[m].mean()), 2),
            frac_rle_smaller=round(float((d[m] < 0).mean()), 4), frac_equal_plus2hdr=round(float((d[m] == 2).mean()), 4),
            frac_rle_larger_than_plus2=round(float((d[m] > 2).mean()), 4),
            comp_ns_med_lzo=round(float(np.median(pp[1, 0, m])), 1), comp_ns_med_rle=round(float(np.median(pp[2, 0, m])), 1),
            decomp_ns_med_lzo=round(float(np.median(pp[1, 1, m])), 1), decomp_ns_med_rle=round(float(np.median(pp[2, 1, m])), 1))
res["lzo_rle_vs_lzo"] = dict(
    note="lzo-rle always emits a 2-byte version header (17, 1), so +2 bytes is 'no difference'",
    typical_by_longest_zero_run=rb, eater_mean_diff_rle_minus_lzo_by_R=rle_eater,
    corr_diff_vs_longest_zero_run=round(float(np.corrcoef(d, lzr)[0, 1]), 3))
res["verification"] = dict(decompress_mismatches=mism_total, errors=err_total,
                           how="every page of every input was compressed, decompressed and memcmp'd in each run (untimed pass) "
                               "and the output of every timed decompression pass was memcmp'd again; errors also count "
                               "non-reproducible compressed sizes across passes and failed decompressions")
json.dump(res, open(os.path.join(B, "results.json"), "w"), indent=1)
print("ok")
