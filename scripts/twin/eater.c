/* eater.c - anonymous memory eater for reclaim experiments in a qemu guest.
 * usage: eater TOTAL_MB [RATE_MBPS] [WS_MB] [PASSES] [RAND_BYTES] [SEED] [ZERO_PCT SAME_PCT INCOMP_PCT]
 *              [HOLD] [ONE_MAP]
 *   TOTAL_MB   : MiB to allocate (1 MiB mmap chunks), every page touched
 *   RATE_MBPS  : target allocation rate in MiB/s (0 = as fast as possible)
 *   WS_MB      : after allocation, re-touch the LAST WS_MB MiB (hot set) ...
 *   PASSES     : ... this many times (also touches the FIRST WS_MB once per pass,
 *                to force swap-ins of cold pages)
 *   RAND_BYTES : pseudo-random bytes per 4 KiB page (rest zero). 1300 ~= 3x lzo/lz4.
 *   SEED       : PRNG seed (deterministic content)
 *   ZERO_PCT SAME_PCT INCOMP_PCT : shares of pages left zero, filled with one repeated word, or
 *                random throughout (default 0: every page is RAND_BYTES random bytes and zeros)
 *   HOLD       : 1 = after the passes, keep the memory until killed (default 0: exit);
 *                2 = munmap() it a MiB at a time, timing each against its resident pages
 *                (mincore()), then exit: zap_pte_range()'s cost a resident page and a swap entry
 *   ONE_MAP    : 1 = one mmap() of TOTAL_MB up front (default 0: one per MiB, each merging into
 *                its neighbour under the anon_vma's write lock, as reclaim's rmap walks take it)
 * Build: gcc -static -O2 -o eater eater.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#define MB (1024UL * 1024UL)
#define PG 4096UL

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t s;
static inline uint64_t xs(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

/* Page kinds in hundredths of a percent; all 0 keeps the PRNG stream of the twin's runs. */
static unsigned long zero_bp, same_bp, incomp_bp;

static void fill_page(unsigned char *p, unsigned rb) {
    uint64_t *q = (uint64_t *)p;
    unsigned nw = rb / 8, i;
    if (zero_bp + same_bp + incomp_bp) {
        unsigned long r = xs() % 10000;
        if (r < zero_bp) { q[0] = 0; return; } /* touched, still all zero */
        if (r < zero_bp + same_bp) { uint64_t w = xs(); for (i = 0; i < PG / 8; i++) q[i] = w; return; }
        if (r < zero_bp + same_bp + incomp_bp) nw = PG / 8;
    }
    for (i = 0; i < nw; i++) q[i] = xs();
    /* rest of the page stays zero (fresh anon page), but write last byte to be sure it's touched */
    if (nw < PG / 8) p[PG - 1] = 1;
}

