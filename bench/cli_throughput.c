/*
 * cli_throughput.c — `hpo-bench cli-throughput`: trials per second of the
 * real `hpo tune` command as its study grows, to show that the CLI's cost
 * per trial does not grow with the study.
 *
 *   hpo-bench cli-throughput [--trials 50000] [--window 1000] [--from 1000]
 *                            [--jobs 2] [--heartbeat S] [--hpo PATH]
 *                            [--json FILE]
 *
 * Runs, in a scratch directory,
 *
 *   hpo tune --storage sqlite:///DIR/cli.db --study cli -n TRIALS -j JOBS
 *            --sampler random --seed 0 -q -p x=float:0:1 [--heartbeat S]
 *            -- /bin/echo 1
 *
 * then reads the study back and takes each trial's end time: trials/s in
 * each window of WINDOW trials (in the order they finished) from trial
 * FROM on.  The table prints every window, then the first and the last
 * and their ratio (last / first: 1 is flat), and the same for the medians
 * of the first and last five windows, which a busy machine disturbs less.  The child costs the same at
 * every trial, so any trend is hpo's.  Python Optuna has no command that
 * runs a program per trial, so there is no reference side here.
 *
 * Exit status 1 when tune fails or the study does not end with exactly
 * TRIALS COMPLETE trials.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

extern char **environ;

/* The medians of this many windows at each end are compared too. */
#define EDGE_WINDOWS 5

typedef struct cli_run {
    char dir[256];
    int trials, window, from, jobs;
    const char *hpo;
    const char *heartbeat; /* --heartbeat S for tune, or NULL */
    double wall_s;
    double *end_s; /* COMPLETE trials' end times, ascending */
    int n_complete, n_other;
} cli_run;

/* Run hpo tune with stderr kept in DIR/tune.err; 0 if it exited 0. */
static int run_tune(cli_run *r)
{
    char url[320], trials[32], jobs[32], err[300];
    snprintf(url, sizeof url, "sqlite:///%s/cli.db", r->dir);
    snprintf(trials, sizeof trials, "%d", r->trials);
    snprintf(jobs, sizeof jobs, "%d", r->jobs);
    snprintf(err, sizeof err, "%s/tune.err", r->dir);
    const char *head[] = {r->hpo, "tune", "--storage", url, "--study",
                          "cli", "-n", trials, "-j", jobs, "--sampler",
                          "random", "--seed", "0", "-q", "-p",
                          "x=float:0:1", NULL};
    char *argv[32];
    int k = 0;
    for (int i = 0; head[i]; i++)
        argv[k++] = (char *)head[i];
    if (r->heartbeat) {
        argv[k++] = "--heartbeat";
        argv[k++] = (char *)r->heartbeat;
    }
    argv[k++] = "--";
    argv[k++] = "/bin/echo";
    argv[k++] = "1";
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid;
    double t0 = bench_now_s();
    int rc = posix_spawn(&pid, r->hpo, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "hpo-bench cli-throughput: cannot run %s: %s\n",
                r->hpo, strerror(rc));
        return -1;
    }
    int status;
    waitpid(pid, &status, 0);
    r->wall_s = bench_now_s() - t0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "hpo-bench cli-throughput: hpo tune failed (status %d); "
            "its messages are in %s\n", status, err);
    return -1;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The end times of the study's COMPLETE trials, sorted. */
