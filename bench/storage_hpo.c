/*
 * storage_hpo.c — hpo's side of `hpo-bench storage`: P worker processes on
 * one study in a database, the check of what they left there, and the ask
 * latency at two study sizes.
 *
 * The workers are forked, so each has its own connection as separate
 * programs sharing a database would.  They open the study first (create or
 * load, all at once: the race is part of what is tested), then wait at a
 * start line (a pipe the parent closes) so that the timed part of every
 * worker overlaps.  Each reports one fixed-size record through a shared
 * pipe (smaller than PIPE_BUF, so the writes never interleave).  The wall
 * time is the first worker's start to the last worker's end, read on the
 * system-wide monotonic clock, so process start-up and exit are not timed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define STUDY_NAME "storage-bench"
#define LATENCY_STUDY "latency"
/* A worker stops after this many failures in a row: the storage is gone. */
#define MAX_FAILURES_IN_A_ROW 100
/* Opening is retried (as optuna_ref.py does): P processes creating one
 * fresh database at once is where storages race; each failed attempt is
 * counted and the first message kept. */
#define OPEN_ATTEMPTS 20
#define OPEN_RETRY_US 100000

typedef struct worker_report {
    int opened;
    long open_failed;
    long completed, failed;
    double t_start, t_end;
    char note[256];
} worker_report;

/* ------------------------------------------------------------------------- */
/* One trial                                                                  */
/* ------------------------------------------------------------------------- */

static void keep_first(char *note, size_t size, const char *what,
                       const char *msg)
{
    if (!*note)
        snprintf(note, size, "%s: %s", what, msg);
}

/* Ask, suggest x in [-10, 10], tell x²: the cycle every row times.
 * *ask_s (may be NULL) receives the time of the ask alone. */
static int one_trial(hpo_study *s, double *ask_s, char *note, size_t size)
{
    hpo_trial *t = NULL;
    double t0 = bench_now_s();
    int rc = hpo_study_ask(s, &t);
    if (ask_s)
        *ask_s = bench_now_s() - t0;
    if (rc != HPO_OK) {
        keep_first(note, size, "ask", hpo_study_errmsg(s));
        return rc;
    }
    double x, v;
    rc = hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
    if (rc != HPO_OK)
        keep_first(note, size, "suggest", hpo_trial_errmsg(t));
    v = x * x;
    if (rc == HPO_OK && (rc = hpo_study_tell(s, t, HPO_COMPLETE, &v, 1)) != HPO_OK)
        keep_first(note, size, "tell", hpo_study_errmsg(s));
    hpo_trial_free(t);
    return rc;
}

/* A study on `url` with the random sampler, opened with `flags`.  On
 * failure the message goes to note; the caller frees the study and the
 * storage either way. */
static int open_study(const char *url, const char *name, int flags,
                      uint64_t seed, hpo_storage **storage, hpo_study **study,
                      char *note, size_t size)
{
    *study = NULL;
    int rc = hpo_storage_open(storage, url);
    if (rc != HPO_OK) {
        keep_first(note, size, "open", *storage ? hpo_storage_errmsg(*storage)
                                                : hpo_errstr(rc));
        return rc;
    }
    *study = hpo_study_new();
    if (!*study)
        return HPO_ENOMEM;
    if ((rc = hpo_study_set_storage(*study, *storage)) == HPO_OK &&
        (rc = hpo_study_set_sampler(*study, "random")) == HPO_OK &&
        (rc = hpo_study_set_seed(*study, seed)) == HPO_OK)
        rc = hpo_study_open(*study, name, flags);
    if (rc != HPO_OK)
        keep_first(note, size, "open study", hpo_study_errmsg(*study));
    return rc;
}

/* ------------------------------------------------------------------------- */
/* The workers                                                                */
/* ------------------------------------------------------------------------- */

typedef struct worker_plan {
    const char *url;
    int index;
    long trials;     /* this worker's share; 0 = no limit */
    double seconds;  /* 0 = no limit */
    int ready_fd;    /* write one byte when the study is open */
    int start_fd;    /* EOF here means go */
    int report_fd;
} worker_plan;

static void run_trials(hpo_study *s, const worker_plan *p, worker_report *r)
{
    r->t_start = bench_now_s();
    double deadline = p->seconds > 0 ? r->t_start + p->seconds : 0;
    int in_a_row = 0;
    while ((p->trials == 0 || r->completed < p->trials) &&
           (deadline == 0 || bench_now_s() < deadline)) {
        if (one_trial(s, NULL, r->note, sizeof r->note) == HPO_OK) {
            r->completed++;
            in_a_row = 0;
        } else {
            r->failed++;
            if (++in_a_row == MAX_FAILURES_IN_A_ROW)
                break;
        }
    }
    r->t_end = bench_now_s();
}

