/*
 * storage.c — `hpo-bench storage`: trials per second of several worker
 * processes on one study in a real database, and ask latency as the study
 * grows, for hpo and (with --vs-optuna) Optuna in the same run.
 *
 *   hpo-bench storage [--storage sqlite|postgresql|all] [--procs 1,4]
 *                     [--trials N] [--seconds S] [--sizes 100,10000]
 *                     [--asks 200] [--optuna-fill-seconds 120]
 *                     [--vs-optuna] [--json FILE] [--repeat 3]
 *                     [--hpo-url-query QUERY] [--disk-load]
 *
 * hpo runs in two modes, its default and ?sync=full (or only with the
 * --hpo-url-query given), each row showing each side's durability as its
 * database reports it: the 20x goal is for rows at equal durability.
 * Every cell is measured --repeat times (hpo's modes and Optuna
 * interleaved) and shows the median run.  --disk-load measures every row
 * again while another process writes to the same disk (disk_load.c).
 * The PostgreSQL server runs with fsync on (pg.c).
 *
 * Throughput: for each storage × process count, a fresh database (SQLite:
 * a file in a temporary directory; PostgreSQL: a new database on the
 * server, pg.c) and P processes that each open the same study (create or
 * load) and run ask / suggest_float / tell with the random sampler on x²,
 * for S seconds or N trials in all.  Trials/s = trials completed by all
 * workers / wall time.  Afterwards the study must hold exactly those
 * trials, COMPLETE and numbered 0..N-1 (storage_hpo.c); Optuna's side
 * (optuna_ref.py storage) counts its failures, "database is locked" apart.
 *
 * Ask latency: a fresh study filled to each size (hpo by ask/tell, Optuna
 * by study.add_trial, which is its fastest way; Optuna stops filling after
 * --optuna-fill-seconds and is then timed at the size it reached), then
 * the median of --asks ask + suggest + tell cycles, and of the ask alone.
 *
 * The goals: at least 20× Optuna's trials/s at equal durability, SQLite
 * and PostgreSQL, 1 and 4 processes, quiet or under load (issue 9); ask
 * latency at 10,000 stored trials at most 2× the latency at 100.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

#define GOAL_SPEEDUP 20.0
#define GOAL_LATENCY_RATIO 2.0
#define MAX_PROC_COUNTS 8 /* entries of --procs */
#define DEFAULT_SECONDS 10.0

typedef enum kind { SQLITE, POSTGRESQL, N_KINDS } kind;
static const char *const kind_names[N_KINDS] = {"sqlite", "postgresql"};

typedef struct storage_args {
    int kinds[N_KINDS]; /* 1 = measure this storage */
    int procs[MAX_PROC_COUNTS], n_procs;
    long trials;
    double seconds;
    int sizes[2], asks;
    double optuna_fill_s;
    int vs_optuna;
    const char *json;
    const char *hpo_query; /* --hpo-url-query: appended to hpo's URLs */
    int disk_load;         /* --disk-load: also under another writer */
    int repeat;            /* --repeat: runs per cell, median shown */
} storage_args;

/* hpo's modes in the table: its default and ?sync=full, or only the
 * --hpo-url-query given. */
#define MAX_MODES 2

/* What a run needs besides its arguments. */
typedef struct context {
    const storage_args *args;
    char tmpdir[64];      /* SQLite files */
    bench_pg pg;          /* PostgreSQL server, when one is needed */
    int pg_up;            /* 1: pg is running */
    int hpo_has[N_KINDS]; /* backend compiled in */
    char *optuna_version;
    const char *modes[MAX_MODES]; /* hpo's URL queries ("" = default) */
    int n_modes;
    const char *hpo_query; /* the URL query of hpo's side now */
    int loaded;           /* the background writer is running */
    int run_id;           /* makes every database name fresh */
    int failed;           /* exit status 1 */
    int goal_missed;      /* some measured row misses a goal */
    int goal_unmeasured;  /* some row has no ratio (not compiled, failed) */
    cJSON *json_rows, *json_latency;
} context;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: hpo-bench storage [--storage sqlite|postgresql|all] "
            "[--procs 1,4]\n"
            "         [--trials N] [--seconds S] [--sizes 100,10000] "
            "[--asks 200]\n"
            "         [--optuna-fill-seconds 120] [--vs-optuna] "
            "[--json FILE]\n"
            "         [--hpo-url-query QUERY] [--repeat 3] [--disk-load]\n"
            "Without --trials or --seconds each row runs %.0f s.\n"
            "hpo runs in its default mode and with ?sync=full, or only with "
            "QUERY;\n--disk-load measures every row again while another "
            "process writes to the same disk.\n",
            DEFAULT_SECONDS);
}

