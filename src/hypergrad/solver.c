/*
 * solver.c — the names of the inner solvers (implicit.h), as the CLI's
 * --solver takes them.
 */
#include <string.h>

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
