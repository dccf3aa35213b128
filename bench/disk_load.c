/*
 * disk_load.c — another process writing to the same disk, for
 * `hpo-bench storage --disk-load`: what a commit that waits for the disk
 * costs when the disk is busy with someone else's writes.
 *
 * A forked child writes 1 MiB blocks to a file in the given directory,
 * fdatasync every 8 MiB (as `dd bs=1M count=8 conv=fdatasync` in a loop
 * would), and truncates the file every 256 MiB so the file system keeps
 * allocating blocks too.  SIGTERM stops it; it reports the bytes it wrote
 * through a pipe and removes its file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK (1 << 20)
#define SYNC_EVERY (8L << 20)
#define TRUNCATE_AT (256L << 20)

static volatile sig_atomic_t stop_writing;

static void on_term(int sig)
{
    (void)sig;
    stop_writing = 1;
}

static void writer_main(const char *path, int report_fd)
{
    signal(SIGTERM, on_term);
    static char block[BLOCK];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (char)(i * 2654435761u >> 13); /* not all zeros */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    double t0 = bench_now_s(), bytes = 0;
    long offset = 0;
    while (fd >= 0 && !stop_writing) {
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
            break;
        bytes += BLOCK;
        offset += BLOCK;
        if (offset % SYNC_EVERY == 0)
            fdatasync(fd);
        if (offset >= TRUNCATE_AT) {
            if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
                break;
            offset = 0;
        }
    }
    double report[2] = {bytes, bench_now_s() - t0};
    if (fd >= 0)
        close(fd);
    unlink(path);
    _exit(write(report_fd, report, sizeof report) == sizeof report ? 0 : 1);
}

int bench_disk_load_start(bench_disk_load *l, const char *dir)
{
    memset(l, 0, sizeof *l);
    l->pid = -1;
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    snprintf(l->path, sizeof l->path, "%s/disk-load.bin", dir);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]), close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        writer_main(l->path, fd[1]);
    }
    close(fd[1]);
    l->pid = pid;
    l->report_fd = fd[0];
    return 0;
}

double bench_disk_load_stop(bench_disk_load *l, double *mib)
{
    double report[2] = {0, 0};
    *mib = 0;
    if (l->pid < 0)
        return 0;
    kill(l->pid, SIGTERM);
    ssize_t got;
    while ((got = read(l->report_fd, report, sizeof report)) < 0 &&
           errno == EINTR)
        ;
    close(l->report_fd);
    while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    l->pid = -1;
    if (got != (ssize_t)sizeof report || report[1] <= 0)
        return 0;
    *mib = report[0] / BLOCK;
    return *mib / report[1];
}
