/*
 * bench.h — what the files of hpo-bench share.
 *
 *   bench_main.c   the command line: dispatches to a subcommand
 *   methods.c      the table of methods (hpo sampler ↔ Optuna sampler)
 *   quality.c      `hpo-bench quality`: regret per problem × method × budget
 *   bo_goal.c      `hpo-bench bo`: model-based samplers vs Optuna's best
 *   throughput.c   `hpo-bench throughput`: ask+tell trials per second
 *   cli_throughput.c  `hpo-bench cli-throughput`: hpo tune's trials/s as
 *                  its study grows
 *   scaling.c      `hpo-bench scaling`: ms/trial against the parameter count
 *   nd_sort.c      `hpo-bench nd-sort`: ms of non-dominated sorting
 *   pruner_overhead.c  `hpo-bench pruner-overhead`: us per should_prune as
 *                  the study grows
 *   storage.c      `hpo-bench storage`: trials/s and ask latency on SQLite
 *                  and PostgreSQL, several processes (storage_hpo.c, pg.c)
 *   optuna.c       runs optuna_ref.py and reads its JSON
 *   output.c       tables, JSON and CSV
 *   util.c         clock, quantiles, list parsing
 *
 * The rules of measurement are /work/shared/BENCHMARKS.md's: hpo and the
 * reference run in the same invocation, on the same problems, budgets and
 * seeds; quality is the median and quartiles over seeds; overhead is the
 * time inside the library per trial, objective excluded.
 */
#ifndef HPO_BENCH_H
#define HPO_BENCH_H

#include <stdio.h>

#include "hpo.h"
#include "problems.h"

/* ------------------------------------------------------------------------- */
/* Methods                                                                    */
/* ------------------------------------------------------------------------- */

/*
 * One way of searching, as hpo runs it and as Optuna runs it.  Both `spec`
 * and `optuna` are printf formats whose only conversion, if any, is one %d:
 * the grid's points per axis (bench_grid_points).  `optuna` is a Python
 * expression evaluated by optuna_ref.py with `optuna`, `seed` (int) and
 * `problem` (its problem object) in scope.
 */
typedef struct bench_method {
    const char *label;
    const char *spec;
    const char *optuna;
    /* NULL: every problem.  Otherwise 1 if the method runs on p when the
     * largest budget is max_budget. */
    int (*applies)(const bench_problem *p, int max_budget);
} bench_method;

extern const bench_method bench_methods[]; /* ended by a NULL label */
const bench_method *bench_method_find(const char *label);
/* Points per axis for a grid of about max_budget points on p. */
int bench_grid_points(const bench_problem *p, int max_budget);
/* The hpo spec and the Optuna expression for p (formats filled in). */
void bench_method_spec(const bench_method *m, const bench_problem *p,
                       int max_budget, char *buf, size_t size);
void bench_method_optuna(const bench_method *m, const bench_problem *p,
                         int max_budget, char *buf, size_t size);

/* ------------------------------------------------------------------------- */
/* Results                                                                    */
/* ------------------------------------------------------------------------- */

#define BENCH_MAX_BUDGETS 16
#define BENCH_MAX_SEEDS 1000

/* One run (problem × method × seed), read at each budget. */
typedef struct bench_run {
    int ok;       /* 0: the run failed (error printed) */
    int n_trials; /* trials actually run (a grid may stop early) */
    /* Best objective value (one objective) or hypervolume, per budget. */
    double metric[BENCH_MAX_BUDGETS];
    /* Mean overhead (ms/trial) over trials [0, budget) and over the last
     * 100 of them. */
    double overhead_mean_ms[BENCH_MAX_BUDGETS];
    double overhead_last100_ms[BENCH_MAX_BUDGETS];
} bench_run;

/* Summary over seeds of one budget. */
typedef struct bench_summary {
    int n;                /* seeds summarized */
    double median, q25, q75;
    double overhead_mean_ms, overhead_last100_ms; /* means over seeds */
} bench_summary;

/* One problem × method, over every seed, for hpo and for the reference. */
typedef struct bench_job {
    const bench_problem *problem;
    const bench_method *method;
    int n_budgets;
    int budgets[BENCH_MAX_BUDGETS]; /* ascending */
    char spec[128];                 /* the hpo sampler spec */
    char optuna[256];               /* the Optuna sampler expression */
    int n_seeds;
    const int *seeds;
    bench_run *hpo; /* n_seeds runs */
    bench_run *ref; /* n_seeds runs of Optuna, or NULL */
} bench_job;

/* The quantity reported for a problem: regret for one objective (best -
 * f*), hypervolume for several. */
