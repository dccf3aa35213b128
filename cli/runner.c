/*
 * runner.c — spawn a trial's child and watch it until it is reaped.
 *
 * The spawning follows libuv's src/unix/process.c: vfork with signals
 * blocked; in the child only async-signal-safe calls (we may be one of
 * several threads, and the child shares our memory) up to execve;
 * a close-on-exec "error pipe" carries errno back when execve fails, and
 * reads as end-of-file when it succeeds, so "could not run the command"
 * is told apart from "the command ran and failed".
 *
 * The child gets its own process group (setpgid in both processes, so
 * that neither order of scheduling leaves a window) and every stop is a
 * kill of the whole group: a shell script's own children die with it.
 *
 * Watching is one poll() loop over the child's stdout and stderr and the
 * cancel descriptor.  The loop ends when the child has been reaped and
 * both pipes are closed.  Two cases need a clock instead of an event:
 *   - the pipes closed but the child has not exited yet (waitpid is polled
 *     with a short, growing back-off), and
 *   - the child exited but something it left behind still holds the pipes
 *     (the group is killed after LEFTOVER_S).
 */
#define _GNU_SOURCE 1 /* pipe2, strchrnul, asprintf, sigabbrev_np */
#include "runner.h"
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE (64 * 1024) /* longer stdout lines are cut */
#define SLICE_S 0.1          /* longest sleep between checks */
#define LEFTOVER_S 0.2       /* grace for processes left holding the pipes */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------------- */
/* Finding the command                                                        */
/* ------------------------------------------------------------------------- */

/* 0 if path is an executable regular file, else why not. */
static int check_executable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (access(path, X_OK) != 0)
        return errno;
    return 0;
}

int runner_resolve(const char *command, char *out, size_t size)
{
    if (!command || !*command)
        return ENOENT;
    if (strchr(command, '/')) {
        if (strlen(command) >= size)
            return ENAMETOOLONG;
        strcpy(out, command);
        return check_executable(out);
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    int best = ENOENT; /* EACCES beats ENOENT, as execvp reports */
    for (const char *dir = path;; dir++) {
        const char *colon = strchrnul(dir, ':');
        size_t dlen = (size_t)(colon - dir);
        if (dlen + 1 + strlen(command) < size) {
            if (dlen == 0) /* an empty entry is the current directory */
                snprintf(out, size, "./%s", command);
            else
                snprintf(out, size, "%.*s/%s", (int)dlen, dir, command);
            int e = check_executable(out);
            if (e == 0)
                return 0;
            if (e == EACCES || e == EISDIR)
                best = e;
        }
        if (*colon == '\0')
            break;
        dir = colon;
    }
    return best;
}

/* ------------------------------------------------------------------------- */
/* Spawning                                                                   */
/* ------------------------------------------------------------------------- */

/* The child shares hpo's memory until execve (vfork): none of hpo's signal
 * handlers may run in it, so each caught signal goes back to its default
 * while all are still blocked. */
static void default_caught_signals(void)
{
    for (int sig = 1; sig < 32; sig++) { /* hpo catches no real-time one */
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0 || sa.sa_handler == SIG_DFL ||
            sa.sa_handler == SIG_IGN)
            continue;
        sa.sa_handler = SIG_DFL;
        sa.sa_flags = 0;
        sigaction(sig, &sa, NULL);
    }
}

/* In the child: nothing but async-signal-safe calls until execve. */
static void exec_child(const runner_job *job, char *const *sh_argv,
                       int in_fd, int out_fd, int err_fd, int exec_fd)
{
    sigset_t none;
    default_caught_signals();
    setpgid(0, 0);
    /* hpo's handlers are reset by execve, but ignored signals and the
     * mask are inherited: give the command a clean slate. */
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        goto fail;
    execve(job->path, job->argv, job->envp);
    /* A script without a #! line: run it with sh, as execvp does. */
    if (errno == ENOEXEC && sh_argv)
        execve("/bin/sh", sh_argv, job->envp);
fail:;
    int e = errno;
    ssize_t ignored = write(exec_fd, &e, sizeof e);
    (void)ignored;
    _exit(127);
}

/* ["sh", path, argv[1], ...] for the ENOEXEC fallback; NULL if no memory
 * (the fallback is then skipped). */
static char **make_sh_argv(const runner_job *job)
{
    int n = 0;
    while (job->argv[n])
        n++;
    char **v = malloc(sizeof(char *) * (size_t)(n + 2));
    if (!v)
        return NULL;
    v[0] = "sh";
    v[1] = (char *)job->path;
    for (int i = 1; i <= n; i++)
        v[i + 1] = job->argv[i];
    return v;
}

static int read_fully(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return (int)got;
}