static void worker_main(const worker_plan *p)
{
    worker_report r;
    memset(&r, 0, sizeof r);
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    for (int k = 0; k < OPEN_ATTEMPTS && !r.opened; k++) {
        r.opened = open_study(p->url, STUDY_NAME,
                              HPO_OPEN_CREATE | HPO_OPEN_LOAD,
                              (uint64_t)p->index + 1, &storage, &study,
                              r.note, sizeof r.note) == HPO_OK;
        if (!r.opened) {
            hpo_study_free(study);
            hpo_storage_close(storage);
            study = NULL;
            storage = NULL;
            r.open_failed++;
            usleep(OPEN_RETRY_US);
        }
    }
    char byte = 1;
    if (write(p->ready_fd, &byte, 1) != 1)
        _exit(3);
    while (read(p->start_fd, &byte, 1) < 0 && errno == EINTR)
        ;
    if (r.opened)
        run_trials(study, p, &r);
    hpo_study_free(study);
    hpo_storage_close(storage);
    _exit(write(p->report_fd, &r, sizeof r) == (ssize_t)sizeof r ? 0 : 3);
}

/* Read exactly n bytes unless EOF comes first; returns the bytes read. */
static size_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, (char *)buf + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return got;
}

static void close_pair(int fd[2])
{
    for (int i = 0; i < 2; i++)
        if (fd[i] >= 0)
            close(fd[i]);
    fd[0] = fd[1] = -1;
}

/* Fork the workers, start them together and gather their reports; the
 * result is summed into out. */
