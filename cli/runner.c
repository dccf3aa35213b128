/*
 * runner.c — spawn a trial's child and watch it until it is reaped.
 *
 * The spawning follows libuv's src/unix/process.c and glibc's
 * posix_spawn: vfork with signals blocked; in the child only
 * async-signal-safe calls (we may be one of several threads, and the
 * child shares our memory) up to execve.  When execve fails the child
 * stores errno in the parent's memory, which it shares until then (as
 * posix_spawn does; vfork returns only after the exec or the _exit), so
 * "could not run the command" is told apart from "the command ran and
 * failed" without a pipe.  Every system call counts here: hpo race starts
 * a child per experiment, and its own CPU is mostly these calls.
 *
 * The child gets its own process group (setpgid before execve, which
 * vfork's parent waits for) and every stop is a kill of the whole group:
 * a shell script's own children die with it.
 * When the child ends, what it left behind in its group is killed too,
 * before the child is reaped: while it is a zombie its number cannot be
 * given to a new process, so the kill cannot hit a stranger.  If hpo
 * itself dies, PR_SET_PDEATHSIG and the watchdog kill the children and
 * their groups (watchdog.h).
 *
 * Watching is one poll() loop over the child's stdout and stderr and the
 * cancel descriptor.  The loop ends when the child has exited and both
 * pipes are closed.  Two cases need a clock instead of an event:
 *   - the pipes closed but the child has not exited yet (waitid is polled
 *     with a short, growing back-off), and
 *   - the child exited but something it left behind still holds the pipes
 *     (the group is killed after LEFTOVER_S).
 */
#define _GNU_SOURCE 1 /* pipe2, strchrnul, asprintf, sigabbrev_np */
#include "runner.h"
#include "fd_limit.h"
#include "interrupt.h"
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* In the child: nothing but async-signal-safe calls until execve.
 * `parent` is hpo's pid, taken before vfork; *exec_errno, in hpo's
 * memory, gets errno if the command cannot be started. */
