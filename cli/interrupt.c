/*
 * interrupt.c — the signal handler and its self-pipe (see interrupt.h).
 * The handler does only async-signal-safe things: store flags, write one
 * byte, call hpo_study_stop().
 */
#define _GNU_SOURCE 1 /* pipe2, strchrnul, asprintf, sigabbrev_np */
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t n_signals;
static volatile int hurry;
static hpo_study *volatile stop_study;
static int self_pipe[2] = {-1, -1};
/* Written once per signal and drained by the progress thread, which says
 * at once that the signal was heard (the handler itself prints nothing but
 * its last words). */
static int notify_pipe[2] = {-1, -1};
/* Trials running now, and as the first signal found them: what Ctrl-C's
 * acknowledgement reports, however fast the runners then stop them. */
static int running;
static volatile sig_atomic_t running_at_signal;
/* Process groups of running children (0: a free slot); more children than
 * slots are simply not killed by a forced exit. */
#define MAX_TRACKED 1024
static int child_groups[MAX_TRACKED];

void interrupt_track_child(int pgid)
{
    for (int i = 0; i < MAX_TRACKED; i++) {
        int free_slot = 0;
        if (__atomic_compare_exchange_n(&child_groups[i], &free_slot, pgid, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

void interrupt_untrack_child(int pgid)
{
    for (int i = 0; i < MAX_TRACKED; i++) {
        int expected = pgid;
        if (__atomic_compare_exchange_n(&child_groups[i], &expected, 0, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

/* Async-signal-safe: kill, write and _exit only.  With a study running
 * (a third signal, or SIGALRM after the second) its trials in flight stay
 * RUNNING; without one there is nothing to leave behind. */
static void force_exit(int sig)
{
    (void)sig;
    for (int i = 0; i < MAX_TRACKED; i++) {
        int pgid = __atomic_load_n(&child_groups[i], __ATOMIC_SEQ_CST);
        if (pgid > 0)
            kill(-pgid, SIGKILL);
    }
    static const char forced[] = "hpo: forced exit; trials in flight are "
                                 "left RUNNING\n";
    static const char plain[] = "hpo: interrupted\n";
    ssize_t ignored = stop_study
                          ? write(STDERR_FILENO, forced, sizeof forced - 1)
                          : write(STDERR_FILENO, plain, sizeof plain - 1);
    (void)ignored;
    _exit(128 + (first_signal ? first_signal : SIGINT));
}

static void on_signal(int sig)
{
    int saved = errno;
    if (!first_signal) {
        first_signal = sig;
        running_at_signal = __atomic_load_n(&running, __ATOMIC_SEQ_CST);
    }
    int count = ++n_signals;
    if (count >= 3 || !stop_study)
        force_exit(sig); /* no study running: nothing to finish cleanly */
    if (count == 2) {
        hurry = 1;
        alarm(INTERRUPT_FORCE_AFTER_S); /* SIGALRM: force_exit */
    }
    hpo_study *s = stop_study;
    if (s)
        hpo_study_stop(s);
    ssize_t ignored = write(self_pipe[1], "!", 1);
    ignored = write(notify_pipe[1], "!", 1);
    (void)ignored;
    errno = saved;
}

int interrupt_install(void)
{
    if (self_pipe[0] < 0) {
        if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
            pipe2(notify_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
            return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &sa, NULL) != 0 ||
        sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    sa.sa_handler = force_exit;
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return -1;
    return 0;
}

void interrupt_set_study(hpo_study *study)
{
    stop_study = study;
}

int interrupt_signal(void)
{
    return first_signal;
}

int interrupt_fd(void)
{
    return self_pipe[0];
}

void interrupt_running_add(int delta)
{
    __atomic_add_fetch(&running, delta, __ATOMIC_SEQ_CST);
}

int interrupt_running_at_signal(void)
{
    return running_at_signal;
}

int interrupt_count(void)
{
    return n_signals;
}

int interrupt_notify_fd(void)
{
    return notify_pipe[0];
}

volatile const int *interrupt_hurry(void)
{
    return &hurry;
}
