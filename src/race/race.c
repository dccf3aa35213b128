/*
 * race.c — iterated racing, the driver (López-Ibáñez, Dubois-Lacoste,
 * Pérez Cáceres, Birattari & Stützle 2016, "The irace package: Iterated
 * racing for automatic algorithm configuration", Operations Research
 * Perspectives 3; the numbers as irace 3.5 computes them).
 *
 *   N_iter = floor(2 + log2(d))        min survivors = floor(2 + log2(d))
 *   B_j    = (B - used) / (N_iter - j + 1)   (past N_iter: all that is left)
 *   N_j    = (B_j + elites * old instances) / max(first_test + each_test *
 *            min(5, j), old instances + 1)          (at most 1024)
 *
 * Iteration 1 samples N_j configurations uniformly; later ones keep the
 * elites and sample N_j - elites from the model around them (model.c),
 * with one soft restart when a new configuration came out (nearly) equal
 * to another.  Iterations go on while N_j > min survivors.
 *
 * Deviations: (1) with a time budget alone, B is estimated before each
 * iteration from the wall time experiments took so far (iteration 1 plans
 * with irace's minimum budget), and no experiment starts once the time is
 * over; irace instead estimates from a fraction of its budget.  (2) An
 * experiment that fails scores the worst value (+inf when minimising),
 * where irace stops unless told otherwise.
 */
#include "race.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/study.h"

#define MAX_CONFIGURATIONS 1024 /* irace's maxConfigurations */
#define IRACE_MU 5              /* irace's mu */

static int log_rule(int nvar)
{
    return (int)floor(2 + log2(nvar > 0 ? nvar : 1));
}

int64_t hpo_race_min_budget(int n_params, const hpo_race_options *o)
{
    int n_iter = o && o->n_iterations > 0 ? o->n_iterations : log_rule(n_params);
    int ms = o && o->min_survivors > 0 ? o->min_survivors : log_rule(n_params);
    int first = o && o->first_test > 0 ? o->first_test : 5;
    int each = o && o->each_test > 0 ? o->each_test : 1;
    int mu = first > IRACE_MU ? first : IRACE_MU, t_new = 1;
    int per = each > t_new ? each : t_new;
    int64_t m = (int64_t)(ms + 1) * n_iter;
    if (n_iter > 5)
        return m * (mu + each + (n_iter - 5) * t_new + 5 * per);
    return m * (mu + each + (n_iter - 1) * per);
}

static int add_conf(hpo__race *r, race_conf **out)
{
    if (hpo__grow((void **)&r->conf, &r->cap_conf, r->n_conf + 1,
                  sizeof *r->conf))
        return hpo__oom(r->msg);
    race_conf *c = hpo__race_conf_new(r);
    if (!c)
        return hpo__oom(r->msg);
    c->id = r->n_conf + 1; /* irace numbers configurations from 1 */
    r->conf[r->n_conf++] = c;
    *out = c;
    return HPO_OK;
}

static int check(hpo_study *s, const hpo_race_options *o)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    if (s->n_dirs != 1)
        return hpo__fail(&s->msg, HPO_EINVAL, "racing needs a study with "
                         "one objective");
    if (!s->space || hpo_space_size(s->space) == 0)
        return hpo__fail(&s->msg, HPO_EINVAL, "racing needs a declared "
                         "space with at least one parameter");
    if (!o || !o->eval || o->n_instances < 1 || !o->instances)
        return hpo__fail(&s->msg, HPO_EINVAL, "racing needs instances and "
                         "an evaluation function");
    if (o->budget <= 0 && !(o->time_budget_s > 0))
        return hpo__fail(&s->msg, HPO_EINVAL, "racing needs a budget of "
                         "experiments or of time");
    if (o->confidence < 0 || o->confidence >= 1)
        return hpo__fail(&s->msg, HPO_EINVAL, "confidence %g is not in "
                         "(0, 1)", o->confidence);
    return HPO_OK;
}

static int setup(hpo__race *r, hpo_study *s, const hpo_race_options *o)
{
    memset(r, 0, sizeof *r);
    r->study = s, r->o = o, r->space = s->space, r->msg = &s->msg;
    r->np = hpo_space_size(s->space);
    r->off = calloc((size_t)r->np + 1, sizeof *r->off);
    if (!r->off)
        return hpo__oom(r->msg);
    for (int p = 0; p < r->np; p++) {
        const hpo__dist *d = &s->space->p[p].dist;
        int cat = d->kind == HPO__CATEGORICAL;
        r->off[p] = r->n_prob;
        r->n_prob += cat ? d->n_choices : 0;
        r->nvar += cat ? d->n_choices > 1 : d->high > d->low;
    }
    if (r->nvar < 1)
        r->nvar = 1;
    r->minimize = s->dirs[0] == HPO_MINIMIZE;
    hpo__rng_derive(&r->rng, s->seed, 0x1ace5u);
    r->n_iter = o->n_iterations > 0 ? o->n_iterations : log_rule(r->nvar);
    r->min_surv = o->min_survivors > 0 ? o->min_survivors : log_rule(r->nvar);
    r->first_test = o->first_test > 0 ? o->first_test : 5;
    r->each_test = o->each_test > 0 ? o->each_test : 1;
    r->confidence = o->confidence > 0 ? o->confidence : 0.95;
    r->budget = o->budget;
    r->t0 = hpo__now();
    return HPO_OK;
}