double bench_reported(const bench_problem *p, double metric);
void bench_summarize(const bench_problem *p, const bench_run *runs, int n,
                     int budget_index, bench_summary *out);

/* One hpo run of a job for a seed, read at each budget (quality.c). */
void bench_run_hpo(const bench_job *j, int seed, bench_run *out);
/* Fill jobs[].ref (allocated by the caller) from optuna_ref.py's results;
 * returns Optuna's version (owned) or NULL when the run failed. */
char *bench_run_optuna(bench_job *jobs, int n);

/* Output of `quality`: the table (to f), JSON and CSV files.  The
 * writers return 0 or -1 with a message on stderr. */
void bench_print_quality(FILE *f, const bench_job *jobs, int n,
                         const char *ref_version);
int bench_write_quality_json(const char *path, const bench_job *jobs, int n,
                             const char *ref_version);
int bench_write_quality_csv(const char *path, const bench_job *jobs, int n);

/* ------------------------------------------------------------------------- */
/* Optuna                                                                     */
/* ------------------------------------------------------------------------- */

/* The command line that optuna_ref.py gets, and where its JSON goes.
 * bench_optuna_run sets OMP/OPENBLAS threads to 1 for the child, runs
 * `python optuna_ref.py ARGS... --out TMPFILE` and parses the file.
 * Returns a cJSON tree (owned; cJSON_Delete) or NULL with a message on
 * stderr. */
struct cJSON;
struct cJSON *bench_optuna_run(const char *const *args);
/* A whole file as a string (owned), or NULL. */
char *bench_read_file(const char *path);
/* The same with another script of bench/ (its own --out argument too). */
struct cJSON *bench_python_run(const char *script, const char *const *args);
/* FILE in $HPO_DATA_DIR, or ../shared/data beside the checkout (static
 * storage: the next call overwrites it). */
const char *bench_data_path(const char *file);
struct hpo__folds;
/* {"folds": [{"train": [...], "test": [...]}, ...]}, 0-based data rows:
 * how the Python references train on hpo's very splits. */
int bench_write_folds(const char *path, const struct hpo__folds *folds);
/* Write doc (not freed) to path as indented JSON: 0, or -1 after
 * "hpo-bench: cannot write PATH" on stderr. */
int bench_write_json(const char *path, const struct cJSON *doc);
/* The interpreter and the script: $HPO_BENCH_PYTHON or /usr/bin/python3,
 * $HPO_BENCH_OPTUNA_REF or the source tree's bench/optuna_ref.py. */
const char *bench_python(void);
const char *bench_optuna_script(void);

/* ------------------------------------------------------------------------- */
/* Utilities                                                                  */
/* ------------------------------------------------------------------------- */

double bench_now_s(void); /* monotonic clock */
/* Linear-interpolation quantile of v[0..n-1] (sorted in place), q in [0,1];
 * NumPy's default, so hpo and Optuna numbers are summarized alike. */
double bench_quantile(double *v, int n, double q);
/* "20,50,100" -> ints; returns the count or -1 with a message. */
int bench_parse_ints(const char *text, int *out, int max);
/* "0-9" or "0,3,5" or "0-4,7" -> seeds; returns the count or -1. */
int bench_parse_seeds(const char *text, int *out, int max);
/* Split a comma list into at most max pointers into a copy (owned by the
 * caller: free(*storage)). */
int bench_split(const char *text, char **storage, char **items, int max);
/* Pin numerical libraries to one thread, for us and every child. */
void bench_pin_threads(void);

/* Option parsing: if argv[*i] is `name VALUE` or `name=VALUE`, set *value,
 * advance *i past it and return 1; a missing VALUE prints an error and
 * returns -1; otherwise 0. */
int bench_option(int argc, char **argv, int *i, const char *name,
                 const char **value);

/* ------------------------------------------------------------------------- */
/* Storage benchmark (storage.c drives, storage_hpo.c runs hpo's side)        */
/* ------------------------------------------------------------------------- */

/* The most worker processes of one row. */
#define BENCH_STORAGE_MAX_WORKERS 64

/* One storage × process-count row of one side (hpo or Optuna). */
typedef struct bench_storage_run {
    int ok;          /* 0: the row could not run (why: note) */
    long completed;  /* trials told COMPLETE by all workers */
    long failed;     /* ask/suggest/tell cycles that failed */
    long locked;     /* of them, "database is locked" (Optuna on SQLite) */
    long open_failed; /* failed attempts to open the study (retried) */
    double wall_s;   /* first worker's start to last worker's end */
    double trials_per_s;
    int check_ok;    /* the study holds exactly `completed` trials, all
                        COMPLETE, numbered 0..completed-1 */
    char note[320];  /* the first error, or what the check found */
    char durability[48]; /* SQLite "journal_mode/synchronous", PostgreSQL
                            "synchronous_commit/fsync" */
} bench_storage_run;

