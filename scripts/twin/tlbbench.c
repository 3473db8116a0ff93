/* tlbbench.c - what a remote TLB flush costs the CPU it interrupts.
 * Thread A (CPU 0) writes one byte per page over a buffer, in passes; thread B (CPU 1) zaps one
 * page of the same mm with mprotect(PROT_READ) (and back, and writes it), in a loop: every write-protect
 * flushes the TLB of the CPUs running the mm, so A takes an IPI each time.
 * Prints A's pages/s alone and beside B, B's zaps/s, and A's time lost per zap.
 * A one-page zap flushes that page on A's CPU (flush_tlb_mm_range() → INVLPG). With "full", B
 * zaps 64 pages at once, more than tlb_single_page_flush_ceiling (33), so A's whole TLB is flushed:
 * the kind of flush reclaim sends (try_to_unmap_flush_dirty() → arch_tlbbatch_flush() with
 * TLB_FLUSH_ALL, arch/x86/mm/tlb.c).
 * With "spin", nothing is zapped: a forked process spins on CPU 1 instead (another mm, so no
 * flush reaches A): what a busy second vCPU alone costs A, apart from any flush.
 * usage: tlbbench BUFFER_MB SECONDS [eat] [full|spin]   (eat: A does eater.c's work: fault + fill)
 *     Build: gcc -static -O2 -pthread -o tlbbench tlbbench.c
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
static volatile int stop, zapping;
static volatile unsigned long zaps;
static unsigned char *buf, *victim;
static unsigned long pages, zap_pages = 1;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void pin(int cpu) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); sched_setaffinity(0, sizeof s, &s); }

static void *zapper(void *arg) {
    (void)arg;
    pin(1);
    while (!stop) {
        if (!zapping) { usleep(1000); continue; }
        mprotect(victim, zap_pages * PG, PROT_READ);
        mprotect(victim, zap_pages * PG, PROT_READ | PROT_WRITE);
        for (unsigned long i = 0; i < zap_pages; i++) victim[i * PG]++;
        zaps++;
    }
    return 0;
}

static uint64_t xs_state = 12345;
/* The eater's work, for the target side: fault in 1 MiB chunks and write 1296 random bytes per
 * page (eater.c's fill_page), keeping at most 16 chunks mapped. Returns pages per second. */
static double eat_rate(double secs) {
    unsigned char *ring[16] = {0};
    unsigned long n = 0, k = 0;
    double t0 = now(), t;
    do {
        if (ring[k % 16]) munmap(ring[k % 16], 1UL << 20);
        unsigned char *c = mmap(0, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ring[k++ % 16] = c;
        for (unsigned long o = 0; o < (1UL << 20); o += PG) {
            uint64_t *q = (uint64_t *)(c + o);
            for (int i = 0; i < 162; i++) { xs_state ^= xs_state << 13; xs_state ^= xs_state >> 7; xs_state ^= xs_state << 17; q[i] = xs_state; }
            c[o + PG - 1] = 1;
        }
        n += 256;
    } while ((t = now()) - t0 < secs);
    for (int i = 0; i < 16; i++) if (ring[i]) munmap(ring[i], 1UL << 20);
    return n / (t - t0);
}

static double touch_rate(double secs) {
    unsigned long n = 0;
    double t0 = now(), t;
    do {
        for (unsigned long i = 0; i < pages; i++) buf[i * PG]++;
        n += pages;
    } while ((t = now()) - t0 < secs);
    return n / (t - t0);
}

int main(int argc, char **argv) {
    unsigned long mb = argc > 1 ? strtoul(argv[1], 0, 0) : 16;
    double secs = argc > 2 ? atof(argv[2]) : 2;
    pages = mb * 256;
    buf = mmap(0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int eat = 0, spin = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "eat")) eat = 1;
        if (!strcmp(argv[i], "full")) zap_pages = 64;
        if (!strcmp(argv[i], "spin")) spin = 1;
    }
    victim = mmap(0, zap_pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(buf, 1, pages * PG);
    memset(victim, 1, zap_pages * PG);
    pin(0);
    pthread_t th;
    pthread_create(&th, 0, zapper, 0);
    double alone = eat ? eat_rate(secs) : touch_rate(secs);
    if (spin) {
        pid_t child = fork();
        if (child == 0) {
            pin(1);
            for (volatile unsigned long x = 0;; x++) {}
        }
        double beside = eat ? eat_rate(secs) : touch_rate(secs);
        kill(child, SIGKILL);
        waitpid(child, 0, 0);
        stop = 1;
        pthread_join(th, 0);
        printf("TLBBENCH spin pages_per_s_alone=%.0f pages_per_s_beside=%.0f slowdown=%.3f\n", alone,
               beside, 1.0 - beside / alone);
        return 0;
    }
    zaps = 0;
    zapping = 1;
    double t0 = now();
    double beside = eat ? eat_rate(secs) : touch_rate(secs);
    double t1 = now();
    zapping = 0;
    unsigned long z = zaps;
    stop = 1;
    pthread_join(th, 0);
    double zps = z / (t1 - t0);
    /* the same syscalls without a flush: mprotect() to the protection the page already has */
    unsigned long same = 0;
    double s0 = now(), s1;
    do {
        for (int i = 0; i < 1000; i++) {
            mprotect(victim, zap_pages * PG, PROT_READ | PROT_WRITE);
            mprotect(victim, zap_pages * PG, PROT_READ | PROT_WRITE);
            for (unsigned long j = 0; j < zap_pages; j++) victim[j * PG]++;
        }
        same += 1000;
    } while ((s1 = now()) - s0 < 1);
    double lost = 1.0 - beside / alone;
    printf("TLBBENCH zap_pages=%lu pages_per_s_alone=%.0f pages_per_s_beside=%.0f zaps_per_s=%.0f lost_us_per_zap=%.2f "
           "zap_us=%.2f noflush_us=%.2f\n",
           zap_pages, alone, beside, zps, lost / zps * 1e6, 1e6 / zps, (s1 - s0) * 1e6 / same);
    return 0;
}