static void teardown(hpo__race *r)
{
    for (int i = 0; i < r->n_conf; i++)
        hpo__race_conf_free(r->conf[i]);
    free(r->conf);
    free(r->off);
    free(r->inst);
    free(r->seed);
}

/* The experiments this iteration may spend. */
static int64_t iteration_budget(hpo__race *r, int64_t min_budget)
{
    int64_t total = r->budget;
    if (r->o->budget <= 0) { /* by time alone: estimate */
        double spent_s = hpo__now() - r->t0;
        double left_s = r->o->time_budget_s - spent_s;
        total = r->used > 0 && spent_s > 0
                    ? r->used + (int64_t)(left_s / (spent_s / r->used))
                    : min_budget;
    }
    int64_t left = total - r->used;
    return left > 0 ? left / (r->n_iter - r->iteration + 1) : 0;
}

static int n_configurations(const hpo__race *r, int64_t b_j, int n_elites)
{
    int n_old = r->next_pos, each = r->each_test, j = r->iteration;
    int per = r->first_test + each * (j < 5 ? j : 5);
    int seen = (n_old + 1 + each - 1) / each * each;
    if (seen > per)
        per = seen;
    int64_t n = (b_j + (int64_t)n_elites * n_old) / per;
    return n > MAX_CONFIGURATIONS ? MAX_CONFIGURATIONS : (int)n;
}

/* The iteration's newcomers: uniform at first, then from the model. */
static int sample(hpo__race *r, race_conf **confs, int n_elites, int n_new)
{
    for (int i = 0; i < n_new; i++) {
        int rc = add_conf(r, &confs[n_elites + i]);
        if (rc)
            return rc;
    }
    race_conf **fresh = confs + n_elites;
    if (n_elites == 0) {
        for (int i = 0; i < n_new; i++)
            hpo__race_sample_uniform(r, fresh[i]);
        return HPO_OK;
    }
    hpo__race_update_model(r, confs, n_elites, n_new);
    for (int i = 0; i < n_new; i++)
        hpo__race_sample_model(r, confs, n_elites, fresh[i]);
    if (hpo__race_soft_restart(r, confs, n_elites, fresh, n_new, n_new))
        for (int i = 0; i < n_new; i++)
            hpo__race_sample_model(r, confs, n_elites, fresh[i]);
    return HPO_OK;
}

static int iterate(hpo__race *r, race_conf ***elites, int *n_elites)
{
    int64_t min_budget = hpo_race_min_budget(r->nvar, r->o);
    race_conf **confs = NULL;
    int rc = HPO_OK;
    for (;;) {
        r->iteration++;
        if (r->iteration > r->n_iter)
            r->n_iter = r->iteration;
        int64_t b_j = iteration_budget(r, min_budget);
        int n = n_configurations(r, b_j, *n_elites);
        if (n <= r->min_surv || n <= *n_elites)
            break;
        free(confs);
        confs = malloc((size_t)n * sizeof *confs);
        if (!confs)
            return hpo__oom(r->msg);
        if (*n_elites > 0)
            memcpy(confs, *elites, (size_t)*n_elites * sizeof *confs);
        for (int i = 0; i < *n_elites; i++)
            confs[i]->elite = 1;
        if ((rc = sample(r, confs, *n_elites, n - *n_elites)))
            break;
        int alive = 0;
        rc = hpo__race_one(r, confs, n, b_j, &alive);
        for (int i = 0; i < n; i++)
            confs[i]->elite = 0;
        int keep = alive < r->min_surv ? alive : r->min_surv;
        if (keep < 1)
            keep = 1;
        free(*elites);
        *elites = malloc((size_t)keep * sizeof **elites);
        if (!*elites)
            return hpo__oom(r->msg);
        memcpy(*elites, confs, (size_t)keep * sizeof **elites);
        *n_elites = keep;
        if (rc)
            break;
        if (r->o->budget > 0 ? r->used >= r->budget
                             : hpo__now() - r->t0 >= r->o->time_budget_s)
            break;
    }
    free(confs);
    return rc;
}

int hpo_study_race(hpo_study *s, const hpo_race_options *o,
                   hpo_race_elite **out, int *n_out)
{
    *out = NULL;
    *n_out = 0;
    int rc = check(s, o);
    if (rc)
        return rc;
    hpo__race r;
    if ((rc = setup(&r, s, o))) {
        teardown(&r);
        return rc;
    }
    int64_t min_budget = hpo_race_min_budget(r.nvar, o);
    if (o->budget > 0 && o->budget < min_budget) {
        teardown(&r);
        return hpo__fail(&s->msg, HPO_EINVAL, "a budget of %lld experiments "
                         "is too small: %d parameter(s) need at least %lld "
                         "(irace's minimum, for %d iterations)",
                         (long long)o->budget, r.nvar, (long long)min_budget,
                         r.n_iter);
    }
    race_conf **elites = NULL;
    int n_elites = 0;
    rc = iterate(&r, &elites, &n_elites);
    /* Stopped (Ctrl-C): the experiments told so far stay stored, but no
     * elite is named, since the race that was cut short judged none. */
    if (n_elites > 0 && rc == HPO_OK) {
        int frc = hpo__race_finish(&r, elites, n_elites, out);
        if (frc == HPO_OK)
            *n_out = n_elites;
        else if (rc == HPO_OK)
            rc = frc;
    }
    free(elites);
    teardown(&r);
    return rc;
}
