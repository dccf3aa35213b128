/*
 * watchdog.h — a trial's child, and everything it started, dies with hpo,
 * however hpo dies (kill -9, the OOM killer, a crash).
 *
 * Two mechanisms, because either alone leaves a gap:
 *
 *   - PR_SET_PDEATHSIG (set by the runner in each child before exec)
 *     kills the child itself when hpo dies.  It does not reach the
 *     child's own children (a shell script's commands), and it fires when
 *     the *thread* that forked exits: safe here only because the runner's
 *     thread waits for its child until it is reaped.
 *   - The watchdog: a small process forked once, in a process group of
 *     its own (a kill of hpo's group or a Ctrl-C does not reach it), that
 *     holds one end of a socket pair and a list of children's process
 *     groups.  Each child registers its group itself, before exec (so no
 *     grandchild can exist unregistered); hpo unregisters it once the
 *     group is killed and before the child is reaped (so the number is
 *     never reused while registered).  When hpo dies the socket reads as
 *     end-of-file — the kernel closes it, whatever killed hpo — and the
 *     watchdog SIGKILLs every group still registered, then exits.
 *
 *    hpo ──fork──> watchdog (own group) <── socket: "+pgid" from each child
 *     │                  │                          "-pgid" from hpo
 *     └─fork─> child ... │ EOF (hpo gone): kill -9 every group left; exit
 */
#ifndef HPO_CLI_WATCHDOG_H
#define HPO_CLI_WATCHDOG_H

#include <sys/types.h>

/* Start the watchdog once (thread-safe; later calls return at once).
 * Best early, while hpo is small: the watchdog is a fork of it.  Returns
 * the socket the children register on, or -1 when it could not be
 * started (then only PR_SET_PDEATHSIG protects). */
int watchdog_start(void);

/* In a child between fork and exec (async-signal-safe): register the
 * child's own process group. */
void watchdog_register_self(int fd);

/* In hpo: the group `pgid` is gone or killed; forget it. */
void watchdog_forget(int fd, pid_t pgid);

#endif