/* ------------------------------------------------------------------------- */
/* Arguments                                                                  */
/* ------------------------------------------------------------------------- */

static int parse_kinds(const char *text, int *kinds)
{
    memset(kinds, 0, sizeof(int) * N_KINDS);
    if (strcmp(text, "all") == 0) {
        for (int k = 0; k < N_KINDS; k++)
            kinds[k] = 1;
        return 0;
    }
    for (int k = 0; k < N_KINDS; k++)
        if (strcmp(text, kind_names[k]) == 0) {
            kinds[k] = 1;
            return 0;
        }
    fprintf(stderr, "hpo-bench storage: --storage %s: expected sqlite, "
                    "postgresql or all\n", text);
    return -1;
}

static int parse_number(const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (end == text || *end || !(*out >= 0) || isinf(*out)) {
        fprintf(stderr, "hpo-bench storage: '%s' is not a number >= 0\n", text);
        return -1;
    }
    return 0;
}

static int check_values(const storage_args *a)
{
    for (int i = 0; i < a->n_procs; i++)
        if (a->procs[i] > BENCH_STORAGE_MAX_WORKERS) {
            fprintf(stderr, "hpo-bench storage: at most %d processes\n",
                    BENCH_STORAGE_MAX_WORKERS);
            return -1;
        }
    if (a->sizes[0] >= a->sizes[1]) { /* also when only one was given */
        fprintf(stderr, "hpo-bench storage: --sizes: two sizes, the "
                        "smaller first\n");
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, storage_args *a)
{
    const char *kinds = "sqlite", *procs = "1,4", *trials = NULL,
               *seconds = NULL, *sizes = "100,10000", *asks = "200",
               *fill = "120", *repeat = "3";
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = bench_option(argc, argv, &i, "--storage", &kinds)) ||
            (r = bench_option(argc, argv, &i, "--procs", &procs)) ||
            (r = bench_option(argc, argv, &i, "--trials", &trials)) ||
            (r = bench_option(argc, argv, &i, "--seconds", &seconds)) ||
            (r = bench_option(argc, argv, &i, "--sizes", &sizes)) ||
            (r = bench_option(argc, argv, &i, "--asks", &asks)) ||
            (r = bench_option(argc, argv, &i, "--optuna-fill-seconds", &fill)) ||
            (r = bench_option(argc, argv, &i, "--json", &a->json)) ||
            (r = bench_option(argc, argv, &i, "--hpo-url-query",
                              &a->hpo_query)) ||
            (r = bench_option(argc, argv, &i, "--repeat", &repeat))) {
            if (r < 0)
                return -1;
        } else if (strcmp(argv[i], "--vs-optuna") == 0) {
            a->vs_optuna = 1;
        } else if (strcmp(argv[i], "--disk-load") == 0) {
            a->disk_load = 1;
        } else {
            fprintf(stderr, "hpo-bench storage: unknown argument '%s'\n", argv[i]);
            return -1;
        }
    }
    int n_trials = 0;
    if (parse_kinds(kinds, a->kinds) != 0 ||
        (a->n_procs = bench_parse_ints(procs, a->procs, MAX_PROC_COUNTS)) < 1 ||
        (trials && bench_parse_ints(trials, &n_trials, 1) != 1) ||
        (seconds && parse_number(seconds, &a->seconds) != 0) ||
        bench_parse_ints(sizes, a->sizes, 2) < 1 ||
        bench_parse_ints(asks, &a->asks, 1) != 1 ||
        bench_parse_ints(repeat, &a->repeat, 1) != 1 || a->repeat < 1 ||
        parse_number(fill, &a->optuna_fill_s) != 0)
        return -1;
    a->trials = n_trials;
    if (!trials && !seconds)
        a->seconds = DEFAULT_SECONDS;
    return check_values(a);
}

/* ------------------------------------------------------------------------- */
/* Fresh databases                                                            */
/* ------------------------------------------------------------------------- */

/* Append QUERY to the URL (after '?' or '&'); 0, or -1 when it does not
 * fit. */
static int add_query(char *url, size_t size, const char *query)
{
    if (!query || !*query)
        return 0;
    size_t len = strlen(url);
    int n = snprintf(url + len, size - len, "%c%s",
                     strchr(url, '?') ? '&' : '?', query);
    return n > 0 && (size_t)n < size - len ? 0 : -1;
}

