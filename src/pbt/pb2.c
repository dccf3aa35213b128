/* pb2.c — placeholder until PB2 is written: perturb. */
#include "pbt.h"

int hpo__pb2_explore(const hpo_space *s, const hpo__pbt_opts *o,
                     const hpo__pbt_view *v, int k, hpo_direction dir,
                     hpo__rng *r, const double *in, double *out)
{
    (void)v;
    (void)k;
    (void)dir;
    hpo__pbt_perturb(s, o, r, in, out);
    return HPO_OK;
}
