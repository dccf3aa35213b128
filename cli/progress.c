/*
 * progress.c — the records, the live or plain progress line, Ctrl-C's
 * acknowledgement and the summary of a run of trials (see progress.h).
 * Counters are updated from the trial threads under one mutex; one small
 * thread draws the state of the run and answers signals, and it never
 * holds that mutex while it writes (logging.c has its own).
 */
#define _GNU_SOURCE 1 /* pipe2 */
#include "progress.h"

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"
#include "jsontext.h"
#include "trial_record.h"

#define REDRAW_S 0.25

struct progress {
    int n_trials;
    double timeout_s;
    hpo_direction direction;
    int in_process;
    int jobs; /* progress_set_jobs; 0 when trials are counted as they start */
    log_level record_level;
    char record_prefix[64];
    pthread_mutex_t mu;
    pthread_t thread;
    int thread_running;
    int wake[2]; /* progress_stop writes; the thread wakes */
    struct timespec start;
    int complete, pruned, failed;
    int have_best, best_number;
    double best;
    int64_t resource_used, resource_target; /* progress.h */
    int detail_trial;  /* whose detail is shown; -1 none */
    char detail[160];
};

static double elapsed_s(const progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) +
           (double)(now.tv_nsec - p->start.tv_nsec) * 1e-9;
}

progress *progress_new(int n_trials, double timeout_s,
                       hpo_direction direction)
{
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        free(p);
        return NULL;
    }
    p->n_trials = n_trials;
    p->timeout_s = timeout_s;
    p->direction = direction;
    p->record_level = LOG_INFO;
    p->detail_trial = -1;
    pthread_mutex_init(&p->mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    return p;
}

void progress_set_in_process(progress *p, int in_process)
{
    p->in_process = in_process;
}

void progress_set_jobs(progress *p, int jobs)
{
    p->jobs = jobs;
}

void progress_reset_best(progress *p)
{
    pthread_mutex_lock(&p->mu);
    p->have_best = 0;
    pthread_mutex_unlock(&p->mu);
}

void progress_set_records(progress *p, log_level level, const char *prefix)
{
    pthread_mutex_lock(&p->mu);
    p->record_level = level;
    snprintf(p->record_prefix, sizeof p->record_prefix, "%s",
             prefix ? prefix : "");
    pthread_mutex_unlock(&p->mu);
}

void progress_format_duration(char *buf, size_t size, double s)
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

