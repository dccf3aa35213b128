/*
 * watchdog.c — the process that kills hpo's children when hpo dies
 * (watchdog.h).
 *
 * The watchdog is a fork of hpo that never execs: from a process that may
 * have threads, only async-signal-safe calls are allowed after fork, so
 * the watchdog's whole life is recv(), kill() and _exit() on a fixed
 * table.
 */
#define _GNU_SOURCE 1 /* close_range */
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* More live groups than this (hpo runs at most MAX_JOBS children at once)
 * are protected by PR_SET_PDEATHSIG only. */
#define MAX_GROUPS 4096

typedef struct message {
    int op; /* '+' register, '-' forget */
    int pgid;
} message;

static int socket_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Add (op '+') or remove (op '-') pgid in the table. */
static void update(pid_t *groups, int op, pid_t pgid)
{
    pid_t from = op == '+' ? 0 : pgid, to = op == '+' ? pgid : 0;
    for (int i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == from) {
            groups[i] = to;
            return;
        }
}

/* The watchdog's life; never returns. */
static void serve(int fd)
{
    static pid_t groups[MAX_GROUPS];
    /* Out of hpo's group, deaf to the terminal's and hpo's signals: it
     * ends when hpo does, not before. */
    setpgid(0, 0);
    static const int quiet[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
                                SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU};
    for (unsigned i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        signal(quiet[i], SIG_IGN);
    /* Hold nothing of hpo's: not its terminal or pipes (a reader waiting
     * for hpo's output to end must not wait for the watchdog), not the
     * pipes of children being started in other threads right now. */
    close_range(0, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
    int null = open("/dev/null", O_RDWR);
    while (null >= 0 && null < 2)
        null = dup(null);
    for (;;) {
        message m;
        ssize_t r = recv(fd, &m, sizeof m, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* hpo is gone */
        if (r == sizeof m && m.pgid > 0)
            update(groups, m.op, m.pgid);
    }
    for (int i = 0; i < MAX_GROUPS; i++)
        if (groups[i] > 0)
            kill(-groups[i], SIGKILL);
    _exit(0);
}

static void start(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        serve(sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return;
    }
    socket_fd = sv[0];
}

int watchdog_start(void)
{
    pthread_once(&once, start);
    return socket_fd;
}

static void send_message(int fd, int op, pid_t pgid)
{
    if (fd < 0)
        return;
    message m = {op, (int)pgid};
    while (send(fd, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

void watchdog_register_self(int fd)
{
    send_message(fd, '+', getpid());
}

void watchdog_forget(int fd, pid_t pgid)
{
    send_message(fd, '-', pgid);
}