static void exec_child(const runner_job *job, char *const *sh_argv,
                       int in_fd, int out_fd, int err_fd,
                       volatile int *exec_errno, pid_t parent,
                       int watchdog_fd)
{
    sigset_t none;
    default_caught_signals();
    setpgid(0, 0);
    /* Die with hpo.  Set first, then look: hpo may have died before. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    watchdog_register_self(watchdog_fd);
    fd_limit_restore_in_child();
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
fail:
    *exec_errno = errno ? errno : ENOEXEC;
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

/* The child has exited (it is a zombie, so its number is still taken):
 * kill what is left of its group, forget the group, then reap. */
static void finish_child(pid_t pid, int watchdog_fd, int *status)
{
    kill(-pid, SIGKILL);
    interrupt_untrack_child(pid);
    watchdog_forget(watchdog_fd, pid);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* Has the child exited?  Asked without reaping it. */
static int has_exited(pid_t pid)
{
    siginfo_t info = {0};
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
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
    int line_cut; /* it was longer than RUNNER_MAX_LINE */
    int want_lines;
    int exited; /* a zombie, reaped after the loop */
    int killing, sent_kill;
    double exit_check_at; /* when to ask again whether it has exited */
    double kill_at;     /* when SIGTERM turns into SIGKILL */
    double leftover_at; /* when leftovers holding the pipes are killed */
    size_t out_tail_len, err_tail_len;
} watch;

static void start_kill(watch *w, runner_stop why)
{
    if (w->killing)
        return;
    w->killing = 1;
    w->res->stop = why;
    w->want_lines = 0;
    if (!w->exited)
        kill(-w->pid, SIGTERM);
    w->kill_at = now_s() + w->job->kill_grace_s;
}

static void deliver_line(watch *w)
{
    size_t len = w->line_len;
    int cut = w->line_cut;
    w->line[len] = '\0';
    w->line_len = 0;
    w->line_cut = 0;
    if (w->want_lines && w->job->on_line &&
        w->job->on_line(w->line, len, cut, w->job->data))
        start_kill(w, RUNNER_ASKED);
}

/* Keep the last RUNNER_TAIL_BYTES of a stream in `tail`, a string: a NUL
 * the child printed becomes '?'. */
static void take_tail(char *tail, size_t *tail_len, const char *buf, size_t n)
{
    if (n >= RUNNER_TAIL_BYTES) {
        buf += n - RUNNER_TAIL_BYTES;
        n = RUNNER_TAIL_BYTES;
    }
    if (*tail_len + n > RUNNER_TAIL_BYTES) {
        size_t drop = *tail_len + n - RUNNER_TAIL_BYTES;
        memmove(tail, tail + drop, *tail_len - drop);
        *tail_len -= drop;
    }
    for (size_t i = 0; i < n; i++)
        tail[*tail_len + i] = buf[i] ? buf[i] : '?';
    *tail_len += n;
    tail[*tail_len] = '\0';
}

static void take_stdout(watch *w, const char *buf, size_t n)
{
    take_tail(w->res->stdout_tail, &w->out_tail_len, buf, n);
    while (n > 0) {
        const char *nl = memchr(buf, '\n', n);
        size_t part = nl ? (size_t)(nl - buf) : n;
        size_t room = RUNNER_MAX_LINE - w->line_len;
        memcpy(w->line + w->line_len, buf, part < room ? part : room);
        w->line_len += part < room ? part : room;
        if (part > room)
            w->line_cut = 1;
        if (!nl)
            return;
        deliver_line(w);
        buf += part + 1;
        n -= part + 1;
    }
}

static void close_stdout(watch *w)
{
    if (w->out_fd < 0)
        return;
    close(w->out_fd);
    w->out_fd = -1;
    if (w->line_len > 0 || w->line_cut)
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
        take_tail(w->res->stderr_tail, &w->err_tail_len, buf, (size_t)r);
}

/* How long poll() may sleep, in seconds. */
static double poll_timeout_s(const watch *w, double deadline, double backoff)
{
    double t = SLICE_S, now = now_s();
    if (!w->killing && deadline - now < t)
        t = deadline - now;
    if (w->killing && !w->sent_kill && w->kill_at - now < t)
        t = w->kill_at - now;
    if (!w->exited && w->out_fd < 0 && w->err_fd < 0 && backoff < t)
        t = backoff;
    if (w->exited && w->leftover_at > 0 && w->leftover_at - now < t)
        t = w->leftover_at - now;
    return t < 0 ? 0 : t;
}

/* The clock-driven part of one turn of the loop. */
static void check_clocks(watch *w, double deadline)
{
    double now = now_s();
    /* While a pipe is open its end of file tells of the exit: ask the
     * kernel only once both are closed, or every SLICE_S (something the
     * child left behind may hold the pipes). */
    int pipes_open = w->out_fd >= 0 || w->err_fd >= 0;
    if (!w->exited && (!pipes_open || now >= w->exit_check_at)) {
        w->exited = has_exited(w->pid);
        w->exit_check_at = now + SLICE_S;
    }
    if (!w->killing && !w->exited && now >= deadline)
        start_kill(w, RUNNER_TIMED_OUT);
    if (w->killing && !w->sent_kill &&
        (now >= w->kill_at || (w->job->hurry && *w->job->hurry))) {
        if (!w->exited)
            kill(-w->pid, SIGKILL);
        w->sent_kill = 1;
    }
    if (w->exited && (w->out_fd >= 0 || w->err_fd >= 0)) {
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
    /* A child closes its pipes a moment before it has exited: look
     * again soon, then less and less often. */
    double backoff = 0.00005;
    w->exit_check_at = now_s() + SLICE_S;
    while (!w->exited || w->out_fd >= 0 || w->err_fd >= 0) {
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

/* Keep only a full tail from its first full line on. */
static void trim_tail_start(char *tail, size_t tail_len)
{
    if (tail_len < RUNNER_TAIL_BYTES)
        return;
    char *nl = strchr(tail, '\n');
    if (nl)
        memmove(tail, nl + 1, strlen(nl + 1) + 1);
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

/* Wait up to `seconds` for the cancel descriptor; 1 if it became
 * readable (hpo is being interrupted). */
static int cancelled_within(const runner_job *job, double seconds)
{
    struct pollfd p = {.fd = job->cancel_fd, .events = POLLIN};
    if (job->cancel_fd < 0 && seconds <= 0)
        return 0;
    if (job->cancel_fd < 0) {
        struct timespec ts = {(time_t)seconds,
                              (long)((seconds - (double)(time_t)seconds) *
                                     1e9)};
        nanosleep(&ts, NULL);
        return 0;
    }
    return poll(&p, 1, (int)(seconds * 1000)) > 0;
}

static void close_all(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* A started child: its pid, hpo's ends of the pipes, and errno if the
 * command could not be started (the child has then exited). */
typedef struct spawned {
    pid_t pid;
    int out_fd, err_fd;
    int exec_errno;
} spawned;

/* Spawns are one at a time: a child then costs at most 4 descriptors
 * while it starts (fd_limit.h counts on it), not 4 per thread at once. */
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;

/* The children's stdin, opened once (under spawn_lock) and kept: one
 * open and close fewer per child. */
static int dev_null_fd = -1;

static int dev_null(void)
{
    if (dev_null_fd < 0)
        dev_null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    return dev_null_fd;
}

/* vfork in a frame of its own, so that no variable of the caller lives
 * across it (the child shares the frame until it execs or _exits). */
static __attribute__((noinline)) pid_t vfork_child(const runner_job *job,
                                                   char **sh_argv,
                                                   const int *fds,
                                                   volatile int *exec_errno,
                                                   pid_t parent,
                                                   int watchdog_fd)
{
    pid_t pid = vfork();
    if (pid == 0)
        exec_child(job, sh_argv, fds[4], fds[1], fds[3], exec_errno, parent,
                   watchdog_fd);
    return pid;
}

/* Pipes, vfork, and the child past exec (or exited, sp->exec_errno set).
 * 0, or -1 with errno. */
static int spawn(const runner_job *job, spawned *sp)
{
    /* [0,1] stdout, [2,3] stderr, [4] /dev/null (kept open) */
    int fds[5] = {-1, -1, -1, -1, -1};
    volatile int exec_errno = 0;
    char **sh_argv = make_sh_argv(job);
    int watchdog_fd = watchdog_start();
    pid_t parent = getpid(), pid = -1;
    pthread_mutex_lock(&spawn_lock);
    /* vfork, not fork: starting a child then costs the same however much
     * memory hpo holds (fork copied hpo's page tables, so the CLI slowed
     * down as a study's history grew).  Signals stay blocked until the
     * child has reset hpo's handlers (exec_child). */
    sigset_t all, old_mask;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_mask);
    if (pipe2(fds, O_CLOEXEC) == 0 && pipe2(fds + 2, O_CLOEXEC) == 0 &&
        (fds[4] = dev_null()) >= 0)
        pid = vfork_child(job, sh_argv, fds, &exec_errno, parent,
                          watchdog_fd);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    int child_ends[2] = {fds[1], fds[3]};
    close_all(child_ends, 2);
    pthread_mutex_unlock(&spawn_lock);
    free(sh_argv);
    if (pid < 0) {
        int ours[2] = {fds[0], fds[2]};
        close_all(ours, 2);
        errno = e;
        return -1;
    }
    interrupt_track_child(pid);
    *sp = (spawned){pid, fds[0], fds[2], exec_errno};
    return 0;
}

/* hpo itself is short of something (descriptors, processes, memory);
 * the children running now will give it back as they end. */
static int is_shortage(int err)
{
    return err == EMFILE || err == ENFILE || err == EAGAIN || err == ENOMEM;
}

/* spawn(), waiting out a shortage of hpo's own (never the trial's fault)
 * for up to RUNNER_SPAWN_RETRY_S.  0 = started, 1 = cancelled while
 * waiting, -1 = failed (errno). */
static int spawn_patiently(const runner_job *job, spawned *sp)
{
    double give_up = now_s() + RUNNER_SPAWN_RETRY_S, pause = 0.01;
    for (;;) {
        if (spawn(job, sp) == 0)
            return 0;
        int e = errno;
        if (!is_shortage(e) || now_s() + pause > give_up) {
            errno = e;
            return -1;
        }
        if (cancelled_within(job, pause))
            return 1;
        pause = fmin(pause * 2, 1.0);
    }
}

void runner_prepare(void)
{
    fd_limit_raise();
    watchdog_start();
}

int runner_run(const runner_job *job, runner_result *res)
{
    memset(res, 0, sizeof *res);
    if (cancelled_within(job, 0)) {
        res->stop = RUNNER_CANCELLED;
        return 0;
    }
    runner_prepare();
    double start = now_s();
    char *line = malloc(RUNNER_MAX_LINE + 1);
    spawned sp;
    int rc = line ? spawn_patiently(job, &sp) : -1;
    if (rc != 0) {
        int e = line ? errno : ENOMEM;
        free(line);
        res->stop = RUNNER_CANCELLED;
        errno = e;
        return rc < 0 ? -1 : 0;
    }
    int watchdog_fd = watchdog_start();

    if (sp.exec_errno) {
        int status;
        finish_child(sp.pid, watchdog_fd, &status);
        close(sp.out_fd);
        close(sp.err_fd);
        free(line);
        res->exec_errno = sp.exec_errno;
        return 0;
    }
    /* The pipes stay blocking: a read follows poll's word that there is
     * something (or the end), so it does not wait. */

    watch w = {.job = job, .res = res, .pid = sp.pid, .out_fd = sp.out_fd,
               .err_fd = sp.err_fd, .line = line, .want_lines = 1};
    res->stop = RUNNER_RAN;
    watch_child(&w);
    int status;
    finish_child(sp.pid, watchdog_fd, &status);
    free(line);
    fill_status(res, status);
    trim_tail_start(res->stdout_tail, w.out_tail_len);
    trim_tail_start(res->stderr_tail, w.err_tail_len);
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
