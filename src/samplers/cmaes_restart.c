/*
 * cmaes_restart.c — IPOP and BIPOP restart bookkeeping for CMA-ES:
 * A. Auger and N. Hansen, "A Restart CMA Evolution Strategy With
 * Increasing Population Size" (CEC 2005), and N. Hansen, "Benchmarking a
 * BI-population CMA-ES on the BBOB-2009 function testbed" (GECCO 2009).
 *
 * IPOP: each restart doubles the population, sigma back to its default.
 * BIPOP: two regimes.  The large one doubles the population at each of its
 * restarts; the small one draws lambda_s = floor(lambda_def (lambda_l /
 * (2 lambda_def))^(U^2)) and sigma_s = sigma_def 10^(-2U) (U uniform,
 * drawn separately), lambda_l the large regime's current population.  The
 * next run goes to the regime that has spent fewer evaluations; the first
 * run counts as large.
 *
 * Deviations:
 *  1. A restart's mean is uniform in the unit cube (the paper's domain is
 *     [-5,5]^n, with the same uniform start).
 *  2. The small regime's per-run budget cap is left to the caller's
 *     termination tests.
 *  3. With mode NONE a restart repeats the first run's lambda and sigma.
 */
#include <math.h>
#include <stdlib.h>

#include "cmaes_core.h"

void hpo__cmaes_restart_mode_set(hpo__cmaes *es, hpo__cmaes_restart_mode mode)
{
    es->rs.mode = mode;
}

static int large_lambda(const hpo__cmaes_restarts *rs)
{
    double l = rs->lambda_default * ldexp(1.0, rs->large_runs);
    return l > 1000000 ? 1000000 : (int)l;
}

int hpo__cmaes_restart(hpo__cmaes *es, hpo__rng *rng, hpo__msg *m)
{
    hpo__cmaes_restarts *rs = &es->rs;
    int lambda = rs->lambda_default;
    double sigma = rs->sigma_default;
    if (rs->small)
        rs->evals_small += es->evaluations;
    else
        rs->evals_large += es->evaluations;
    rs->small = rs->mode == HPO__CMAES_RESTART_BIPOP && rs->evals_small < rs->evals_large;
    if (rs->small) {
        double u1 = hpo__rng_uniform(rng), u2 = hpo__rng_uniform(rng);
        double ratio = 0.5 * large_lambda(rs) / rs->lambda_default;
        lambda = (int)floor(rs->lambda_default * pow(ratio, u1 * u1));
        lambda = lambda < 2 ? 2 : lambda;
        sigma = rs->sigma_default * pow(10.0, -2 * u2);
    } else if (rs->mode != HPO__CMAES_RESTART_NONE) {
        rs->large_runs++;
        lambda = large_lambda(rs);
    }
    double *mean = malloc((size_t)es->n * sizeof(double));
    if (!mean)
        return hpo__oom(m);
    for (int i = 0; i < es->n; i++)
        mean[i] = hpo__rng_uniform(rng);
    int rc = hpo__cmaes_start(es, mean, sigma, lambda, m);
    free(mean);
    if (rc == HPO_OK)
        rs->restarts++;
    return rc;
}