/* A fresh database of kind k for one side ("hpo", "optuna") of one row
 * ("p4", "latency"): URLs for hpo and for SQLAlchemy, and the name to drop
 * it by (PostgreSQL).  0, or -1 with a message. */
static int fresh_database(context *c, kind k, const char *side,
                          const char *row, char *hpo_url, char *optuna_url,
                          char *name, size_t size)
{
    if (k == SQLITE) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s-%s.db", c->tmpdir, side, row);
        snprintf(name, size, "%s", path);
        snprintf(hpo_url, size, "sqlite:///%s", path);
        snprintf(optuna_url, size, "sqlite:///%s", path);
        return add_query(hpo_url, size, c->hpo_query);
    }
    if (!c->pg_up)
        return -1;
    snprintf(name, size, "hpo_bench_%d_%s_%s", (int)getpid(), side, row);
    if (bench_pg_create_db(&c->pg, name, hpo_url, optuna_url, size) != 0)
        return -1;
    return add_query(hpo_url, size, c->hpo_query);
}

static void drop_database(context *c, kind k, const char *name)
{
    if (k == POSTGRESQL) {
        bench_pg_drop_db(&c->pg, name);
        return;
    }
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[700];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", name, suffixes[i]);
        unlink(path);
    }
}

static void remove_tmpdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* ------------------------------------------------------------------------- */
/* Optuna's side                                                              */
/* ------------------------------------------------------------------------- */

static double number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void keep_version(context *c, const cJSON *doc)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "optuna_version"));
    if (!c->optuna_version)
        c->optuna_version = strdup(v ? v : "?");
}

static int optuna_run(context *c, const char *url, int procs,
                      bench_storage_run *out)
{
    const storage_args *a = c->args;
    char p[16], n[32], s[32];
    snprintf(p, sizeof p, "%d", procs);
    snprintf(n, sizeof n, "%ld", a->trials);
    snprintf(s, sizeof s, "%g", a->seconds);
    const char *args[] = {"storage", "--url", url, "--procs", p, "--trials",
                          n, "--seconds", s, NULL};
    memset(out, 0, sizeof *out);
    cJSON *doc = bench_optuna_run(args);
    if (!doc) {
        snprintf(out->note, sizeof out->note, "optuna_ref.py storage failed");
        return -1;
    }
    keep_version(c, doc);
    out->completed = (long)number(doc, "completed");
    out->failed = (long)number(doc, "failed");
    out->locked = (long)number(doc, "locked");
    out->open_failed = (long)number(doc, "open_failed");
    out->wall_s = number(doc, "wall_s");
    out->trials_per_s = out->wall_s > 0 ? out->completed / out->wall_s : 0;
    out->check_ok = cJSON_IsTrue(cJSON_GetObjectItem(doc, "check_ok"));
    const char *note = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "note"));
    snprintf(out->note, sizeof out->note, "%s", note ? note : "");
    const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "durability"));
    snprintf(out->durability, sizeof out->durability, "%s", d ? d : "?");
    out->ok = out->completed > 0;
    cJSON_Delete(doc);
    return out->ok ? 0 : -1;
}

static int optuna_latency(context *c, const char *url, bench_latency *out)
{
    const storage_args *a = c->args;
    char sizes[64], asks[16], fill[32];
    snprintf(sizes, sizeof sizes, "%d,%d", a->sizes[0], a->sizes[1]);
    snprintf(asks, sizeof asks, "%d", a->asks);
    snprintf(fill, sizeof fill, "%g", a->optuna_fill_s);
    const char *args[] = {"latency", "--url", url, "--sizes", sizes, "--asks",
                          asks, "--fill-seconds", fill, NULL};
    memset(out, 0, sizeof *out);
    cJSON *doc = bench_optuna_run(args);
    if (!doc) {
        snprintf(out->note, sizeof out->note, "optuna_ref.py latency failed");
        return -1;
    }
    keep_version(c, doc);
    const cJSON *rows = cJSON_GetObjectItem(doc, "sizes");
    for (int i = 0; i < 2 && i < cJSON_GetArraySize(rows); i++) {
        const cJSON *r = cJSON_GetArrayItem(rows, i);
        out->target[i] = (int)number(r, "target");
        out->stored[i] = (int)number(r, "stored");
        out->cycle_ms[i] = number(r, "cycle_ms");
        out->ask_ms[i] = number(r, "ask_ms");
    }
    out->fill_s = number(doc, "fill_s");
    out->ok = cJSON_GetArraySize(rows) == 2;
    cJSON_Delete(doc);
    return out->ok ? 0 : -1;
}

