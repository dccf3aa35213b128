/*
 * cmaes_core.h — the CMA-ES distribution as a plain state machine
 * (N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772,
 * 2016), its separable variant (R. Ros and N. Hansen, "A Simple
 * Modification in CMA-ES Achieving Linear Time and Space Complexity",
 * PPSN 2008), termination tests and IPOP / BIPOP restarts (A. Auger and
 * N. Hansen, CEC 2005; N. Hansen, "Benchmarking a BI-population CMA-ES on
 * the BBOB-2009 function testbed", GECCO 2009).
 *
 * No sampler is registered here: a sampler drives this core.  The search
 * space is the unit cube [0,1]^n; the sampler maps parameters there.
 *
 *   init ──► ask (generation g: lambda candidates, pending) ──► tell (lambda
 *    ▲        values, g+1) ──► stop? ──no──► ask ...
 *    └──────────── restart (yes, IPOP / BIPOP bookkeeping) ◄──┘
 *
 * A generation is a unit: after ask the state holds the lambda candidates
 * of generation `generation` until tell takes their values, so parallel
 * workers can evaluate one generation's members, each by its index.
 * The whole state reads from and writes to readable JSON (cmaes_json.c).
 */
#ifndef HPO_CMAES_CORE_H
#define HPO_CMAES_CORE_H

#include <cJSON.h>

#include "core/internal.h"

/* Why a run stopped (cmaes_stop.c); 0 = keep going. */
typedef enum hpo__cmaes_stop_reason {
    HPO__CMAES_RUN = 0,
    HPO__CMAES_TOLFUN,        /* values flat over recent generations */
    HPO__CMAES_TOLX,          /* every coordinate's spread is tiny */
    HPO__CMAES_NOEFFECTAXIS,  /* a step along a principal axis moves nothing */
    HPO__CMAES_NOEFFECTCOORD, /* a step along a coordinate moves nothing */
    HPO__CMAES_CONDITIONCOV,  /* cond(C) > 1e14 */
    HPO__CMAES_STAGNATION,    /* the median stopped improving */
} hpo__cmaes_stop_reason;

typedef enum hpo__cmaes_restart_mode {
    HPO__CMAES_RESTART_NONE = 0,
    HPO__CMAES_RESTART_IPOP,
    HPO__CMAES_RESTART_BIPOP,
} hpo__cmaes_restart_mode;

/* Learning-rate adaptation (cmaes_lra.c; Nomura, Akimoto and Ono, GECCO
 * 2023): on or off for the whole study; a restart starts it afresh. */
typedef struct hpo__cmaes_lra {
    int on;
    double eta_mean, eta_cov; /* the learning rates, in (0, 1] */
    double v_mean, v_cov;     /* moving averages of the steps' squared norms */
    double *e_mean;  /* n: moving average of the local mean step */
    double *e_cov;   /* n*n (n when separable): ... of the local cov step */
    /* Scratch for one tell, never stored: sigma and C before the update. */
    double sigma_old, *cov_old, *scratch;
} hpo__cmaes_lra;

/* Population size adaptation (cmaes_psa.c; Nishida and Akimoto, GECCO
 * 2018): on or off for the whole study; a restart starts it afresh from
 * the run's population. */
typedef struct hpo__cmaes_psa {
    int on;
    double lambda_r;    /* the real-valued population size */
    double gamma_theta, gamma_s, gamma_c; /* the paths' normalisers */
    double *p_theta;    /* n + n*n (n + n when separable): the path of the
                         * parameter steps in the Fisher metric */
} hpo__cmaes_psa;

/* Restart bookkeeping (cmaes_restart.c), kept across runs. */
typedef struct hpo__cmaes_restarts {
    hpo__cmaes_restart_mode mode;
    int lambda_default;  /* 4 + floor(3 ln n), or what the first run used */
    double sigma_default;
    int restarts;        /* runs started after the first */
    int large_runs;      /* large-population restarts: lambda doubled each */
    long evals_large;    /* evaluations spent in the large regime (BIPOP) */
    long evals_small;    /* ... and in the small regime */
    int small;           /* the current run is a small-population one */
} hpo__cmaes_restarts;