static int read_end_times(cli_run *r)
{
    char url[320];
    snprintf(url, sizeof url, "sqlite:///%s/cli.db", r->dir);
    hpo_storage *st = NULL;
    hpo_study *s = hpo_study_new();
    hpo_trial **all = NULL;
    int n = 0;
    int rc = hpo_storage_open(&st, url);
    if (rc == HPO_OK && !s)
        rc = HPO_ENOMEM;
    if (rc == HPO_OK)
        rc = hpo_study_set_storage(s, st);
    if (rc == HPO_OK)
        rc = hpo_study_open(s, "cli", HPO_OPEN_LOAD);
    if (rc == HPO_OK)
        rc = hpo_study_trials(s, &all, &n);
    if (rc == HPO_OK && !(r->end_s = malloc(sizeof(double) * (size_t)(n + 1))))
        rc = HPO_ENOMEM;
    for (int i = 0; rc == HPO_OK && i < n; i++) {
        if (hpo_trial_state_of(all[i]) == HPO_COMPLETE)
            r->end_s[r->n_complete++] = hpo_trial_end_time(all[i]);
        else
            r->n_other++;
    }
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench cli-throughput: reading the study: %s %s\n",
                s ? hpo_study_errmsg(s) : "", hpo_storage_errmsg(st));
    hpo_trials_free(all, n);
    hpo_study_free(s);
    hpo_storage_close(st);
    if (rc == HPO_OK)
        qsort(r->end_s, (size_t)r->n_complete, sizeof *r->end_s, ascending);
    return rc == HPO_OK ? 0 : -1;
}

/* Trials/s over the window of trials (from, from + w]: w trials finished
 * between the end of trial `from` and the end of trial `from + w`. */
static double window_rate(const cli_run *r, int from, int w)
{
    double dt = r->end_s[from + w - 1] - r->end_s[from - 1];
    return dt > 0 ? w / dt : 0;
}

static void remove_dir(const char *dir)
{
    static const char *const files[] = {"cli.db", "cli.db-wal", "cli.db-shm",
                                        "tune.err"};
    char path[320];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Median of rates[from, from + n): a window or two slowed by another
 * process on the machine does not move it. */
static double median_of(const double *rates, int from, int n)
{
    double v[EDGE_WINDOWS];
    for (int i = 0; i < n; i++)
        v[i] = rates[from + i];
    return bench_quantile(v, n, 0.5);
}

static int print_and_save(const cli_run *r, const char *json)
{
    printf("hpo-bench cli-throughput: hpo tune -n %d -j %d --sampler random "
           "%s%s%s-- /bin/echo 1, SQLite; trials/s per window of %d\n",
           r->trials, r->jobs, r->heartbeat ? "--heartbeat " : "",
           r->heartbeat ? r->heartbeat : "", r->heartbeat ? " " : "",
           r->window);
    printf("%18s %10s\n", "trials", "trials/s");
    cJSON *doc = cJSON_CreateObject();
    cJSON *windows = cJSON_AddArrayToObject(doc, "windows");
    int n_windows = (r->n_complete - r->from) / r->window;
    double *rates = calloc((size_t)n_windows + 1, sizeof *rates);
    if (!rates)
        n_windows = 0;
    for (int k = 0; k < n_windows; k++) {
        int a = r->from + k * r->window;
        rates[k] = window_rate(r, a, r->window);
        printf("%8d-%-9d %10.1f\n", a + 1, a + r->window, rates[k]);
        cJSON *w = cJSON_CreateObject();
        cJSON_AddNumberToObject(w, "from", a + 1);
        cJSON_AddNumberToObject(w, "to", a + r->window);
        cJSON_AddNumberToObject(w, "trials_per_s", rates[k]);
        cJSON_AddItemToArray(windows, w);
    }
    printf("%d trials in %.1f s (%.1f trials/s overall)\n", r->n_complete,
           r->wall_s, r->n_complete / r->wall_s);
    double first = 0, last = 0, med_first = 0, med_last = 0;
    if (n_windows > 0) {
        int edge = n_windows < EDGE_WINDOWS ? n_windows : EDGE_WINDOWS;
        first = rates[0];
        last = rates[n_windows - 1];
        med_first = median_of(rates, 0, edge);
        med_last = median_of(rates, n_windows - edge, edge);
        printf("first window %.1f trials/s, last %.1f trials/s: last/first = "
               "%.2f\n", first, last, last / first);
        printf("median of the first %d windows %.1f trials/s, of the last %d "
               "%.1f trials/s: last/first = %.2f\n", edge, med_first, edge,
               med_last, med_last / med_first);
    }
    free(rates);
    cJSON_AddNumberToObject(doc, "first_window", first);
    cJSON_AddNumberToObject(doc, "last_window", last);
    cJSON_AddNumberToObject(doc, "median_first_windows", med_first);
    cJSON_AddNumberToObject(doc, "median_last_windows", med_last);
    cJSON_AddStringToObject(doc, "command", "cli-throughput");
    cJSON_AddStringToObject(doc, "hpo_version", hpo_version());
    cJSON_AddNumberToObject(doc, "trials", r->n_complete);
    cJSON_AddNumberToObject(doc, "jobs", r->jobs);
    cJSON_AddNumberToObject(doc, "wall_s", r->wall_s);
    cJSON_AddNumberToObject(doc, "last_over_first", first > 0 ? last / first : 0);
    cJSON_AddNumberToObject(doc, "median_last_over_first",
                            med_first > 0 ? med_last / med_first : 0);
    int rc = json ? bench_write_json(json, doc) : 0;
    cJSON_Delete(doc);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: hpo-bench cli-throughput [--trials 50000] "
               "[--window 1000] [--from 1000] [--jobs 2] [--heartbeat S] "
               "[--hpo PATH] [--json FILE]\n");
}

