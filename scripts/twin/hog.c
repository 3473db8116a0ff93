/* hog.c - CPU-bound tasks that touch no new memory: busy cores in the guest.
 * usage: hog N   (N processes spinning in user space until killed)
 * Build: gcc -static -O2 -o hog hog.c
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1;
    for (int i = 1; i < n; i++)
        if (fork() == 0) break;
    volatile unsigned long x = 0;
    for (;;) x++;
}