typedef struct hpo__cmaes {
    /* Set at init (and restart); the strategy parameters follow from them. */
    int n, lambda, separable;
    double sigma0;
    /* Strategy parameters (tutorial, Table 1), recomputed, never stored. */
    int mu;
    double *weights; /* lambda: mu positive (sum 1), then negative (active) */
    double mueff, cs, ds, cc, c1, cmu, chi_n;
    /* The distribution. */
    double *mean, sigma;
    double *C;       /* n*n column-major, or n (the diagonal) when separable */
    double *ps, *pc;
    double *B, *D;   /* C = B diag(D^2) B^T; B unused when separable */
    long eigen_generation; /* generation whose C gave B and D */
    long generation, evaluations;
    /* Generation `generation` once asked: lambda candidates in [0,1]^n. */
    int pending;
    double *x;       /* lambda*n, candidate k at x + k*n: evaluate these */
    double *xr;      /* lambda*n, the samples the update learns from; equal
                      * to x unless the margin scales a coordinate */
    double *A;       /* n, the margin's scale per coordinate (1: none) */
    double *mean_old; /* scratch for tell (n) */
    double last_spread; /* max - min of the last generation's values */
    /* Termination tolerances (cmaes_stop.c), kept across restarts: the
     * tutorial's 1e-12 and 1e-12 * sigma0 unless the driver sets them. */
    double tol_fun, tol_x;
    /* Per-generation best and median values, for TolFun and stagnation. */
    double *best_hist, *median_hist;
    int hist_len, hist_cap;
    hpo__cmaes_restarts rs;
    hpo__cmaes_lra lra;
    hpo__cmaes_psa psa;
} hpo__cmaes;

/* Start a run in [0,1]^n: mean (NULL: the centre), sigma > 0, lambda
 * (0: the default 4 + floor(3 ln n)), separable 0/1.  HPO_EINVAL or
 * HPO_ENOMEM with a message in *m.  The restart mode starts as NONE. */
int hpo__cmaes_init(hpo__cmaes *es, int n, const double *mean, double sigma,
                    int lambda, int separable, hpo__msg *m);
void hpo__cmaes_free(hpo__cmaes *es);

/* Draw generation `generation`: from z (lambda*n standard normal draws) or,
 * when z is NULL, from rng.  Candidates outside the cube are clipped onto
 * it (deviation 1 in cmaes_core.c).  HPO_EMISUSE when a generation is
 * already pending; asking it again is allowed only through tell. */
int hpo__cmaes_ask(hpo__cmaes *es, const double *z, hpo__rng *rng,
                   hpo__msg *m);
/* One candidate from n standard normal draws z, without touching the
 * state: x to evaluate, xr to learn from (as ask makes each of its lambda;
 * y is n doubles of scratch).  A sampler that draws each candidate with
 * its own trial's stream uses this, then tells through es->xr. */
void hpo__cmaes_sample(const hpo__cmaes *es, const double *z, double *x,
                       double *xr, double *y);
/* Tell the values (minimised) of the pending generation's lambda
 * candidates, in candidate order; a NaN value ranks last.  Updates the
 * distribution and moves to the next generation.  HPO_EMISUSE when nothing
 * is pending. */
int hpo__cmaes_tell(hpo__cmaes *es, const double *f, hpo__msg *m);

/* Internal to the cmaes_*.c files: (re)start a run on es->n and
 * es->separable keeping the restart bookkeeping; allocate or free a run's
 * arrays; the stagnation window in generations. */
int hpo__cmaes_start(hpo__cmaes *es, const double *mean, double sigma,
                     int lambda, hpo__msg *m);
int hpo__cmaes_alloc(hpo__cmaes *es, hpo__msg *m);
void hpo__cmaes_free_run(hpo__cmaes *es);
int hpo__cmaes_stag_window(const hpo__cmaes *es);

/* Learning-rate adaptation (cmaes_lra.c).  set: on or off, the rates back
 * to 1 and the averages to 0 (reset: the same, keeping on/off; a run's
 * start calls it).  The tell calls save before its update and apply after
 * it (when on): apply damps the update's mean and covariance steps by the
 * adapted rates.  alloc (0 when memory ran out) and free: the arrays, by
 * hpo__cmaes_alloc and hpo__cmaes_free_run. */
void hpo__cmaes_lra_set(hpo__cmaes *es, int on);
void hpo__cmaes_lra_reset(hpo__cmaes *es);
int hpo__cmaes_lra_save(hpo__cmaes *es, hpo__msg *m);
int hpo__cmaes_lra_apply(hpo__cmaes *es, hpo__msg *m);
int hpo__cmaes_lra_alloc(hpo__cmaes *es);
void hpo__cmaes_lra_free(hpo__cmaes *es);

