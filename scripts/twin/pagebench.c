/* pagebench.c - per-page costs in this machine: user fill, anonymous fault, zram write/read.
 * usage: pagebench fill|fault MB RAND_BYTES
 *        pagebench pageout MB RAND_BYTES    (fill, then madvise(MADV_PAGEOUT) 1 MiB at a time: the
 *                                            kernel's reclaim path per page, swap must be on)
 *        pagebench zram DEV MB RAND_BYTES      (DEV opened O_DIRECT: 4 KiB writes, then reads)
 * Prints one line "PAGEBENCH what=... pages=N ns_per_page=X".
 * Page content: RAND_BYTES pseudo-random bytes (xorshift, as eater.c) then zeros.
 * Build: gcc -static -O2 -o pagebench pagebench.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
static uint64_t s = 0x9E3779B97F4A7C15ULL;
static inline uint64_t xs(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void fill_page(unsigned char *p, unsigned rb) {
    uint64_t *q = (uint64_t *)p;
    for (unsigned i = 0; i < rb / 8; i++) q[i] = xs();
    p[PG - 1] = 1;
}

static void report(const char *what, unsigned long pages, double t) {
    printf("PAGEBENCH what=%s pages=%lu ns_per_page=%.0f\n", what, pages, t * 1e9 / pages);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage\n"); return 2; }
    const char *mode = argv[1];
    if (!strcmp(mode, "fill") || !strcmp(mode, "fault")) {
        unsigned long mb = strtoul(argv[2], 0, 0), pages = mb * 256;
        unsigned rb = strtoul(argv[3], 0, 0);
        unsigned char *c = mmap(0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) { perror("mmap"); return 1; }
        double t0 = now();
        for (unsigned long i = 0; i < pages; i++) c[i * PG] = 1;           /* fault + zero */
        double t1 = now();
        for (unsigned long i = 0; i < pages; i++) fill_page(c + i * PG, rb); /* user fill only */
        double t2 = now();
        report("fault", pages, t1 - t0);
        report("fill", pages, t2 - t1);
        return 0;
    }
    if (!strcmp(mode, "pageout")) {
        unsigned long mb = strtoul(argv[2], 0, 0), pages = mb * 256;
        unsigned rb = strtoul(argv[3], 0, 0);
        unsigned char *c = mmap(0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) { perror("mmap"); return 1; }
        for (unsigned long i = 0; i < pages; i++) fill_page(c + i * PG, rb);
        double t0 = now();
        for (unsigned long i = 0; i < mb; i++)
            if (madvise(c + i * 256 * PG, 256 * PG, MADV_PAGEOUT)) { perror("madvise"); return 1; }
        double t1 = now();
        report("pageout", pages, t1 - t0);
        return 0;
    }
    if (!strcmp(mode, "zram") && argc >= 5) {
        unsigned long mb = strtoul(argv[3], 0, 0), pages = mb * 256;
        unsigned rb = strtoul(argv[4], 0, 0);
        int fd = open(argv[2], O_RDWR | O_DIRECT);
        if (fd < 0) { perror("open"); return 1; }
        unsigned char *buf;
        if (posix_memalign((void **)&buf, PG, pages * PG)) return 1;
        memset(buf, 0, pages * PG);
        for (unsigned long i = 0; i < pages; i++) fill_page(buf + i * PG, rb);
        double t0 = now();
        for (unsigned long i = 0; i < pages; i++)
            if (pwrite(fd, buf + i * PG, PG, i * PG) != (ssize_t)PG) { perror("pwrite"); return 1; }
        double t1 = now();
        for (unsigned long i = 0; i < pages; i++)
            if (pread(fd, buf + i * PG, PG, i * PG) != (ssize_t)PG) { perror("pread"); return 1; }
        double t2 = now();
        report("zram_write", pages, t1 - t0);
        report("zram_read", pages, t2 - t1);
        return 0;
    }
    fprintf(stderr, "usage\n");
    return 2;
}