/* ------------------------------------------------------------------------- */
/* Durability: what each side's commit waits for                              */
/* ------------------------------------------------------------------------- */

/* The value of KEY in a URL query ("a=1&sync=full"), or def. */
static void query_value(const char *query, const char *key, const char *def,
                        char *out, size_t size)
{
    size_t klen = strlen(key);
    snprintf(out, size, "%s", def);
    for (const char *p = query; p && *p;) {
        size_t n = strcspn(p, "&");
        if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=')
            snprintf(out, size, "%.*s", (int)(n - klen - 1), p + klen + 1);
        p += n + (p[n] == '&');
    }
}

/* hpo's side as the database file and the URL say: SQLite's journal mode
 * is byte 18 of the file's header (2: WAL), its synchronous the URL's
 * sync= (hpo's default NORMAL); on PostgreSQL synchronous_commit is on
 * with sync=full, else the server's, and fsync is the server's. */
static void hpo_durability(context *c, kind k, const char *file,
                           bench_storage_run *out)
{
    char sync[16], fsync_on[16];
    if (k == SQLITE) {
        unsigned char header[20] = {0};
        FILE *f = fopen(file, "rb");
        size_t got = f ? fread(header, 1, sizeof header, f) : 0;
        if (f)
            fclose(f);
        query_value(c->hpo_query, "sync", "normal", sync, sizeof sync);
        for (char *p = sync; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        snprintf(out->durability, sizeof out->durability, "%s/%s",
                 got < sizeof header ? "?"
                 : header[18] == 2   ? "wal"
                                     : "delete",
                 sync);
        return;
    }
    query_value(c->hpo_query, "sync", "normal", sync, sizeof sync);
    if (strcmp(sync, "full") == 0)
        snprintf(sync, sizeof sync, "on");
    else
        bench_pg_show(&c->pg, "synchronous_commit", sync, sizeof sync);
    bench_pg_show(&c->pg, "fsync", fsync_on, sizeof fsync_on);
    snprintf(out->durability, sizeof out->durability, "%s/%s", sync, fsync_on);
}

/* Equal durability: both sides' commits survive the same failures.  On
 * SQLite that is the synchronous level (WAL/FULL and rollback/FULL both
 * have a told trial on disk before tell returns), on PostgreSQL
 * synchronous_commit and the server's fsync. */
static int same_durability(kind k, const char *hpo, const char *optuna)
{
    if (k == SQLITE) {
        const char *h = strchr(hpo, '/'), *o = strchr(optuna, '/');
        return h && o && strcmp(h, o) == 0;
    }
    return strcmp(hpo, optuna) == 0 && strchr(hpo, '?') == NULL;
}

/* ------------------------------------------------------------------------- */
/* Throughput rows                                                            */
/* ------------------------------------------------------------------------- */

static void print_side(const bench_storage_run *r, int optuna)
{
    if (!r->ok)
        printf(optuna ? " %-12s %-39s" : " %-12s %-33s", r->durability,
               "(failed)");
    else if (optuna)
        printf(" %-12s %9ld %10.1f %8ld %8ld", r->durability, r->completed,
               r->trials_per_s, r->failed, r->locked);
    else
        printf(" %-12s %9ld %10.1f %6ld %5s", r->durability, r->completed,
               r->trials_per_s, r->failed, r->check_ok ? "ok" : "!!");
}

static cJSON *run_json(const bench_storage_run *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", r->ok);
    cJSON_AddNumberToObject(o, "completed", (double)r->completed);
    cJSON_AddNumberToObject(o, "failed", (double)r->failed);
    cJSON_AddNumberToObject(o, "locked", (double)r->locked);
    cJSON_AddNumberToObject(o, "open_failed", (double)r->open_failed);
    cJSON_AddNumberToObject(o, "wall_s", r->wall_s);
    cJSON_AddNumberToObject(o, "trials_per_s", r->trials_per_s);
    cJSON_AddBoolToObject(o, "check_ok", r->check_ok);
    cJSON_AddStringToObject(o, "durability", r->durability);
    cJSON_AddStringToObject(o, "note", r->note);
    return o;
}

/* The ratio cell and its verdict: the 20x goal holds for every row at
 * equal durability; a row where hpo's mode is less durable than Optuna's
 * has none.  Notes whether a goal row missed. */
static void print_ratio(context *c, int goal, double ratio)
{
    const char *verdict = !goal                  ? "(hpo less durable)"
                          : isnan(ratio)          ? "n/a"
                          : ratio >= GOAL_SPEEDUP ? "met"
                                                  : "NOT met";
    if (isnan(ratio))
        printf(" | %7s  %s\n", "-", verdict);
    else
        printf(" | %6.1fx  %s\n", ratio, verdict);
    if (goal && isnan(ratio))
        c->goal_unmeasured = 1;
    if (goal && ratio < GOAL_SPEEDUP)
        c->goal_missed = 1;
}

static void print_notes(const bench_storage_run *h, const bench_storage_run *o,
                        const char *hpo_missing)
{
    if (!hpo_missing && h->open_failed)
        printf("    hpo: %ld failed attempts to open the study, retried "
               "(the first error is below)\n", h->open_failed);
    if (!hpo_missing && *h->note)
        printf("    %shpo: %s\n", h->ok && !h->check_ok ? "!! " : "", h->note);
    if (o && *o->note)
        printf("    optuna: %s\n", o->note);
}

/* A cell's runs: trials/s of each, for the JSON file. */
static cJSON *runs_json(const bench_storage_run *runs, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(runs[i].trials_per_s));
    return a;
}