/* The ordinary update's steps in the old distribution's local
 * coordinates (cmaes_lra.c, after hpo__cmaes_lra_save): lm (n) for the
 * mean step dm, lS (n*n, n when separable) for the covariance step dS of
 * Sigma = sigma^2 C, scaled by 1/sqrt 2 (the Fisher metric); W and P n*n
 * scratch. */
void hpo__cmaes_local_steps(const hpo__cmaes *es, const double *dm,
                            const double *dS, double *lm, double *lS,
                            double *W, double *P);

/* Population size adaptation (cmaes_psa.c).  set / reset / alloc / free
 * as LRA's; apply, in the tell after the ordinary update (hsig its stall
 * flag, hpo__cmaes_lra_save called before it), moves lambda and rescales
 * sigma for the next generation. */
void hpo__cmaes_psa_set(hpo__cmaes *es, int on);
void hpo__cmaes_psa_reset(hpo__cmaes *es);
int hpo__cmaes_psa_apply(hpo__cmaes *es, double hsig, hpo__msg *m);
int hpo__cmaes_psa_alloc(hpo__cmaes *es);
void hpo__cmaes_psa_free(hpo__cmaes *es);
/* Change the population between generations (nothing pending): the
 * lambda-sized arrays and the strategy parameters follow. */
int hpo__cmaes_set_lambda(hpo__cmaes *es, int lambda, hpo__msg *m);

/* Recompute B and D from C now (the tell does it lazily). */
int hpo__cmaes_eigen(hpo__cmaes *es, hpo__msg *m);

/* Termination tests (cmaes_stop.c), after a tell. */
hpo__cmaes_stop_reason hpo__cmaes_stop(const hpo__cmaes *es);
const char *hpo__cmaes_stop_name(hpo__cmaes_stop_reason r);

/* Restarts (cmaes_restart.c).  Set the mode before the first generation;
 * hpo__cmaes_restart starts the next run at a uniform random mean with the
 * population and step size the mode prescribes. */
void hpo__cmaes_restart_mode_set(hpo__cmaes *es, hpo__cmaes_restart_mode mode);
int hpo__cmaes_restart(hpo__cmaes *es, hpo__rng *rng, hpo__msg *m);

/* The margin for discrete coordinates (cmaes_margin.c; Hamano et al.,
 * GECCO 2022), after a tell: step[i] > 0 marks coordinate i discrete with
 * values 0, step, 2 step, ... <= 1 in the cube (0: continuous).  Keeps the
 * probability that a candidate leaves the mean's value at least alpha
 * (<= 0: the paper's 1/(n lambda)) by moving the mean and scaling A.
 * HPO_EMISUSE while a generation is pending. */
int hpo__cmaes_margin(hpo__cmaes *es, const double *step, double alpha,
                      hpo__msg *m);

/* Warm start (cmaes_warm.c; Nomura et al., AAAI 2021): start a run in
 * [0,1]^n from count earlier points pts (count*n) with values f
 * (minimised, NaN worst): mean and covariance of the best
 * hpo__cmaes_warm_count(count, gamma) of them plus alpha^2 I, split into
 * sigma^2 C.  As hpo__cmaes_init otherwise (restart mode NONE, sigma0 and
 * the restarts' default sigma the warm sigma: a caller may reset them). */
int hpo__cmaes_warm(hpo__cmaes *es, int n, const double *pts, const double *f,
                    int count, double gamma, double alpha, int lambda,
                    int separable, hpo__msg *m);
/* How many of count points the warm start keeps: floor(gamma count), at
 * least 1. */
int hpo__cmaes_warm_count(int count, double gamma);

/* Readable JSON (cmaes_json.c): a malloc'd string, NULL when memory runs
 * out; and back, into an uninitialised *es, HPO_EINVAL with a message when
 * the text is not a CMA-ES state. */
char *hpo__cmaes_to_json(const hpo__cmaes *es);
int hpo__cmaes_from_json(hpo__cmaes *es, const char *json, hpo__msg *m);
/* The same from the parsed object (a sampler holding it parsed already). */
int hpo__cmaes_from_object(hpo__cmaes *es, const cJSON *root, hpo__msg *m);

#endif