/* Append to line[*n..size): snprintf that never runs past the end. */
static void put(char *line, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *line, size_t size, size_t *n, const char *fmt, ...)
{
    if (*n >= size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line + *n, size - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n = *n + (size_t)k < size ? *n + (size_t)k : size - 1;
}

/* The state of the run, one line.  Call with the mutex held. */
static void format_state(const progress *p, char *line, size_t size)
{
    char el[32], rem[32];
    int done = p->complete + p->pruned + p->failed;
    double elapsed = elapsed_s(p);
    size_t n = 0;
    if (p->n_trials > 0) {
        int w = snprintf(NULL, 0, "%d", p->n_trials);
        put(line, size, &n, "[%*d/%d]", w, done, p->n_trials);
    } else {
        put(line, size, &n, "[%d]", done);
    }
    put(line, size, &n, " done %d failed %d", p->complete, p->failed);
    if (p->pruned)
        put(line, size, &n, " pruned %d", p->pruned);
    n += format_resource(p, line + n, size - n, " ");
    if (p->have_best)
        put(line, size, &n, " best %.6g (trial %d)", p->best, p->best_number);
    progress_format_duration(el, sizeof el, elapsed);
    put(line, size, &n, " elapsed %s", el);
    double left = remaining_s(p, elapsed);
    if (left >= 0) {
        progress_format_duration(rem, sizeof rem, left);
        put(line, size, &n, " remaining ~%s", rem);
    }
    if (p->detail_trial >= 0)
        put(line, size, &n, "; %s", p->detail);
}

/* "finishing 2 running trials (Ctrl-C again to stop now)": said by the
 * thread as soon as the handler wakes it. */
static void acknowledge(progress *p, int count)
{
    pthread_mutex_lock(&p->mu);
    int finished = p->complete + p->pruned + p->failed;
    int running = interrupt_running_at_signal();
    if (p->jobs > 0) {
        int left = p->n_trials > 0 ? p->n_trials - finished : p->jobs;
        running = p->jobs < left ? p->jobs : left;
    }
    pthread_mutex_unlock(&p->mu);
    if (running < 0)
        running = 0;
    const char *s = running == 1 ? "" : "s";
    if (count == 1 && running == 0)
        log_say(LOG_WARNING, "hpo: interrupted: starting no more trials "
                "(Ctrl-C again to stop now)");
    else if (count == 1 && p->in_process)
        log_say(LOG_WARNING, "hpo: interrupted: finishing %d running "
                "trial%s (Ctrl-C again to stop now)", running, s);
    else if (count == 1)
        log_say(LOG_WARNING, "hpo: interrupted: stopping %d running "
                "trial%s (Ctrl-C again to kill them now)", running, s);
    else if (count == 2)
        log_say(LOG_WARNING, "hpo: stopping now: the running trials fail as "
                "interrupted (hpo exits within %d s; Ctrl-C again to exit "
                "at once)", INTERRUPT_FORCE_AFTER_S);
}

/* Read every byte the signal handler wrote; answer the signals. */
static void drain_signals(progress *p, int *acked)
{
    char buf[16];
    while (read(interrupt_notify_fd(), buf, sizeof buf) > 0)
        ;
    int count = interrupt_count();
    while (*acked < count && *acked < 2)
        acknowledge(p, ++*acked);
}

/* The state of the run: redrawn, or a plain record now and then. */
static void show_state(progress *p, int live, double *last_plain,
                       double plain_s)
{
    char line[320];
    double now = elapsed_s(p);
    if (!live && now - *last_plain < plain_s)
        return;
    pthread_mutex_lock(&p->mu);
    format_state(p, line, sizeof line);
    pthread_mutex_unlock(&p->mu);
    if (live) {
        log_live(line);
    } else {
        *last_plain = now;
        log_record(LOG_INFO, "%s", line);
    }
}

/* HPO_PROGRESS_INTERVAL=S, else PROGRESS_PLAIN_S. */
static double plain_interval_s(void)
{
    const char *env = getenv("HPO_PROGRESS_INTERVAL");
    double s = env ? strtod(env, NULL) : 0;
    return s > 0 ? s : PROGRESS_PLAIN_S;
}

static void *progress_loop(void *arg)
{
    progress *p = arg;
    int live = log_live_terminal();
    int plain = !live && log_wants(LOG_INFO);
    double plain_s = plain_interval_s(), last_plain = 0;
    int acked = 0;
    for (;;) {
        struct pollfd fds[2] = {{.fd = p->wake[0], .events = POLLIN},
                                {.fd = interrupt_notify_fd(),
                                 .events = POLLIN}};
        double wait_s = live ? REDRAW_S : plain ? plain_s / 4 : 3600;
        if (wait_s > 1)
            wait_s = 1;
        int nfds = fds[1].fd >= 0 ? 2 : 1;
        if (poll(fds, (nfds_t)nfds, (int)(wait_s * 1000)) > 0) {
            if (fds[0].revents) {
                /* A Ctrl-C that stopped the run is still acknowledged,
                 * even when the stop woke this thread first. */
                if (nfds == 2 && interrupt_count() > acked)
                    drain_signals(p, &acked);
                break;
            }
            if (nfds == 2 && fds[1].revents)
                drain_signals(p, &acked);
        }
        if (live || plain)
            show_state(p, live, &last_plain, plain_s);
    }
    if (live)
        log_live(NULL);
    return NULL;
}

void progress_start(progress *p)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    if (pthread_create(&p->thread, NULL, progress_loop, p) == 0)
        p->thread_running = 1;
}