static int run_workers(const char *url, int procs, long trials,
                       double seconds, bench_storage_run *out)
{
    int ready[2] = {-1, -1}, start[2] = {-1, -1}, report[2] = {-1, -1};
    if (pipe(ready) || pipe(start) || pipe(report)) {
        snprintf(out->note, sizeof out->note, "pipe: %s", strerror(errno));
        close_pair(ready), close_pair(start), close_pair(report);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pids[BENCH_STORAGE_MAX_WORKERS];
    int forked = 0;
    for (int k = 0; k < procs && k < BENCH_STORAGE_MAX_WORKERS; k++) {
        worker_plan p = {url, k, trials ? trials / procs + (k < trials % procs) : 0,
                         seconds, ready[1], start[0], report[1]};
        pid_t pid = fork();
        if (pid < 0) {
            snprintf(out->note, sizeof out->note, "fork: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            close(ready[0]), close(start[1]), close(report[0]);
            worker_main(&p);
        }
        pids[forked++] = pid;
    }
    close(ready[1]), close(start[0]), close(report[1]);
    char bytes[BENCH_STORAGE_MAX_WORKERS];
    read_full(ready[0], bytes, (size_t)forked); /* every study is open */
    close(start[1]);                            /* go */

    double first = 0, last = 0;
    int reported = 0;
    worker_report r;
    while (read_full(report[0], &r, sizeof r) == sizeof r) {
        out->open_failed += r.open_failed;
        if (!*out->note && *r.note)
            snprintf(out->note, sizeof out->note, "%s", r.note);
        out->completed += r.completed;
        out->failed += r.failed;
        if (r.opened) {
            first = reported && first < r.t_start ? first : r.t_start;
            last = reported && last > r.t_end ? last : r.t_end;
            reported++;
        }
    }
    close(ready[0]), close(report[0]);
    for (int k = 0; k < forked; k++)
        while (waitpid(pids[k], NULL, 0) < 0 && errno == EINTR)
            ;
    if (reported < procs) {
        char why[sizeof out->note];
        memcpy(why, out->note, sizeof why);
        snprintf(out->note, sizeof out->note,
                 "%d of %d workers did not open the study or did not report; "
                 "%.200s", procs - reported, procs, why);
    }
    out->wall_s = last - first;
    out->trials_per_s = out->wall_s > 0 ? out->completed / out->wall_s : 0;
    return forked == procs && reported == procs ? 0 : -1;
}

/* ------------------------------------------------------------------------- */
/* The check: the study holds what the workers told, and nothing else         */
/* ------------------------------------------------------------------------- */

static void check_study(const char *url, long completed, bench_storage_run *out)
{
    char note[256] = "";
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    hpo_trial **trials = NULL;
    int n = 0;
    out->check_ok = 0;
    if (open_study(url, STUDY_NAME, HPO_OPEN_LOAD, 0, &storage, &study, note,
                   sizeof note) == HPO_OK &&
        hpo_study_trials(study, &trials, &n) != HPO_OK)
        keep_first(note, sizeof note, "trials", hpo_study_errmsg(study));
    int bad = -1;
    for (int i = 0; i < n && bad < 0; i++)
        if (hpo_trial_number(trials[i]) != i ||
            hpo_trial_state_of(trials[i]) != HPO_COMPLETE)
            bad = i;
    if (*note)
        snprintf(out->note, sizeof out->note, "check failed: %s", note);
    else if (n != completed)
        snprintf(out->note, sizeof out->note,
                 "check failed: the study holds %d trials, the workers "
                 "completed %ld", n, completed);
    else if (bad >= 0)
        snprintf(out->note, sizeof out->note,
                 "check failed: the trial at position %d has number %d and "
                 "state %s", bad, hpo_trial_number(trials[bad]),
                 hpo_state_name(hpo_trial_state_of(trials[bad])));
    else
        out->check_ok = 1;
    hpo_trials_free(trials, n);
    hpo_study_free(study);
    hpo_storage_close(storage);
}

int bench_storage_hpo_run(const char *url, int procs, long trials,
                          double seconds, bench_storage_run *out)
{
    memset(out, 0, sizeof *out);
    int rc = run_workers(url, procs, trials, seconds, out);
    out->ok = rc == 0 && out->completed > 0;
    if (out->ok) {
        /* A run note is an error message; the check's verdict wins the
         * slot only when it failed, so keep the first error beside it. */
        char first[sizeof out->note];
        snprintf(first, sizeof first, "%s", out->note);
        check_study(url, out->completed, out);
        if (out->check_ok)
            snprintf(out->note, sizeof out->note, "%s", first);
    }
    return out->ok ? 0 : -1;
}

/* ------------------------------------------------------------------------- */
/* Ask latency                                                                */
/* ------------------------------------------------------------------------- */

/* Run untimed trials until the study holds `target`. */
static int fill(hpo_study *s, int *stored, int target, char *note, size_t size)
{
    while (*stored < target) {
        int rc = one_trial(s, NULL, note, size);
        if (rc != HPO_OK)
            return rc;
        ++*stored;
    }
    return HPO_OK;
}

static int time_asks(hpo_study *s, int *stored, int asks, double *cycle_ms,
                     double *ask_ms, char *note, size_t size)
{
    double *cycle = malloc(sizeof(double) * (size_t)asks);
    double *ask = malloc(sizeof(double) * (size_t)asks);
    int rc = cycle && ask ? HPO_OK : HPO_ENOMEM;
    for (int k = 0; k < asks && rc == HPO_OK; k++) {
        double t0 = bench_now_s(), ask_s;
        rc = one_trial(s, &ask_s, note, size);
        cycle[k] = 1e3 * (bench_now_s() - t0);
        ask[k] = 1e3 * ask_s;
        ++*stored;
    }
    if (rc == HPO_OK) {
        *cycle_ms = bench_quantile(cycle, asks, 0.5);
        *ask_ms = bench_quantile(ask, asks, 0.5);
    }
    free(cycle);
    free(ask);
    return rc;
}

int bench_storage_hpo_latency(const char *url, const int sizes[2], int asks,
                              bench_latency *out)
{
    memset(out, 0, sizeof *out);
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    int stored = 0;
    int rc = open_study(url, LATENCY_STUDY, HPO_OPEN_CREATE, 0, &storage,
                        &study, out->note, sizeof out->note);
    for (int i = 0; i < 2 && rc == HPO_OK; i++) {
        out->target[i] = sizes[i];
        double t0 = bench_now_s();
        rc = fill(study, &stored, sizes[i], out->note, sizeof out->note);
        out->fill_s += bench_now_s() - t0;
        out->stored[i] = stored;
        if (rc == HPO_OK)
            rc = time_asks(study, &stored, asks, &out->cycle_ms[i],
                           &out->ask_ms[i], out->note, sizeof out->note);
    }
    hpo_study_free(study);
    hpo_storage_close(storage);
    out->ok = rc == HPO_OK;
    return out->ok ? 0 : -1;
}

int bench_storage_compiled_in(const char *scheme)
{
    /* Nothing listens on port 1: a compiled-in backend fails to connect at
     * once, one that is not compiled in says so before trying. */
    char url[128];
    snprintf(url, sizeof url, "%s://bench@127.0.0.1:1/none", scheme);
    hpo_storage *st = NULL;
    int rc = hpo_storage_open(&st, url);
    hpo_storage_close(st);
    return rc != HPO_EUNSUPPORTED;
}
