/*
 * interrupt.h — Ctrl-C and SIGTERM during `hpo tune`.
 *
 * The first signal asks the study to stop starting trials
 * (hpo_study_stop, which is async-signal-safe) and makes a self-pipe
 * readable; every runner polls that pipe and stops its child's process
 * group.  Nothing ever reads the pipe, so once written it stays readable
 * for all of them.  A second signal sets the "hurry" flag: children are
 * killed at once instead of after the grace period.
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
/* Nonzero after a second signal. */
volatile const int *interrupt_hurry(void);

#endif
