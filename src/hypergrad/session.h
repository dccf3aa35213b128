/*
 * session.h — the hypergradient optimizer behind the public call
 * hpo_study_hypergrad (include/hpo.h) and `hpo hypergrad`: a model by
 * name, built on a data file, descended from its start point.
 *
 *   models.c       the table of models: name -> constructor, start point
 *   options.c      the public options checked and turned into the parts'
 *                  own (outer loop, solver, SGD configuration)
 *   sgd_options.c  the SGD configuration's texts: --schedule and --tune
 *   session.c      load the data, build the problem, descend
 *   api.c          hpo_study_hypergrad and its options / result
 *
 * The work is split in two so that a caller (the CLI) can refuse bad data
 * before it creates a study, and can keep the problem for its comparison
 * with black-box samplers after the descent.
 */
#ifndef HPO_HG_SESSION_H
#define HPO_HG_SESSION_H

#include "hpo.h"
#include "implicit.h"
#include "sgd.h"

/* ---- the models (models.c) ----------------------------------------------- */

/* What a model's constructor gets. */
typedef struct hpo__hg_ctx {
    const hpo__dataset *data;
    const hpo__hg_split *split; /* the fixed split (models with .split) */
    int per_feature;
    hpo__hg_solver solver;
    uint64_t seed;
    const hpo__sgd_config *sgd; /* mlp, linear */
} hpo__hg_ctx;

typedef struct hpo__hg_model {
    const char *name, *summary;
    int split;  /* uses the implicit part's split (regression or 2 classes) */
    int sgd;    /* trained by SGD: reads the SGD options */
    int task;   /* the task the data is read as: -1 as guessed */
    int (*make)(const hpo__hg_ctx *c, hpo__hg_problem **out, hpo__msg *m);
    /* The outer loop's first point (log-hyperparameters). */
    void (*start)(const hpo__hg_problem *p, const hpo__hg_ctx *c, double *h);
} hpo__hg_model;

/* The model called name, or NULL; the i-th of the table (NULL past it). */
const hpo__hg_model *hpo__hg_model_find(const char *name);
const hpo__hg_model *hpo__hg_model_at(int i);

/* ---- the options (options.c, sgd_options.c) ----------------------------- */

/* The public options as the parts take them. */
typedef struct hpo__hg_plan {
    const hpo__hg_model *model;
    hpo__hg_outer_opts outer;
    hpo__hg_solver solver;
    hpo__sgd_config sgd;
} hpo__hg_plan;

/* Check o and fill plan: HPO_OK, or HPO_EINVAL with a message naming the
 * field ("hypergrad: steps must be >= 1 (got 0)"). */
int hpo__hg_plan_make(const hpo_hypergrad_options *o, hpo__hg_plan *plan,
                      hpo__msg *m);

/* "adam" or "lbfgs"; else HPO_EINVAL, "'x' is not adam or lbfgs". */
int hpo__hg_method_parse(const char *name, hpo__hg_method *out, hpo__msg *m);
/* "per-epoch" or "constant"; else HPO_EINVAL, "'x' is not per-epoch or
 * constant". */
int hpo__sgd_schedule_parse(const char *name, hpo__sgd_mode *out,
                            hpo__msg *m);
/* A comma-separated list of lr, momentum, weight_decay: those kinds get
 * mode, the others HPO__SGD_FIXED; else HPO_EINVAL, "'x' is not lr,
 * momentum or weight_decay", and mode_out untouched. */
int hpo__sgd_tune_parse(const char *list, hpo__sgd_mode mode,
                        hpo__sgd_mode mode_out[HPO__SGD_KINDS], hpo__msg *m);

/* ---- the session (session.c) --------------------------------------------- */

typedef struct hpo__hg_session {
    hpo__hg_plan plan;
    hpo__dataset data;
    hpo__hg_split split;
    hpo__hg_problem *p;
    int rows[3];           /* train, validation, test */
    const char **names;    /* n_hyper, borrowed from p */
    double *h;             /* n_hyper log-hyperparameters: the start, then
                            * where the descent ended (its best point) */
    double *values;        /* n_hyper: exp(h) of a step, for progress */
    hpo_hypergrad_progress_fn progress;
    void *progress_data;
} hpo__hg_session;

/* Check o, load its data (the loader's notes go to o->progress), split
 * them and build the model at its start point.  On error the message is
 * in m (unprefixed, as `hpo hypergrad` prints it) and s is closed. */
int hpo__hg_session_open(hpo__hg_session *s, const hpo_hypergrad_options *o,
                         hpo__msg *m);
/* Descend, every step a trial of study (NULL: none stored), progress and
 * notes through the options' callback; r (not NULL) gets the result. */
int hpo__hg_session_descend(hpo__hg_session *s, hpo_study *study,
                            hpo_hypergrad_result *r, hpo__msg *m);
void hpo__hg_session_close(hpo__hg_session *s);

#endif
