#!/usr/bin/env python3
"""Classify dumped pages like zram_write_page(): all-zero, same-filled
(page_same_filled(): every unsigned long (8-byte word) equals word 0, non-zero
value), or other.  Writes the 'other' pages of every source, concatenated in
the order of SOURCES, to data/typical/other.pages and per-page source index +
zero-run features to data/typical/other.idx.npz; prints/saves class fractions.

usage: classify.py LABEL...   (labels given to dump_anon.py; reads data/typical/LABEL.pages)"""
import json, os, sys, numpy as np
D = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "typical")
SOURCES = sys.argv[1:]
res, idx, longest_zero_run, zero_bytes = {}, [], [], []
with open(f"{D}/other.pages", "wb") as out:
    for si, s in enumerate(SOURCES):
        a = np.fromfile(f"{D}/{s}.pages", dtype=np.uint64).reshape(-1, 512)
        same = (a == a[:, :1]).all(axis=1)
        zero = same & (a[:, 0] == 0)
        samef = same & ~zero
        other = ~same
        meta = json.load(open(f"{D}/{s}.meta.json"))
        res[s] = dict(pid=meta["pid"], cmdline=meta["cmdline"], pages=int(len(a)),
                      frac_zero=float(zero.mean()), frac_same_filled=float(samef.mean()),
                      frac_other=float(other.mean()), n_other=int(other.sum()),
                      same_filled_values_top=[[hex(int(v)), int(c)] for v, c in
                          zip(*np.unique(a[samef, 0], return_counts=True))][:5] if samef.any() else [],
                      dump_stats=meta["stats"])
        o = a[other]
        o.tofile(out)
        idx.append(np.full(len(o), si, np.uint8))
        b = o.view(np.uint8).reshape(-1, 4096)
        zb = (b == 0)
        zero_bytes.append(zb.sum(axis=1).astype(np.uint16))
        # longest run of zero bytes per page
        lr = np.zeros(len(b), np.int32); cur = np.zeros(len(b), np.int32)
        for j in range(4096):
            cur = np.where(zb[:, j], cur + 1, 0); np.maximum(lr, cur, out=lr)
        longest_zero_run.append(lr)
        print(s, json.dumps({k: v for k, v in res[s].items() if k != "cmdline"}), flush=True)
tot = sum(r["pages"] for r in res.values())
res["_all"] = dict(pages=tot, **{k: sum(r[k] * r["pages"] for r in res.values()) / tot
                                   for k in ("frac_zero", "frac_same_filled", "frac_other")})
json.dump(dict(sources=SOURCES, classes=res), open(f"{D}/classes.json", "w"), indent=1)
np.savez(f"{D}/other.idx.npz", src=np.concatenate(idx), longest_zero_run=np.concatenate(longest_zero_run),
         zero_bytes=np.concatenate(zero_bytes))
print(json.dumps(res["_all"]))
