/*
 * runner.h — run one child process for a trial and watch it.
 *
 * The child runs in its own process group, with stdin from /dev/null and
 * stdout and stderr on pipes.  Its stdout is handed to the caller line by
 * line as it arrives (a line is kept up to RUNNER_MAX_LINE bytes); the
 * last bytes of stdout and of stderr are kept, so a child that prints
 * without end costs a bounded amount of memory.  It is
 * stopped — SIGTERM to the whole group, SIGKILL after a grace period —
 * when it outlives its timeout, when the caller asks (a pruned trial),
 * or when the cancel descriptor becomes readable (hpo was interrupted).
 * The child is always reaped: no zombie is left behind.
 *
 * Safe to call from several threads at once: each call has its own child.
 */
#ifndef HPO_CLI_RUNNER_H
#define HPO_CLI_RUNNER_H

#include <stddef.h>

#define RUNNER_MAX_LINE (64 * 1024)

/* Called with each line of stdout: its `len` bytes without the newline
 * (modifiable; they may hold NUL bytes, and line[len] is '\0').  `cut`:
 * the line was longer than RUNNER_MAX_LINE and these are its first bytes.
 * Return nonzero to stop the child; no more lines are delivered then. */
typedef int (*runner_line_fn)(char *line, size_t len, int cut, void *data);

typedef struct runner_job {
    const char *path;    /* the executable, as resolved by runner_resolve */
    char *const *argv;   /* argv[0] is what the child sees as its name */
    char *const *envp;
    double timeout_s;    /* 0 = none */
    double kill_grace_s; /* between SIGTERM and SIGKILL */
    int cancel_fd;       /* readable = stop the child; -1 for none */
    /* Nonzero (read between waits) = skip the grace period: SIGKILL now. */
    volatile const int *hurry;
    runner_line_fn on_line;
    void *data;
} runner_job;

typedef enum runner_stop {
    RUNNER_RAN,       /* the child ended on its own */
    RUNNER_TIMED_OUT, /* killed: past timeout_s */
    RUNNER_ASKED,     /* killed: on_line asked */
    RUNNER_CANCELLED  /* killed: cancel_fd was readable */
} runner_stop;

#define RUNNER_TAIL_BYTES 4096

typedef struct runner_result {
    int exec_errno;  /* nonzero: the child could not be started */
    runner_stop stop;
    int exited;      /* ended by exit(): exit_status is set */
    int exit_status;
    int signaled;    /* ended by a signal: term_signal is set */
    int term_signal;
    double elapsed_s;
    /* The last bytes of stdout and stderr, NUL-terminated (a NUL the
     * child printed is a '?'), cut at a line start. */
    char stdout_tail[RUNNER_TAIL_BYTES + 1];
    char stderr_tail[RUNNER_TAIL_BYTES + 1];
} runner_result;

/* Call once, early, while hpo is small: raises the open-file limit
 * (fd_limit.h) and starts the watchdog that kills the children if hpo dies
 * (watchdog.h; a fork of hpo).  runner_run() does it too if needed. */
void runner_prepare(void);

/* How long a child's start waits out a shortage of hpo's own (EMFILE,
 * ENFILE, EAGAIN, ENOMEM from pipe, open or fork) before giving up: the
 * children running now free what they hold as they end. */
#define RUNNER_SPAWN_RETRY_S 60.0

/* Run the job to its end.  Returns 0, or -1 with errno set when hpo
 * itself could not set the child up (no pipe, no fork; after waiting up to
 * RUNNER_SPAWN_RETRY_S when it was short of descriptors, processes or
 * memory); a command that cannot be executed is not an error here: see
 * res->exec_errno.  Interrupted while waiting to start: 0, with
 * res->stop RUNNER_CANCELLED. */
int runner_run(const runner_job *job, runner_result *res);

/* Find `command` as execvp would (on PATH unless it holds a '/') and
 * check it is an executable file.  Returns 0 and the path in `out`, or an
 * errno value (ENOENT, EACCES, EISDIR, ENAMETOOLONG). */
int runner_resolve(const char *command, char *out, size_t size);

/* The last `max_lines` lines of a stderr tail, in place (a pointer into
 * `tail`, with trailing blank lines dropped). */
const char *runner_tail_lines(char *tail, int max_lines);

#endif
