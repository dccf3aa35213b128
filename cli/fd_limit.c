/*
 * fd_limit.c — children within the open-file limit (fd_limit.h).
 */
#include "fd_limit.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/resource.h>

#include "args.h"

static struct rlimit original;
static int raised; /* original is set */

void fd_limit_raise(void)
{
    if (raised || getrlimit(RLIMIT_NOFILE, &original) != 0)
        return;
    raised = 1;
    struct rlimit more = original;
    /* The kernel refuses more than fs.nr_open (2^20 by default). */
    more.rlim_cur = original.rlim_max == RLIM_INFINITY ||
                            original.rlim_max > (1u << 20)
                        ? (1u << 20)
                        : original.rlim_max;
    if (more.rlim_cur > original.rlim_cur)
        setrlimit(RLIMIT_NOFILE, &more);
}

void fd_limit_restore_in_child(void)
{
    if (raised)
        setrlimit(RLIMIT_NOFILE, &original);
}

/* Descriptors open now (the entries of /proc/self/fd, less the one the
 * count itself uses); a guess without /proc. */
static int64_t open_now(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 16;
    int64_t n = -1;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int64_t fd_limit_cap_jobs(const char *cmd, int64_t jobs)
{
    struct rlimit now;
    if (getrlimit(RLIMIT_NOFILE, &now) != 0 || now.rlim_cur == RLIM_INFINITY)
        return jobs;
    int64_t limit = (int64_t)now.rlim_cur;
    int64_t room = (limit - open_now() - FD_LIMIT_RESERVE) / FD_LIMIT_PER_CHILD;
    if (room < 1)
        room = 1;
    if (jobs <= room)
        return jobs;
    cli_error(cmd, "--jobs %lld: the open-file limit (%lld, ulimit -n) leaves "
              "room for %lld children at once; running %lld", (long long)jobs,
              (long long)limit, (long long)room, (long long)room);
    return room;
}
