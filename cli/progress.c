/*
 * progress.c — the live progress line, failure lines and the summary of
 * `hpo tune` (see progress.h).  Counters are updated from the worker
 * threads under one mutex; a small thread redraws the live line.
 */
#include "progress.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "jsontext.h"

#define REDRAW_S 0.25

struct progress {
    int quiet, live;
    int n_trials;
    double timeout_s;
    hpo_direction direction;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int thread_running, stopping, line_shown;
    struct timespec start;
    int complete, pruned, failed;
    int have_best, best_number;
    double best;
    int64_t resource_used, resource_target; /* progress.h */
};

static double elapsed_s(const progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) +
           (double)(now.tv_nsec - p->start.tv_nsec) * 1e-9;
}

progress *progress_new(int quiet, int n_trials, double timeout_s,
                       hpo_direction direction)
{
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->quiet = quiet;
    p->live = !quiet && isatty(STDERR_FILENO);
    p->n_trials = n_trials;
    p->timeout_s = timeout_s;
    p->direction = direction;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    return p;
}

/* "12s", "3m05s", "2h07m". */
static void format_duration(char *buf, size_t size, double s)
{
    long t = lround(s < 0 ? 0 : s);
    if (t < 60)
        snprintf(buf, size, "%lds", t);
    else if (t < 3600)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, size, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
}

/* Seconds left, from the trial budget and the timeout; < 0 if unknown. */
static double remaining_s(const progress *p, double elapsed)
{
    int done = p->complete + p->pruned + p->failed;
    double left = -1;
    if (p->n_trials > 0 && done > 0)
        left = elapsed / done * (p->n_trials - done);
    if (p->timeout_s > 0 && (left < 0 || p->timeout_s - elapsed < left))
        left = p->timeout_s - elapsed;
    return left;
}

/* " resource 4860/14580" (or without the target) when there is a budget
 * or something was used; "" otherwise.  Call with the mutex held. */
static size_t format_resource(const progress *p, char *buf, size_t size,
                              const char *sep)
{
    int n = 0;
    if (p->resource_target > 0)
        n = snprintf(buf, size, "%sresource %lld/%lld", sep,
                     (long long)p->resource_used,
                     (long long)p->resource_target);
    else if (p->resource_used > 0)
        n = snprintf(buf, size, "%sresource %lld", sep,
                     (long long)p->resource_used);
    else if (size > 0)
        buf[0] = '\0';
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* Call with the mutex held. */
static void draw(progress *p)
{
    char line[256], el[32], rem[32];
    int done = p->complete + p->pruned + p->failed;
    double elapsed = elapsed_s(p);
    size_t n = 0;
    if (p->n_trials > 0) {
        int w = snprintf(NULL, 0, "%d", p->n_trials);
        n += (size_t)snprintf(line + n, sizeof line - n, "[%*d/%d]", w, done,
                              p->n_trials);
    } else {
        n += (size_t)snprintf(line + n, sizeof line - n, "[%d]", done);
    }
    n += (size_t)snprintf(line + n, sizeof line - n, " done %d failed %d",
                          p->complete, p->failed);
    if (p->pruned)
        n += (size_t)snprintf(line + n, sizeof line - n, " pruned %d",
                              p->pruned);
    n += format_resource(p, line + n, sizeof line - n, " ");
    if (p->have_best)
        n += (size_t)snprintf(line + n, sizeof line - n,
                              " best %.6g (trial %d)", p->best,
                              p->best_number);
    format_duration(el, sizeof el, elapsed);
    n += (size_t)snprintf(line + n, sizeof line - n, " elapsed %s", el);
    double left = remaining_s(p, elapsed);
    if (left >= 0) {
        format_duration(rem, sizeof rem, left);
        snprintf(line + n, sizeof line - n, " remaining ~%s", rem);
    }
    /* A line wider than the terminal would wrap and defeat the \r. */
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
        strlen(line) >= ws.ws_col)
        line[ws.ws_col - 1] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    p->line_shown = 1;
}

static void erase(progress *p)
{
    if (p->line_shown) {
        fputs("\r\033[K", stderr);
        p->line_shown = 0;
    }
}

static void *redraw_loop(void *arg)
{
    progress *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
        draw(p);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += (long)(REDRAW_S * 1e9);
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!p->stopping &&
               pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
            ;
    }
    erase(p);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void progress_start(progress *p)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    if (p->live && pthread_create(&p->thread, NULL, redraw_loop, p) == 0)
        p->thread_running = 1;
}