static int parse_args(int argc, char **argv, cli_run *r, const char **json)
{
    const char *trials = "50000", *window = "1000", *from = "1000",
               *jobs = "2";
    r->hpo = getenv("HPO_BENCH_HPO") ? getenv("HPO_BENCH_HPO") : HPO_BENCH_CLI;
    for (int i = 0; i < argc; i++) {
        int k;
        if ((k = bench_option(argc, argv, &i, "--trials", &trials)) ||
            (k = bench_option(argc, argv, &i, "--window", &window)) ||
            (k = bench_option(argc, argv, &i, "--from", &from)) ||
            (k = bench_option(argc, argv, &i, "--jobs", &jobs)) ||
            (k = bench_option(argc, argv, &i, "--hpo", &r->hpo)) ||
            (k = bench_option(argc, argv, &i, "--heartbeat", &r->heartbeat)) ||
            (k = bench_option(argc, argv, &i, "--json", json))) {
            if (k < 0)
                return -1;
            continue;
        }
        fprintf(stderr, "hpo-bench cli-throughput: unknown argument '%s'\n",
                argv[i]);
        return -1;
    }
    if (bench_parse_ints(trials, &r->trials, 1) != 1 ||
        bench_parse_ints(window, &r->window, 1) != 1 ||
        bench_parse_ints(from, &r->from, 1) != 1 ||
        bench_parse_ints(jobs, &r->jobs, 1) != 1 || r->window < 1 ||
        r->from < 1 || r->jobs < 1 || r->trials < r->from + r->window) {
        fprintf(stderr, "hpo-bench cli-throughput: need --window >= 1, "
                "--from >= 1, --jobs >= 1 and --trials >= --from + --window\n");
        return -1;
    }
    return 0;
}

int bench_cli_throughput(int argc, char **argv)
{
    cli_run r;
    memset(&r, 0, sizeof r);
    const char *json = NULL;
    if (parse_args(argc, argv, &r, &json) != 0) {
        usage(stderr);
        return 2;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(r.dir, sizeof r.dir, "%s/hpo-cli-bench.XXXXXX", tmp);
    if (!mkdtemp(r.dir)) {
        perror("hpo-bench cli-throughput: mkdtemp");
        return 1;
    }
    int failed = run_tune(&r) != 0 || read_end_times(&r) != 0;
    if (!failed && (r.n_complete != r.trials || r.n_other != 0)) {
        fprintf(stderr, "hpo-bench cli-throughput: the study holds %d "
                "COMPLETE and %d other trials, not %d COMPLETE\n",
                r.n_complete, r.n_other, r.trials);
        failed = 1;
    }
    if (!failed && print_and_save(&r, json) != 0)
        failed = 1;
    free(r.end_s);
    if (!failed)
        remove_dir(r.dir);
    return failed ? 1 : 0;
}
