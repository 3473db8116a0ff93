/* pagebench.c - per-page costs in this machine: user fill, anonymous fault, zram write/read.
 * usage: pagebench fill|fault MB RAND_BYTES
 *        pagebench pageout MB RAND_BYTES [thread|proc|thread_eat|proc_eat]
 *            fill, then madvise(MADV_PAGEOUT) 1 MiB at a time: the kernel's reclaim path per page
 *            (swap must be on), on CPU 0. "thread": a thread of the same mm works on CPU 1, so each
 *            dirty folio's try_to_unmap_flush_dirty() sends it an IPI and waits for it (the flush
 *            kswapd sends the eater's CPU); "proc": a forked process does that work instead (another
 *            mm: the same busy vCPU, no flush). The two differ by the sender's cost of the flush.
 *            "_eat": the other vCPU does the eater's work instead (faults in fresh pages and fills
 *            them), as the eater does while kswapd reclaims.
 *        pagebench zram DEV MB RAND_BYTES      (DEV opened O_DIRECT: 4 KiB writes, then reads)
 * Prints one line "PAGEBENCH what=... pages=N ns_per_page=X".
 * Page content: RAND_BYTES pseudo-random bytes (xorshift, as eater.c) then zeros.
 * Build: gcc -static -O2 -pthread -o pagebench pagebench.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
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

static void pin(int cpu) { cpu_set_t m; CPU_ZERO(&m); CPU_SET(cpu, &m); sched_setaffinity(0, sizeof m, &m); }
static volatile int stop;
/* The other vCPU's work: eater.c's fill over 1 MiB of its own, again and again (user mode, its TLB
 * in use, as the eater's CPU when kswapd's flush reaches it). */
static void *spin(void *arg) {
    (void)arg;
    pin(1);
    unsigned char *b = mmap(0, 256 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    while (!stop)
        for (unsigned long i = 0; i < 256 && !stop; i++) fill_page(b + i * PG, 1296);
    return 0;
}
/* The eater's own work on the other vCPU: fault in and fill fresh pages (most of its time in the
 * kernel's fault path), 192 MiB at most, never unmapped (no flush of its own), then as spin(). */
static void *eat(void *arg) {
    (void)arg;
    pin(1);
    unsigned long n = 192 * 256;
    unsigned char *b = mmap(0, n * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (unsigned long i = 0; i < n && !stop; i++) fill_page(b + i * PG, 1296);
    return spin(0);
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
        const char *beside = argc >= 5 ? argv[4] : "";
        pin(0);
        pid_t child = -1;
        pthread_t th;
        int eats = !strcmp(beside, "thread_eat") || !strcmp(beside, "proc_eat");
        int thread = !strncmp(beside, "thread", 6);
        if (!strncmp(beside, "proc", 4) && (child = fork()) == 0) { eats ? eat(0) : spin(0); return 0; }
        unsigned char *c = mmap(0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED) { perror("mmap"); return 1; }
        for (unsigned long i = 0; i < pages; i++) fill_page(c + i * PG, rb);
        if (thread) pthread_create(&th, 0, eats ? eat : spin, 0);
        if (*beside) usleep(eats ? 20000 : 100000); /* the other vCPU's work has started */
        double t0 = now();
        for (unsigned long i = 0; i < mb; i++)
            if (madvise(c + i * 256 * PG, 256 * PG, MADV_PAGEOUT)) { perror("madvise"); return 1; }
        double t1 = now();
        if (thread) { stop = 1; pthread_join(th, 0); }
        if (child > 0) { kill(child, SIGKILL); waitpid(child, 0, 0); }
        char what[64];
        snprintf(what, sizeof what, *beside ? "pageout_beside_%s" : "pageout", beside);
        report(what, pages, t1 - t0);
        if (!*beside) { /* each page read back: a swap-in fault from zram (do_swap_page()) */
            volatile unsigned char sum = 0;
            double t2 = now();
            for (unsigned long i = 0; i < pages; i++) sum += c[i * PG + 7];
            report("swapin", pages, now() - t2);
        }
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