static void reap(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* ------------------------------------------------------------------------- */
/* Watching                                                                   */
/* ------------------------------------------------------------------------- */

typedef struct watch {
    const runner_job *job;
    runner_result *res;
    pid_t pid;
    int out_fd, err_fd;
    char *line; /* the stdout line being gathered */
    size_t line_len;
    int want_lines;
    int reaped, status;
    int killing, sent_kill;
    double kill_at;     /* when SIGTERM turns into SIGKILL */
    double leftover_at; /* when leftovers holding the pipes are killed */
    size_t tail_len;
} watch;

static void start_kill(watch *w, runner_stop why)
{
    if (w->killing)
        return;
    w->killing = 1;
    w->res->stop = why;
    w->want_lines = 0;
    if (!w->reaped)
        kill(-w->pid, SIGTERM);
    w->kill_at = now_s() + w->job->kill_grace_s;
}

static void deliver_line(watch *w)
{
    w->line[w->line_len] = '\0';
    w->line_len = 0;
    if (w->want_lines && w->job->on_line &&
        w->job->on_line(w->line, w->job->data))
        start_kill(w, RUNNER_ASKED);
}

static void take_stdout(watch *w, const char *buf, size_t n)
{
    while (n > 0) {
        const char *nl = memchr(buf, '\n', n);
        size_t part = nl ? (size_t)(nl - buf) : n;
        size_t room = MAX_LINE - w->line_len;
        memcpy(w->line + w->line_len, buf, part < room ? part : room);
        w->line_len += part < room ? part : room;
        if (!nl)
            return;
        deliver_line(w);
        buf += part + 1;
        n -= part + 1;
    }
}

static void take_stderr(watch *w, const char *buf, size_t n)
{
    char *tail = w->res->stderr_tail;
    if (n >= RUNNER_TAIL_BYTES) {
        buf += n - RUNNER_TAIL_BYTES;
        n = RUNNER_TAIL_BYTES;
    }
    if (w->tail_len + n > RUNNER_TAIL_BYTES) {
        size_t drop = w->tail_len + n - RUNNER_TAIL_BYTES;
        memmove(tail, tail + drop, w->tail_len - drop);
        w->tail_len -= drop;
    }
    memcpy(tail + w->tail_len, buf, n);
    w->tail_len += n;
    tail[w->tail_len] = '\0';
}

static void close_stdout(watch *w)
{
    if (w->out_fd < 0)
        return;
    close(w->out_fd);
    w->out_fd = -1;
    if (w->line_len > 0)
        deliver_line(w); /* a last line without its newline */
}

static void close_stderr(watch *w)
{
    if (w->err_fd < 0)
        return;
    close(w->err_fd);
    w->err_fd = -1;
}

/* Read what one pipe has; close it at end of file. */
static void drain(watch *w, int is_stdout)
{
    char buf[16384];
    int fd = is_stdout ? w->out_fd : w->err_fd;
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0) {
        if (is_stdout)
            close_stdout(w);
        else
            close_stderr(w);
        return;
    }
    if (is_stdout)
        take_stdout(w, buf, (size_t)r);
    else
        take_stderr(w, buf, (size_t)r);
}

/* How long poll() may sleep, in seconds. */
static double poll_timeout_s(const watch *w, double deadline, double backoff)
{
    double t = SLICE_S, now = now_s();
    if (!w->killing && deadline - now < t)
        t = deadline - now;
    if (w->killing && !w->sent_kill && w->kill_at - now < t)
        t = w->kill_at - now;
    if (!w->reaped && w->out_fd < 0 && w->err_fd < 0 && backoff < t)
        t = backoff;
    if (w->reaped && w->leftover_at > 0 && w->leftover_at - now < t)
        t = w->leftover_at - now;
    return t < 0 ? 0 : t;
}

/* The clock-driven part of one turn of the loop. */
static void check_clocks(watch *w, double deadline)
{
    double now = now_s();
    if (!w->reaped) {
        pid_t r = waitpid(w->pid, &w->status, WNOHANG);
        if (r == w->pid)
            w->reaped = 1;
    }
    if (!w->killing && !w->reaped && now >= deadline)
        start_kill(w, RUNNER_TIMED_OUT);
    if (w->killing && !w->sent_kill &&
        (now >= w->kill_at || (w->job->hurry && *w->job->hurry))) {
        if (!w->reaped)
            kill(-w->pid, SIGKILL);
        w->sent_kill = 1;
    }
    if (w->reaped && (w->out_fd >= 0 || w->err_fd >= 0)) {
        if (w->leftover_at == 0) {
            w->leftover_at = now + LEFTOVER_S;
        } else if (now >= w->leftover_at) {
            /* The child is gone; what it left holds our pipes. */
            kill(-w->pid, SIGKILL);
            close_stdout(w);
            close_stderr(w);
        }
    }
}