int main(int argc, char **argv) {
    unsigned long total = argc > 1 ? strtoul(argv[1], 0, 0) : 256;
    double rate = argc > 2 ? atof(argv[2]) : 0;
    unsigned long ws = argc > 3 ? strtoul(argv[3], 0, 0) : 0;
    unsigned long passes = argc > 4 ? strtoul(argv[4], 0, 0) : 0;
    unsigned rb = argc > 5 ? (unsigned)strtoul(argv[5], 0, 0) : 1300;
    s = argc > 6 ? strtoull(argv[6], 0, 0) : 0x9E3779B97F4A7C15ULL;
    zero_bp = argc > 7 ? (unsigned long)(atof(argv[7]) * 100) : 0;
    same_bp = argc > 8 ? (unsigned long)(atof(argv[8]) * 100) : 0;
    incomp_bp = argc > 9 ? (unsigned long)(atof(argv[9]) * 100) : 0;
    int hold = argc > 10 && atoi(argv[10]) == 1;
    int zap_bench = argc > 10 && atoi(argv[10]) == 2;
    int one_map = argc > 11 && atoi(argv[11]) == 1;
    if (rb > PG) rb = PG;
    unsigned char **chunks = calloc(total, sizeof(*chunks));
    double t0 = now();
    printf("EATER start total=%luMiB rate=%.1fMiB/s ws=%luMiB passes=%lu randbytes=%u\n",
           total, rate, ws, passes, rb);
    fflush(stdout);
    unsigned char *one = 0;
    if (one_map) {
        one = mmap(0, total * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (one == MAP_FAILED) { perror("mmap"); return 1; }
    }
    for (unsigned long i = 0; i < total; i++) {
        unsigned char *c = one ? one + i * MB : mmap(0, MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) { perror("mmap"); return 1; }
        chunks[i] = c;
        for (unsigned long o = 0; o < MB; o += PG) fill_page(c + o, rb);
        if (rate > 0) {
            double target = t0 + (i + 1) / rate, t = now();
            if (target > t) { struct timespec ts = { (time_t)(target - t), (long)(((target - t) - (time_t)(target - t)) * 1e9) }; nanosleep(&ts, 0); }
        }
        if ((i + 1) % 64 == 0 || i + 1 == total) {
            printf("EATER t=%.3f alloc=%luMiB\n", now() - t0, i + 1);
            fflush(stdout);
        }
    }
    double ta = now();
    printf("EATER alloc_done t=%.3f (%.1f MiB/s)\n", ta - t0, total / (ta - t0));
    fflush(stdout);
    if (ws > total) ws = total;
    unsigned long sum = 0;
    for (unsigned long p = 0; p < passes; p++) {
        /* cold part: first ws MiB (likely swapped out) */
        for (unsigned long i = 0; i < ws; i++)
            for (unsigned long o = 0; o < MB; o += PG) sum += chunks[i][o];
        /* hot part: last ws MiB, read+write */
        for (unsigned long i = total - ws; i < total; i++)
            for (unsigned long o = 0; o < MB; o += PG) chunks[i][o + 8] ^= 1;
        printf("EATER t=%.3f pass=%lu done\n", now() - t0, p + 1);
        fflush(stdout);
    }
    printf("EATER end t=%.3f sum=%lu\n", now() - t0, sum);
    fflush(stdout);
    /* snapshot state while all memory is still mapped */
    /* /proc/vmstat here against the init's after the exit: what reclaim did while the eater exited;
       /proc/uptime last, against the init's eater_end: how long exit_mmap() took */
    const char *dumps[] = { "/sys/block/zram0/mm_stat", "/proc/meminfo", "/proc/swaps",
                            "/proc/self/schedstat", "/proc/self/stat", "/proc/vmstat",
                            "/proc/self/status", "/proc/uptime" };
    for (unsigned k = 0; k < sizeof(dumps) / sizeof(*dumps); k++) {
        FILE *f = fopen(dumps[k], "r");
        char line[512];
        printf("=== PEAK %s\n", dumps[k]);
        if (f) { while (fgets(line, sizeof line, f)) fputs(line, stdout); fclose(f); }
    }
    printf("=== END\n");
    fflush(stdout);
    if (zap_bench) {
        /* least squares of ns = a * resident + b * swapped over the MiB chunks */
        static unsigned char vec[MB / PG];
        double sr = 0, ss = 0, srr = 0, sss = 0, srs = 0, srt = 0, sst = 0;
        for (unsigned long i = 0; i < total; i++) {
            unsigned long r = 0;
            if (mincore(chunks[i], MB, vec) == 0)
                for (unsigned long p = 0; p < MB / PG; p++) r += vec[p] & 1;
            double a = now();
            munmap(chunks[i], MB);
            double ns = (now() - a) * 1e9, w = (double)(MB / PG - r);
            printf("ZAP %lu %lu %.0f\n", i, r, ns);
            sr += r; ss += w; srr += (double)r * r; sss += w * w; srs += r * w; srt += r * ns; sst += w * ns;
        }
        double det = srr * sss - srs * srs;
        if (det != 0)
            printf("ZAPFIT resident_ns=%.1f swapped_ns=%.1f chunks=%lu resident=%.0f swapped=%.0f\n",
                   (srt * sss - sst * srs) / det, (sst * srr - srt * srs) / det, total, sr, ss);
        fflush(stdout);
    }
    if (hold) {
        printf("EATER holding\n");
        fflush(stdout);
        for (;;) pause();
    }
    return 0;
}