typedef struct cell {
    bench_storage_run med;        /* the median run */
    bench_storage_run runs[16];   /* every run, --repeat at most 16 kept */
    int n;
} cell;

static void add_row_json(context *c, kind k, int procs, const char *mode,
                         const cell *h, const cell *o, const char *hpo_missing,
                         double ratio, int goal)
{
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "storage", kind_names[k]);
    cJSON_AddNumberToObject(row, "procs", procs);
    cJSON_AddStringToObject(row, "hpo_url_query", mode);
    cJSON_AddBoolToObject(row, "disk_load", c->loaded);
    if (hpo_missing) {
        cJSON_AddStringToObject(row, "hpo", hpo_missing);
    } else {
        cJSON_AddItemToObject(row, "hpo", run_json(&h->med));
        cJSON_AddItemToObject(row, "hpo_runs", runs_json(h->runs, h->n));
    }
    if (o) {
        cJSON_AddItemToObject(row, "optuna", run_json(&o->med));
        cJSON_AddItemToObject(row, "optuna_runs", runs_json(o->runs, o->n));
        cJSON_AddItemToObject(row, "ratio", isnan(ratio) ? cJSON_CreateNull()
                                                         : cJSON_CreateNumber(ratio));
        cJSON_AddBoolToObject(row, "equal_durability", goal);
    }
    cJSON_AddItemToArray(c->json_rows, row);
}

/* The table line of one row and the notes under it; o is NULL without
 * --vs-optuna, hpo_missing says why hpo has no figure (or is NULL). */
static void print_row(context *c, kind k, int procs, const char *mode,
                      const cell *h, const cell *o, const char *hpo_missing)
{
    printf("%-10s %5d | %-9s", kind_names[k], procs, *mode ? mode : "default");
    if (hpo_missing)
        printf(" %-46s", hpo_missing);
    else
        print_side(&h->med, 0);
    double ratio = NAN;
    int goal = 0;
    if (o) {
        printf(" |");
        print_side(&o->med, 1);
        if (!hpo_missing && h->med.ok && o->med.ok && o->med.trials_per_s > 0)
            ratio = h->med.trials_per_s / o->med.trials_per_s;
        goal = hpo_missing || !h->med.ok ||
               same_durability(k, h->med.durability, o->med.durability);
        print_ratio(c, goal, ratio);
    } else {
        printf("\n");
    }
    print_notes(&h->med, o ? &o->med : NULL, hpo_missing);
    fflush(stdout);
    add_row_json(c, k, procs, mode, h, o, hpo_missing, ratio, goal);
}

/* Why hpo's side of kind k cannot run, or NULL. */
static const char *hpo_missing(const context *c, kind k)
{
    if (!c->hpo_has[k])
        return "not compiled in";
    if (k == POSTGRESQL && !c->pg_up)
        return "(no server)";
    return NULL;
}

static void throughput_side(context *c, kind k, int procs, const char *side,
                            bench_storage_run *out)
{
    char row[48], hpo_url[600], optuna_url[600], name[600];
    snprintf(row, sizeof row, "p%d_r%d", procs, c->run_id++);
    memset(out, 0, sizeof *out);
    int is_hpo = strcmp(side, "hpo") == 0;
    if (fresh_database(c, k, side, row, hpo_url, optuna_url, name,
                       sizeof name) != 0) {
        snprintf(out->note, sizeof out->note, "no fresh database");
        c->failed = 1;
        return;
    }
    int rc = is_hpo ? bench_storage_hpo_run(hpo_url, procs, c->args->trials,
                                            c->args->seconds, out)
                    : optuna_run(c, optuna_url, procs, out);
    if (rc != 0 || (is_hpo && !out->check_ok))
        c->failed = 1;
    if (is_hpo)
        hpo_durability(c, k, name, out);
    drop_database(c, k, name);
}

