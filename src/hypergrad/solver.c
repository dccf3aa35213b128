/*
 * solver.c — the names of the inner solvers (implicit.h), as the CLI's
 * --solver takes them, and the exact solver's checked Cholesky.
 */
#include <math.h>
#include <string.h>

#include "../math/linalg.h"

#include "implicit.h"

int hpo__hg_solver_parse(const char *name, hpo__hg_solver *out, hpo__msg *m)
{
    static const char *const names[] = {"exact", "cg", "neumann"};
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (hpo__hg_solver)i;
            return HPO_OK;
        }
    return hpo__fail(m, HPO_EINVAL, "unknown solver '%s' (exact, cg or "
                     "neumann)", name ? name : "");
}

/* A pivot below 1e-14 of the largest, squared, is a rank lost to rounding:
 * LAPACK may still return a "factor" of an exactly singular matrix. */
int hpo__hg_chol(double *a, int n)
{
    if (hpo__chol(a, n, n) != 0)
        return 1;
    double lo = INFINITY, hi = 0;
    for (int i = 0; i < n; i++) {
        double d = a[(size_t)i * n + i] * a[(size_t)i * n + i];
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    return !(lo > 1e-14 * hi);
}
