/* sampler.c - reads /proc/vmstat, /proc/pressure/memory, /proc/zoneinfo and zram's mm_stat every
 * INTERVAL_MS for DURATION_MS and writes them to PORT (the virtio-serial port, or a serial line),
 * each block after a line "@NAME SECONDS" (CLOCK_MONOTONIC, the clock /proc/uptime reads), then
 * "@end". Samples are taken at fixed deadlines, so a slow read does not shift the ones after it.
 * Progress goes to stderr (the console) once a second: "RL t SECONDS".
 * usage: sampler PORT INTERVAL_MS DURATION_MS
 * Build: gcc -static -O2 -o sampler sampler.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];
static char out[1 << 18];
static size_t used;

static void emit(const char *s, size_t n) {
    if (used + n > sizeof out) n = sizeof out - used;
    memcpy(out + used, s, n);
    used += n;
}

static void header(const char *name, double t) {
    char line[64];
    int n = snprintf(line, sizeof line, "@%s %.6f\n", name, t);
    emit(line, (size_t)n);
}

/* The whole file, as read in one go (procfs files are generated on read). */
static void copy_file(const char *name, const char *path, double t) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    header(name, t);
    emit(buf, (size_t)n);
    if (buf[n - 1] != '\n') emit("\n", 1);
}

/* /proc/zoneinfo condensed to one line per zone: "ZONE free min low high managed" (pages). */
static void zoneinfo(double t) {
    FILE *f = fopen("/proc/zoneinfo", "r");
    if (!f) return;
    char line[256], zone[32] = "";
    long free_ = -1, min = -1, low = -1, high = -1, managed = -1, v;
    header("zoneinfo", t);
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        int node;
        char name[32];
        if (!got || sscanf(line, "Node %d, zone %31s", &node, name) == 2) {
            if (zone[0] && managed >= 0) {
                char row[192];
                int n = snprintf(row, sizeof row, "%s %ld %ld %ld %ld %ld\n", zone, free_, min, low,
                                 high, managed);
                emit(row, (size_t)n);
            }
            if (!got) break;
            snprintf(zone, sizeof zone, "%s", name);
            free_ = min = low = high = managed = -1;
            continue;
        }
        if (sscanf(line, " pages free %ld", &v) == 1) free_ = v;
        else if (min < 0 && sscanf(line, " min %ld", &v) == 1) min = v;
        else if (low < 0 && sscanf(line, " low %ld", &v) == 1) low = v;
        else if (high < 0 && sscanf(line, " high %ld", &v) == 1) high = v;
        else if (managed < 0 && sscanf(line, " managed %ld", &v) == 1) managed = v;
    }
    fclose(f);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: sampler PORT INTERVAL_MS DURATION_MS\n");
        return 2;
    }
    int port = open(argv[1], O_WRONLY | O_NOCTTY);
    if (port < 0) {
        perror(argv[1]);
        return 1;
    }
    long interval = atol(argv[2]), duration = atol(argv[3]);
    if (interval <= 0 || duration <= 0) return 2;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long shown = -1;
    for (long k = 0; k * interval <= duration; k++) {
        long ms = k * interval;
        struct timespec at = start;
        at.tv_sec += ms / 1000;
        at.tv_nsec += (ms % 1000) * 1000000L;
        if (at.tv_nsec >= 1000000000L) {
            at.tv_sec++;
            at.tv_nsec -= 1000000000L;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, 0)) {
        }
        double t = now();
        used = 0;
        copy_file("vmstat", "/proc/vmstat", t);
        copy_file("pressure", "/proc/pressure/memory", t);
        zoneinfo(t);
        copy_file("zram", "/sys/block/zram0/mm_stat", t);
        for (size_t off = 0; off < used;) {
            ssize_t w = write(port, out + off, used - off);
            if (w <= 0) {
                perror("sampler: write");
                return 1;
            }
            off += (size_t)w;
        }
        if (ms / 1000 != shown) {
            shown = ms / 1000;
            fprintf(stderr, "RL t %ld\n", shown);
        }
    }
    if (write(port, "@end\n", 5) != 5) return 1;
    fsync(port);
    close(port);
    return 0;
}
