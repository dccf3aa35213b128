/*
 * interrupt.h — Ctrl-C and SIGTERM during `hpo tune` (and worker,
 * tune-model, nested-cv).
 *
 * The first signal asks the study to stop starting trials
 * (hpo_study_stop, which is async-signal-safe) and makes a self-pipe
 * readable; every runner polls that pipe and stops its child's process
 * group.  Nothing ever reads the pipe, so once written it stays readable
 * for all of them.  A second signal sets the "hurry" flag: children are
 * killed at once instead of after the grace period, and hpo exits within
 * INTERRUPT_FORCE_AFTER_S seconds even if it is stuck (a locked database,
 * a storage that does not answer).  A third signal exits at once.  A
 * forced exit kills every child process group still tracked and leaves
 * trials in flight RUNNING (heartbeats, if enabled, fail them later).
 */
#ifndef HPO_CLI_INTERRUPT_H
#define HPO_CLI_INTERRUPT_H

#include "hpo.h"

/* Install the handlers for SIGINT and SIGTERM (even when the shell
 * started hpo with them ignored).  Returns 0, or -1 with errno. */
int interrupt_install(void);
/* The study to stop on a signal (NULL for none). */
void interrupt_set_study(hpo_study *study);
/* The first signal received, or 0. */
int interrupt_signal(void);
/* Readable once a signal arrived. */
int interrupt_fd(void);
/* Count a trial that starts (+1) or ends (-1); the first signal keeps how
 * many were running (async-signal-safe reads only). */
void interrupt_running_add(int delta);
int interrupt_running_at_signal(void);
/* How many signals arrived so far. */
int interrupt_count(void);
/* Readable after each signal until read (drain it): the progress thread's
 * cue to acknowledge the signal at once. */
int interrupt_notify_fd(void);
/* Nonzero after a second signal. */
volatile const int *interrupt_hurry(void);
/* Remember a child's process group so that a forced exit can kill it;
 * forget it once the child is reaped. */
void interrupt_track_child(int pgid);
void interrupt_untrack_child(int pgid);

#define INTERRUPT_FORCE_AFTER_S 10

#endif