void progress_say(progress *p, const char *fmt, ...)
{
    (void)p;
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    log_say(LOG_INFO, "%s", text ? text : "out of memory");
    free(text);
}

void progress_study_log(int level, const char *message, void *data)
{
    (void)data;
    log_level l = level <= 0 ? LOG_DEBUG : level == 1 ? LOG_INFO
                                                      : LOG_WARNING;
    log_say(l, "hpo: %s", message);
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

/* A failed trial's record is the line that says why. */
static void say_failure(const progress *p, const hpo_trial *t)
{
    char *reason = json_unquote(hpo_trial_user_attr(t, "fail_reason"));
    char *last = last_stderr_line(t);
    log_say(LOG_WARNING, "hpo: %strial %d failed: %s%s%.200s",
            p->record_prefix, hpo_trial_number(t),
            reason ? reason : "(no reason recorded)",
            last ? "; stderr: " : "", last ? last : "");
    free(reason);
    free(last);
}

void progress_trial_started(progress *p)
{
    (void)p;
    interrupt_running_add(1);
}

/* The record of a trial that did not fail; call with the mutex held. */
static char *record_text(const progress *p, const hpo_trial *t)
{
    int is_best = p->have_best && hpo_trial_state_of(t) == HPO_COMPLETE;
    return trial_record(t, p->best, is_best ? p->best_number : -1);
}

void progress_trial_done(progress *p, const hpo_trial *trial)
{
    char *record = NULL;
    pthread_mutex_lock(&p->mu);
    hpo_trial_state state = hpo_trial_state_of(trial);
    if (state == HPO_COMPLETE) {
        p->complete++;
        note_best(p, trial);
    } else if (state == HPO_PRUNED_STATE) {
        p->pruned++;
    } else {
        p->failed++;
    }
    if (p->detail_trial == hpo_trial_number(trial))
        p->detail_trial = -1;
    if (p->jobs == 0)
        interrupt_running_add(-1); /* counted by progress_trial_started */
    if (state != HPO_FAIL && log_wants(p->record_level))
        record = record_text(p, trial);
    pthread_mutex_unlock(&p->mu);
    if (state == HPO_FAIL)
        say_failure(p, trial);
    else if (record)
        log_record(p->record_level, "%s%s", p->record_prefix, record);
    free(record);
}

void progress_set_detail(progress *p, int trial, const char *text)
{
    pthread_mutex_lock(&p->mu);
    if (text) {
        p->detail_trial = trial;
        snprintf(p->detail, sizeof p->detail, "%s", text);
    } else if (p->detail_trial == trial) {
        p->detail_trial = -1;
    }
    pthread_mutex_unlock(&p->mu);
}

void progress_stop(progress *p)
{
    if (!p->thread_running)
        return;
    ssize_t ignored = write(p->wake[1], "!", 1);
    (void)ignored;
    pthread_join(p->thread, NULL);
    p->thread_running = 0;
}

void progress_summary(progress *p, const char *why)
{
    char el[32], best[96] = "", resource[96];
    pthread_mutex_lock(&p->mu);
    int done = p->complete + p->pruned + p->failed;
    progress_format_duration(el, sizeof el, elapsed_s(p));
    if (p->have_best)
        snprintf(best, sizeof best, "; this run's best %.6g (trial %d)",
                 p->best, p->best_number);
    format_resource(p, resource, sizeof resource, "; ");
    int complete = p->complete, pruned = p->pruned, failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    log_say(LOG_INFO, "hpo: %s%s%d trial%s in %s: %d complete, %d pruned, "
            "%d failed%s%s", why ? why : "", why ? ": " : "", done,
            done == 1 ? "" : "s", el, complete, pruned, failed, best,
            resource);
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
    close(p->wake[0]);
    close(p->wake[1]);
    free(p);
}