static int by_speed(const void *a, const void *b)
{
    double x = ((const bench_storage_run *)a)->trials_per_s;
    double y = ((const bench_storage_run *)b)->trials_per_s;
    return (x > y) - (x < y);
}

/* The cell's median run; a failed run or check is shown instead, so it
 * is never hidden by the others. */
static void take_median(cell *m)
{
    bench_storage_run sorted[16];
    memcpy(sorted, m->runs, sizeof(bench_storage_run) * (size_t)m->n);
    qsort(sorted, (size_t)m->n, sizeof sorted[0], by_speed);
    m->med = sorted[(m->n - 1) / 2];
    for (int i = 0; i < m->n; i++)
        if (!m->runs[i].ok || !m->runs[i].check_ok)
            m->med = m->runs[i];
}

/* One storage x process count: --repeat rounds of every hpo mode and of
 * Optuna, interleaved so that a change of the machine's load touches all
 * sides alike; then a row per hpo mode with the medians. */
static void throughput_rows(context *c, kind k, int procs)
{
    const storage_args *a = c->args;
    cell h[MAX_MODES], o;
    memset(h, 0, sizeof h);
    memset(&o, 0, sizeof o);
    const char *missing = hpo_missing(c, k);
    int repeat = a->repeat < 16 ? a->repeat : 16;
    for (int r = 0; r < repeat; r++) {
        for (int m = 0; m < c->n_modes && !missing; m++) {
            c->hpo_query = c->modes[m];
            throughput_side(c, k, procs, "hpo", &h[m].runs[h[m].n++]);
        }
        if (!a->vs_optuna)
            continue;
        if (k == POSTGRESQL && !c->pg_up)
            snprintf(o.runs[o.n++].note, sizeof o.runs[0].note,
                     "no PostgreSQL server");
        else
            throughput_side(c, k, procs, "optuna", &o.runs[o.n++]);
    }
    if (a->vs_optuna)
        take_median(&o);
    for (int m = 0; m < c->n_modes; m++) {
        if (!missing)
            take_median(&h[m]);
        print_row(c, k, procs, c->modes[m], &h[m], a->vs_optuna ? &o : NULL,
                  missing);
    }
}

static void print_throughput_header(const context *c)
{
    const storage_args *a = c->args;
    printf("hpo-bench storage: P worker processes on one study in a fresh "
           "database; random sampler, one float, objective x^2;\n"
           "each trial is ask + suggest + tell; ");
    if (a->trials)
        printf("%ld trials in all per run%s", a->trials,
               a->seconds > 0 ? ", " : "; ");
    if (a->seconds > 0)
        printf("%g s per run; ", a->seconds);
    printf("median of %d run%s per cell\n", a->repeat, a->repeat > 1 ? "s" : "");
    printf("durability: SQLite journal_mode/synchronous, PostgreSQL "
           "synchronous_commit/fsync, as each side's database reports them.\n"
           "  SQLite wal/NORMAL: no fsync at commit (a told trial survives "
           "any process crash; an OS crash or power loss may lose the last "
           "ones).\n"
           "  SQLite wal/FULL (hpo ?sync=full): the WAL is fsynced before "
           "tell returns (once per trial); delete/FULL (Optuna): the journal "
           "and the\n"
           "  file are fsynced at every commit; both: a told trial survives "
           "power loss.  PostgreSQL on/on: every commit waits for the "
           "server's WAL fsync.\n"
           "  The 20x goal holds for rows at equal durability; rows where hpo "
           "is less durable have none.\n");
}

static void print_block_header(const context *c)
{
    const storage_args *a = c->args;
    if (c->loaded)
        printf("\nwith another process writing to the same disk "
               "(1 MiB writes, fdatasync every 8 MiB):\n");
    else
        printf("\nquiet disk (no writer started by the benchmark):\n");
    if (a->vs_optuna)
        printf("%-16s | %-56s | %-52s |", "", "hpo", "optuna");
    else
        printf("%-16s | hpo", "");
    printf("\n%-10s %5s | %-9s %-12s %9s %10s %6s %5s", "storage", "procs",
           "mode", "durability", "trials", "trials/s", "failed", "check");
    if (a->vs_optuna)
        printf(" | %-12s %9s %10s %8s %8s | %7s  %s", "durability", "trials",
               "trials/s", "failed", "locked", "ratio", "goal >= 20x");
    printf("\n");
}