/* Ask latency: medians of `asks` cycles at each of two study sizes. */
typedef struct bench_latency {
    int ok;
    int target[2];      /* the sizes asked for */
    int stored[2];      /* COMPLETE trials stored when the timing began */
    double cycle_ms[2]; /* median ask + suggest + tell */
    double ask_ms[2];   /* median ask alone */
    double fill_s;      /* time spent filling the study */
    char note[320];
} bench_latency;

/* P forked workers open `url`'s study "storage-bench" (create or load) and
 * run ask/suggest_float/tell with the random sampler on x² until `trials`
 * are done in all (0: no limit) or `seconds` pass (0: no limit); then the
 * study is checked.  Returns 0, or -1 when the row could not run. */
int bench_storage_hpo_run(const char *url, int procs, long trials,
                          double seconds, bench_storage_run *out);
/* Fill `url`'s study "latency" to sizes[0] then sizes[1] COMPLETE trials by
 * ask/tell and time `asks` cycles at each size. */
int bench_storage_hpo_latency(const char *url, const int sizes[2], int asks,
                              bench_latency *out);
/* 1 if this build has the storage of `scheme` ("postgresql"). */
int bench_storage_compiled_in(const char *scheme);

/* A PostgreSQL server for benchmarks (pg.c): $HPO_BENCH_PG_URL if set
 * (an account that may create databases), else a throw-away cluster from
 * tests/pg/pg_server.sh, stopped by bench_pg_stop. */
typedef struct bench_pg {
    char url[512];  /* the admin URL: postgresql://USER@HOST:PORT/DB */
    char dir[512];  /* the throw-away cluster's directory, "" if not ours */
} bench_pg;

int bench_pg_start(bench_pg *pg); /* 0, or -1 with a message on stderr */
void bench_pg_stop(bench_pg *pg);
/* Create database `name` and write its URL for hpo (postgresql://...) and
 * for SQLAlchemy (postgresql+psycopg2://...) into the buffers. */
int bench_pg_create_db(const bench_pg *pg, const char *name, char *hpo_url,
                       char *optuna_url, size_t size);
void bench_pg_drop_db(const bench_pg *pg, const char *name);

/* Another process writing to the disk of `dir` (disk_load.c), from start
 * to stop; stop returns its MiB/s and sets *mib to the MiB it wrote. */
typedef struct bench_disk_load {
    int pid;
    int report_fd;
    char path[512];
} bench_disk_load;
int bench_disk_load_start(bench_disk_load *l, const char *dir);
double bench_disk_load_stop(bench_disk_load *l, double *mib);

/* One setting of the server, as SHOW prints it, into out ("?" if it
 * cannot be read). */
void bench_pg_show(const bench_pg *pg, const char *setting, char *out,
                   size_t size);

/* Subcommands. */
int bench_quality(int argc, char **argv);
int bench_pruning(int argc, char **argv);
/* One hpo run of `hpo-bench pruning` (pruning_hpo.c), as optuna_pruning.py
 * writes one; NULL on error (printed).  The types are src/ml's. */
struct hpo__dataset;
struct hpo__split;
struct cJSON;
struct cJSON *bench_pruning_hpo_run(const struct hpo__dataset *d,
                                    const struct hpo__split *split,
                                    const char *method, int seed,
                                    long budget);
int bench_pruner_overhead(int argc, char **argv); /* pruner_overhead.c */
int bench_nd_sort(int argc, char **argv);         /* nd_sort.c */
int bench_importance(int argc, char **argv);      /* importance.c */
int bench_pbt(int argc, char **argv);             /* pbt.c */
int bench_hypergrad_sgd(int argc, char **argv);   /* hypergrad_sgd.c */
int bench_throughput(int argc, char **argv);
int bench_check(int argc, char **argv);
int bench_storage(int argc, char **argv);
int bench_svm(int argc, char **argv); /* svm_breast_cancer.c */
int bench_mlp(int argc, char **argv); /* mlp_digits.c */
int bench_hypergrad(int argc, char **argv); /* hypergrad.c */
int bench_bo(int argc, char **argv);  /* bo_goal.c */
int bench_cli_throughput(int argc, char **argv); /* cli_throughput.c */
int bench_scaling(int argc, char **argv); /* scaling.c */

#endif
