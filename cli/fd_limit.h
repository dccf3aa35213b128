/*
 * fd_limit.h — how many children hpo can run at once within its limit on
 * open files (RLIMIT_NOFILE).
 *
 * Each running child holds 2 of hpo's descriptors (its stdout and stderr
 * pipes) and, while it starts, 2 more (runner.c starts one child at a
 * time), beside the one /dev/null all children read.  Past the limit a child cannot be started, which is hpo's
 * shortage, not the trial's: the runner waits it out (runner.h), and
 * --jobs is capped so that it does not happen in the first place.
 *
 * At start hpo raises its soft limit to the hard one (as Go programs do),
 * and gives each child the limit it was started with, so a child sees
 * what the user set.
 */
#ifndef HPO_CLI_FD_LIMIT_H
#define HPO_CLI_FD_LIMIT_H

#include <stdint.h>

/* Descriptors kept free for everything but the children's pipes: the
 * storage (an SQLite file with its WAL and shared memory, a PostgreSQL
 * socket and a reconnect), standard streams, the watchdog, one child
 * starting. */
#define FD_LIMIT_RESERVE 32
#define FD_LIMIT_PER_CHILD 2

/* Raise the soft limit to the hard one; remember the original for the
 * children.  Once per process (later calls do nothing). */
void fd_limit_raise(void);

/* In a child before exec (async-signal-safe): the limit hpo started with. */
void fd_limit_restore_in_child(void);

/* --jobs, or as many children as the limit leaves room for now, with a
 * warning on stderr (prefixed "hpo CMD: ") when that is fewer.  At least 1. */
int64_t fd_limit_cap_jobs(const char *cmd, int64_t jobs);

#endif
