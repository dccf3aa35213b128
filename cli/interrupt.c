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

static void on_signal(int sig)
{
    int saved = errno;
    if (!first_signal)
        first_signal = sig;
    if (++n_signals >= 2)
        hurry = 1;
    hpo_study *s = stop_study;
    if (s)
        hpo_study_stop(s);
    ssize_t ignored = write(self_pipe[1], "!", 1);
    (void)ignored;
    errno = saved;
}

int interrupt_install(void)
{
    if (self_pipe[0] < 0) {
        if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
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

volatile const int *interrupt_hurry(void)
{
    return &hurry;
}