static void watch_child(watch *w)
{
    const runner_job *job = w->job;
    double deadline = job->timeout_s > 0 ? now_s() + job->timeout_s
                                         : INFINITY;
    /* A child closes its pipes a moment before it can be reaped: look
     * again soon, then less and less often. */
    double backoff = 0.00005;
    while (!w->reaped || w->out_fd >= 0 || w->err_fd >= 0) {
        struct pollfd fds[3];
        int n = 0, i_out = -1, i_err = -1, i_cancel = -1;
        if (w->out_fd >= 0)
            fds[i_out = n++] = (struct pollfd){.fd = w->out_fd,
                                               .events = POLLIN};
        if (w->err_fd >= 0)
            fds[i_err = n++] = (struct pollfd){.fd = w->err_fd,
                                               .events = POLLIN};
        if (job->cancel_fd >= 0 && !w->killing)
            fds[i_cancel = n++] = (struct pollfd){.fd = job->cancel_fd,
                                                  .events = POLLIN};
        double t = poll_timeout_s(w, deadline, backoff);
        struct timespec ts = {(time_t)t, (long)((t - (double)(time_t)t) * 1e9)};
        if (w->out_fd < 0 && w->err_fd < 0 && backoff < SLICE_S)
            backoff *= 2;
        int r = ppoll(fds, (nfds_t)n, &ts, NULL);
        if (r > 0) {
            if (i_out >= 0 && fds[i_out].revents)
                drain(w, 1);
            if (i_err >= 0 && fds[i_err].revents)
                drain(w, 0);
            if (i_cancel >= 0 && fds[i_cancel].revents)
                start_kill(w, RUNNER_CANCELLED);
        }
        check_clocks(w, deadline);
    }
}

/* Keep only the stderr tail from the first full line on. */
static void trim_tail_start(runner_result *res, size_t tail_len)
{
    if (tail_len < RUNNER_TAIL_BYTES)
        return;
    char *nl = strchr(res->stderr_tail, '\n');
    if (nl)
        memmove(res->stderr_tail, nl + 1, strlen(nl + 1) + 1);
}

static void fill_status(runner_result *res, int status)
{
    if (WIFEXITED(status)) {
        res->exited = 1;
        res->exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        res->signaled = 1;
        res->term_signal = WTERMSIG(status);
    }
}

static int already_cancelled(const runner_job *job)
{
    if (job->cancel_fd < 0)
        return 0;
    struct pollfd p = {.fd = job->cancel_fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

static void close_all(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

int runner_run(const runner_job *job, runner_result *res)
{
    memset(res, 0, sizeof *res);
    if (already_cancelled(job)) {
        res->stop = RUNNER_CANCELLED;
        return 0;
    }
    /* [0,1] stdout, [2,3] stderr, [4,5] error pipe, [6] /dev/null */
    int fds[7] = {-1, -1, -1, -1, -1, -1, -1};
    char **sh_argv = make_sh_argv(job);
    char *line = malloc(MAX_LINE + 1);
    double start = now_s();
    if (!line || pipe2(fds, O_CLOEXEC) || pipe2(fds + 2, O_CLOEXEC) ||
        pipe2(fds + 4, O_CLOEXEC) ||
        (fds[6] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
        int e = line ? errno : ENOMEM;
        close_all(fds, 7);
        free(line);
        free(sh_argv);
        errno = e;
        return -1;
    }
    /* vfork, not fork: starting a child then costs the same however much
     * memory hpo holds (fork copied hpo's page tables, so the CLI slowed
     * down as a study's history grew).  Signals stay blocked until the
     * child has reset hpo's handlers (exec_child). */
    sigset_t all, old_mask;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_mask);
    pid_t pid = vfork();
    if (pid == 0)
        exec_child(job, sh_argv, fds[6], fds[1], fds[3], fds[5]);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    close(fds[1]);
    close(fds[3]);
    close(fds[5]);
    close(fds[6]);
    free(sh_argv);
    if (pid < 0) {
        close(fds[0]);
        close(fds[2]);
        close(fds[4]);
        free(line);
        errno = fork_errno;
        return -1;
    }
    setpgid(pid, pid); /* also done by the child; whichever runs first */
    interrupt_track_child(pid);

    int exec_errno = 0;
    if (read_fully(fds[4], &exec_errno, sizeof exec_errno) ==
        sizeof exec_errno) {
        int status;
        reap(pid, &status);
        interrupt_untrack_child(pid);
        close(fds[0]);
        close(fds[2]);
        close(fds[4]);
        free(line);
        res->exec_errno = exec_errno;
        return 0;
    }
    close(fds[4]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[2], F_SETFL, O_NONBLOCK);

    watch w = {.job = job, .res = res, .pid = pid, .out_fd = fds[0],
               .err_fd = fds[2], .line = line, .want_lines = 1};
    res->stop = RUNNER_RAN;
    watch_child(&w);
    interrupt_untrack_child(pid);
    free(line);
    fill_status(res, w.status);
    trim_tail_start(res, w.tail_len);
    res->elapsed_s = now_s() - start;
    return 0;
}

const char *runner_tail_lines(char *tail, int max_lines)
{
    size_t len = strlen(tail);
    while (len > 0 && (tail[len - 1] == '\n' || tail[len - 1] == '\r' ||
                       tail[len - 1] == ' ' || tail[len - 1] == '\t'))
        tail[--len] = '\0';
    int lines = 1;
    for (size_t i = len; i > 0; i--) {
        if (tail[i - 1] == '\n' && ++lines > max_lines)
            return tail + i;
    }
    return tail;
}
