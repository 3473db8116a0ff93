#!/usr/bin/env python3
"""Dump the resident private anonymous pages of a process.

usage: dump_anon.py PID LABEL OUTDIR

Regions: /proc/PID/maps entries with perms 'rw?p' (private, readable+writable)
whose path is empty, [heap], [stack] or [anon:...] (named anonymous VMAs).
Pages: only pages that are present in RAM (pagemap bit 63) and are not the
shared zero page (kpageflags KPF_ZERO_PAGE, bit 24) -- i.e. the pages that
reclaim could actually push to zram.  Never-touched pages are not read (reading
them through /proc/PID/mem would just return zeros from the zero page).
The process is SIGSTOPped while being dumped and SIGCONTed afterwards.

Writes OUTDIR/LABEL.pages (raw 4 KiB pages) and OUTDIR/LABEL.meta.json.
"""
import json, os, signal, struct, sys

PAGE = 4096
KPF_ANON, KPF_ZERO_PAGE, KPF_THP, KPF_KSM = 12, 24, 22, 21


def main():
    pid, label, outdir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()[:300]
    regions = []
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split(None, 5)
        rng, perms = parts[0], parts[1]
        path = parts[5].strip() if len(parts) > 5 else ""
        if not (perms[0] == "r" and perms[1] == "w" and perms[3] == "p"):
            continue
        if path and not (path in ("[heap]", "[stack]") or path.startswith("[anon:")):
            continue
        lo, hi = (int(x, 16) for x in rng.split("-"))
        regions.append((lo, hi, path or "[anon]"))

    os.kill(pid, signal.SIGSTOP)
    stats = dict(vm_pages=0, present=0, zero_pfn=0, not_anon_flag=0, thp=0, ksm=0, read_fail=0, dumped=0)
    per_region_kind = {}
    try:
        pm = open(f"/proc/{pid}/pagemap", "rb", buffering=0)
        kpf = open("/proc/kpageflags", "rb", buffering=0)
        mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
        out = open(os.path.join(outdir, f"{label}.pages"), "wb")
        for lo, hi, path in regions:
            n = (hi - lo) // PAGE
            stats["vm_pages"] += n
            pm.seek(lo // PAGE * 8)
            ents = struct.unpack(f"<{n}Q", pm.read(n * 8))
            kind = "[anon:*]" if path.startswith("[anon:") else path
            k = per_region_kind.setdefault(kind, [0, 0])
            k[0] += n
            for i, e in enumerate(ents):
                if not (e >> 63) & 1:
                    continue
                stats["present"] += 1
                pfn = e & ((1 << 55) - 1)
                kpf.seek(pfn * 8)
                fl = struct.unpack("<Q", kpf.read(8))[0]
                if (fl >> KPF_ZERO_PAGE) & 1:
                    stats["zero_pfn"] += 1
                    continue
                if not (fl >> KPF_ANON) & 1:
                    stats["not_anon_flag"] += 1   # e.g. shared/COW special; still dumped
                stats["thp"] += (fl >> KPF_THP) & 1
                stats["ksm"] += (fl >> KPF_KSM) & 1
                try:
                    mem.seek(lo + i * PAGE)
                    data = mem.read(PAGE)
                except OSError:
                    stats["read_fail"] += 1
                    continue
                if len(data) != PAGE:
                    stats["read_fail"] += 1
                    continue
                out.write(data)
                stats["dumped"] += 1
                k[1] += 1
        out.close()
    finally:
        os.kill(pid, signal.SIGCONT)
    meta = dict(label=label, pid=pid, cmdline=cmdline, n_regions=len(regions), stats=stats,
                per_region_kind={k: dict(vm_pages=v[0], dumped=v[1]) for k, v in per_region_kind.items()})
    json.dump(meta, open(os.path.join(outdir, f"{label}.meta.json"), "w"), indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