/* Every storage x process count, quiet or under the background writer. */
static void throughput_block(context *c, int loaded)
{
    const storage_args *a = c->args;
    bench_disk_load load;
    c->loaded = loaded;
    print_block_header(c);
    if (loaded && bench_disk_load_start(&load, c->tmpdir) != 0) {
        printf("    (could not start the background writer)\n");
        c->failed = 1;
        return;
    }
    for (int k = 0; k < N_KINDS; k++)
        for (int i = 0; i < a->n_procs && a->kinds[k]; i++)
            throughput_rows(c, (kind)k, a->procs[i]);
    if (loaded) {
        double mib, rate = bench_disk_load_stop(&load, &mib);
        printf("    (the background writer wrote %.0f MiB, %.0f MiB/s, "
               "during these rows)\n", mib, rate);
    }
    c->loaded = 0;
}

/* ------------------------------------------------------------------------- */
/* Ask latency                                                                */
/* ------------------------------------------------------------------------- */

static cJSON *latency_json(const char *storage, const char *side,
                           const bench_latency *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "storage", storage);
    cJSON_AddStringToObject(o, "side", side);
    cJSON_AddBoolToObject(o, "ok", l->ok);
    cJSON *sizes = cJSON_AddArrayToObject(o, "sizes");
    for (int i = 0; i < 2; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "target", l->target[i]);
        cJSON_AddNumberToObject(s, "stored", l->stored[i]);
        cJSON_AddNumberToObject(s, "cycle_ms", l->cycle_ms[i]);
        cJSON_AddNumberToObject(s, "ask_ms", l->ask_ms[i]);
        cJSON_AddItemToArray(sizes, s);
    }
    cJSON_AddNumberToObject(o, "ratio", l->ok ? l->cycle_ms[1] / l->cycle_ms[0] : 0);
    cJSON_AddNumberToObject(o, "fill_s", l->fill_s);
    cJSON_AddStringToObject(o, "note", l->note);
    return o;
}

static void print_latency(context *c, kind k, const char *side,
                          const bench_latency *l, int is_hpo)
{
    printf("%-10s %-13s |", kind_names[k], side);
    if (!l->ok) {
        printf(" (failed)\n");
        if (is_hpo)
            c->goal_unmeasured = 1;
    } else {
        double ratio = l->cycle_ms[1] / l->cycle_ms[0];
        for (int i = 0; i < 2; i++)
            printf(" %6d %9.4f %9.4f |", l->stored[i], l->cycle_ms[i], l->ask_ms[i]);
        printf(" %5.2fx  %s\n", ratio,
               !is_hpo ? "(reference)"
               : ratio <= GOAL_LATENCY_RATIO ? "met" : "NOT met");
        if (is_hpo && ratio > GOAL_LATENCY_RATIO)
            c->goal_missed = 1;
        if (l->stored[1] < l->target[1])
            printf("    %s filled only %d of %d trials in --optuna-fill-seconds "
                   "%g: its second size is %d\n", side, l->stored[1],
                   l->target[1], c->args->optuna_fill_s, l->stored[1]);
    }
    if (*l->note)
        printf("    %s: %s\n", side, l->note);
    if (l->ok)
        printf("    (%s filled its study in %.1f s)\n", side, l->fill_s);
    fflush(stdout);
    cJSON_AddItemToArray(c->json_latency, latency_json(kind_names[k], side, l));
}

static void latency_side(context *c, kind k, const char *side)
{
    char hpo_url[600], optuna_url[600], name[600];
    bench_latency l = {0};
    int is_hpo = strcmp(side, "hpo") == 0;
    int rc = fresh_database(c, k, side, "latency", hpo_url, optuna_url, name,
                            sizeof name);
    if (rc == 0)
        rc = is_hpo ? bench_storage_hpo_latency(hpo_url, c->args->sizes,
                                                c->args->asks, &l)
                    : optuna_latency(c, optuna_url, &l);
    if (rc != 0)
        c->failed = 1;
    drop_database(c, k, name);
    char label[32];
    snprintf(label, sizeof label, "%s%s%s", side, is_hpo ? "" : " ",
             is_hpo ? "" : (c->optuna_version ? c->optuna_version : ""));
    print_latency(c, k, label, &l, is_hpo);
}