static void say_locked(progress *p, const char *fmt, va_list ap)
{
    erase(p);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    if (p->thread_running && !p->stopping)
        draw(p);
    fflush(stderr);
}

void progress_say(progress *p, const char *fmt, ...)
{
    if (p->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&p->mu);
    say_locked(p, fmt, ap);
    pthread_mutex_unlock(&p->mu);
    va_end(ap);
}

void progress_study_log(int level, const char *message, void *data)
{
    if (level >= 1)
        progress_say(data, "hpo: %s", message);
}

static void note_best(progress *p, const hpo_trial *t)
{
    if (p->direction == 0)
        return;
    double v = hpo_trial_value(t, 0);
    if (isnan(v))
        return;
    int better = !p->have_best ||
                 (p->direction == HPO_MAXIMIZE ? v > p->best : v < p->best);
    if (better) {
        p->have_best = 1;
        p->best = v;
        p->best_number = hpo_trial_number(t);
    }
}

/* The last line of the stored stderr tail, or NULL. */
static char *last_stderr_line(const hpo_trial *t)
{
    char *tail = json_unquote(hpo_trial_user_attr(t, "stderr_tail"));
    if (!tail)
        return NULL;
    size_t len = strlen(tail);
    while (len > 0 && strchr("\r\n \t", tail[len - 1]))
        tail[--len] = '\0';
    char *nl = strrchr(tail, '\n');
    char *last = strdup(nl ? nl + 1 : tail);
    free(tail);
    if (last && !*last) {
        free(last);
        return NULL;
    }
    return last;
}

static void print_failure(progress *p, const hpo_trial *t)
{
    char *reason = json_unquote(hpo_trial_user_attr(t, "fail_reason"));
    char *last = last_stderr_line(t);
    erase(p);
    fprintf(stderr, "hpo: trial %d failed: %s%s%.200s", hpo_trial_number(t),
            reason ? reason : "(no reason recorded)",
            last ? "; stderr: " : "", last ? last : "");
    fputc('\n', stderr);
    if (p->thread_running && !p->stopping)
        draw(p);
    fflush(stderr);
    free(reason);
    free(last);
}

void progress_trial_done(progress *p, const hpo_trial *trial)
{
    pthread_mutex_lock(&p->mu);
    switch (hpo_trial_state_of(trial)) {
    case HPO_COMPLETE:
        p->complete++;
        note_best(p, trial);
        break;
    case HPO_PRUNED_STATE:
        p->pruned++;
        break;
    default:
        p->failed++;
        if (!p->quiet)
            print_failure(p, trial);
        break;
    }
    pthread_mutex_unlock(&p->mu);
}

void progress_stop(progress *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->thread_running) {
        pthread_join(p->thread, NULL);
        p->thread_running = 0;
    }
}

void progress_summary(progress *p, const char *why)
{
    if (p->quiet)
        return;
    char el[32];
    pthread_mutex_lock(&p->mu);
    int done = p->complete + p->pruned + p->failed;
    format_duration(el, sizeof el, elapsed_s(p));
    fprintf(stderr, "hpo: %s%s%d trial%s in %s: %d complete, %d pruned, "
            "%d failed", why ? why : "", why ? ": " : "", done,
            done == 1 ? "" : "s", el, p->complete, p->pruned, p->failed);
    if (p->have_best)
        fprintf(stderr, "; this run's best %.6g (trial %d)", p->best,
                p->best_number);
    char resource[96];
    format_resource(p, resource, sizeof resource, "; ");
    fprintf(stderr, "%s\n", resource);
    fflush(stderr);
    pthread_mutex_unlock(&p->mu);
}

void progress_set_resource_target(progress *p, int64_t target)
{
    pthread_mutex_lock(&p->mu);
    p->resource_target = target;
    pthread_mutex_unlock(&p->mu);
}

void progress_set_resource_used(progress *p, int64_t used)
{
    pthread_mutex_lock(&p->mu);
    p->resource_used = used;
    pthread_mutex_unlock(&p->mu);
}

void progress_add_resource(progress *p, int64_t used)
{
    pthread_mutex_lock(&p->mu);
    p->resource_used += used;
    pthread_mutex_unlock(&p->mu);
}

int progress_n_complete(const progress *p)
{
    return p->complete;
}

int progress_n_failed(const progress *p)
{
    return p->failed;
}

int progress_n_finished(const progress *p)
{
    return p->complete + p->pruned + p->failed;
}

void progress_free(progress *p)
{
    if (!p)
        return;
    progress_stop(p);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
