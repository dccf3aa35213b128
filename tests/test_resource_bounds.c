/* test_resource_bounds.c — the library's memory and descriptors stay
 * bounded over a long in-memory study: 200,000 trials of
 * hpo_study_optimize (random sampler, one float).  The storage keeps
 * every trial, so memory grows by what a trial record costs: the test
 * asserts that growth per trial, measured after the first 10% (allocator
 * warm-up), stays under a stated bound, and that no descriptor is left
 * open.  Under AddressSanitizer the RSS is printed, not bounded: its
 * allocator keeps freed memory in quarantine (up to 256 MB) by design,
 * and LeakSanitizer checks for leaks instead.  Reads /proc/self. */
#include <dirent.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "hpo.h"

#define N_TRIALS 200000

#if defined(__SANITIZE_ADDRESS__)
#define RSS_BOUNDED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RSS_BOUNDED 0
#endif
#endif
#ifndef RSS_BOUNDED
#define RSS_BOUNDED 1
#endif

/* A stored trial (one float parameter, one value, times, state) costs
 * about 500 bytes here; a leak of a small allocation per trial would show
 * well above.  Bound: */
#define MAX_BYTES_PER_TRIAL 1024

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            v = atol(line + n + 1);
    if (f)
        fclose(f);
    return v;
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = -1; /* the directory itself */
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static int objective(hpo_trial *t, void *data, double *v)
{
    (void)data;
    double x;
    int rc = hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
    v[0] = x * x;
    return rc;
}

static void run_trials(hpo_study *s, int n)
{
    hpo_optimize_options o = {.n_trials = n};
    CHECK_RC(hpo_study_optimize(s, objective, NULL, &o), HPO_OK);
}

static void test_long_memory_study(void)
{
    int fds0 = open_fds();
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_set_sampler(s, "random"), HPO_OK);
    CHECK_RC(hpo_study_set_seed(s, 1), HPO_OK);
    CHECK_RC(hpo_study_open(s, "long", HPO_OPEN_CREATE), HPO_OK);
    int warm = N_TRIALS / 10;
    double t0 = seconds();
    run_trials(s, warm);
    long rss_warm = status_kb("VmRSS");
    int fds_warm = open_fds();
    run_trials(s, N_TRIALS - warm);
    long rss_end = status_kb("VmRSS");
    int fds_end = open_fds();
    double per_trial = (double)(rss_end - rss_warm) * 1024.0 /
                       (double)(N_TRIALS - warm);
    printf("%d trials in %.1f s: RSS %ld kB after %d, %ld kB at the end: "
           "%.0f bytes per trial (bound %d%s); descriptors %d, %d, %d\n",
           N_TRIALS, seconds() - t0, rss_warm, warm, rss_end, per_trial,
           MAX_BYTES_PER_TRIAL, RSS_BOUNDED ? "" : ", not checked: ASan",
           fds0, fds_warm, fds_end);
    CHECK(rss_warm > 0 && rss_end > 0);
    if (RSS_BOUNDED)
        CHECK(per_trial < MAX_BYTES_PER_TRIAL);
    CHECK(fds_warm == fds0);
    CHECK(fds_end == fds0);
    hpo_study_free(s);
    CHECK(open_fds() == fds0);
}

int main(void)
{
    RUN(test_long_memory_study);
    return CHECK_DONE();
}