static void latency_rows(context *c)
{
    const storage_args *a = c->args;
    printf("\nask latency: median of %d ask + suggest + tell cycles (\"cycle\") "
           "and of the ask alone, in a study\n"
           "filled first to each size (hpo by ask/tell, Optuna by "
           "study.add_trial); goal: hpo's cycle at %d <= %.0fx at %d\n",
           a->asks, a->sizes[1], GOAL_LATENCY_RATIO, a->sizes[0]);
    printf("%-10s %-13s | %6s %9s %9s | %6s %9s %9s | %6s\n", "storage", "side",
           "stored", "cycle ms", "ask ms", "stored", "cycle ms", "ask ms",
           "ratio");
    for (int k = 0; k < N_KINDS; k++) {
        if (!a->kinds[k])
            continue;
        const char *missing = hpo_missing(c, k);
        if (missing) {
            printf("%-10s %-13s | %s\n", kind_names[k], "hpo", missing);
            c->goal_unmeasured = 1;
        }
        else
            latency_side(c, k, "hpo");
        if (a->vs_optuna && (k != POSTGRESQL || c->pg_up))
            latency_side(c, k, "optuna");
    }
}

/* ------------------------------------------------------------------------- */
/* The command                                                                */
/* ------------------------------------------------------------------------- */

static const char *verdict(const context *c)
{
    return c->goal_missed         ? "NOT met"
           : !c->args->vs_optuna ? "latency met; trials/s not compared "
                                   "(no --vs-optuna)"
           : c->goal_unmeasured  ? "met in every row measured; some rows "
                                   "have no figure (n/a or failed above)"
                                 : "met";
}

static int write_json(context *c, const char *path)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "command", "storage");
    cJSON_AddStringToObject(doc, "hpo_version", hpo_version());
    if (c->optuna_version)
        cJSON_AddStringToObject(doc, "optuna_version", c->optuna_version);
    cJSON_AddNumberToObject(doc, "seconds", c->args->seconds);
    cJSON_AddNumberToObject(doc, "trials", (double)c->args->trials);
    cJSON_AddNumberToObject(doc, "goal_speedup", GOAL_SPEEDUP);
    cJSON_AddNumberToObject(doc, "goal_latency_ratio", GOAL_LATENCY_RATIO);
    cJSON_AddStringToObject(doc, "goals", verdict(c));
    cJSON_AddItemToObject(doc, "throughput", c->json_rows);
    cJSON_AddItemToObject(doc, "latency", c->json_latency);
    c->json_rows = c->json_latency = NULL;
    int rc = bench_write_json(path, doc);
    cJSON_Delete(doc);
    return rc;
}

/* Start what the rows need: a temporary directory, a PostgreSQL server. */
static int prepare(context *c)
{
    const storage_args *a = c->args;
    snprintf(c->tmpdir, sizeof c->tmpdir, "/tmp/hpo-bench-storage-XXXXXX");
    if (!mkdtemp(c->tmpdir)) {
        perror("hpo-bench storage: mkdtemp");
        return -1;
    }
    c->hpo_has[SQLITE] = bench_storage_compiled_in("sqlite");
    c->hpo_has[POSTGRESQL] = bench_storage_compiled_in("postgresql");
    if (a->kinds[POSTGRESQL] && (c->hpo_has[POSTGRESQL] || a->vs_optuna)) {
        c->pg_up = bench_pg_start(&c->pg) == 0;
        if (!c->pg_up)
            c->failed = 1;
    }
    c->json_rows = cJSON_CreateArray();
    c->json_latency = cJSON_CreateArray();
    return 0;
}

int bench_storage(int argc, char **argv)
{
    storage_args a;
    if (parse_args(argc, argv, &a) != 0) {
        usage(stderr);
        return 2;
    }
    context c = {.args = &a};
    if (a.hpo_query) {
        c.modes[c.n_modes++] = a.hpo_query;
    } else {
        c.modes[c.n_modes++] = "";
        c.modes[c.n_modes++] = "sync=full";
    }
    if (prepare(&c) != 0)
        return 1;
    print_throughput_header(&c);
    throughput_block(&c, 0);
    if (a.disk_load)
        throughput_block(&c, 1);
    c.hpo_query = c.modes[0];
    latency_rows(&c);
    if (c.pg_up)
        bench_pg_stop(&c.pg);
    remove_tmpdir(c.tmpdir);
    printf("\ngoals (>= %.0fx Optuna's trials/s in every goal row; hpo's ask "
           "latency ratio <= %.0fx): %s\n", GOAL_SPEEDUP, GOAL_LATENCY_RATIO,
           verdict(&c));
    if (a.json && write_json(&c, a.json) != 0)
        c.failed = 1;
    cJSON_Delete(c.json_rows);
    cJSON_Delete(c.json_latency);
    free(c.optuna_version);
    return c.failed ? 1 : 0;
}
