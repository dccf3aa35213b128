/*
 * postgres_lib.c — libpq's table of functions (postgres_lib.h).
 */
#define HPO__PQ_TABLE_ITSELF 1 /* the real names, to take their addresses */
#include "postgres_lib.h"

#if HPO_FAULTS

/* Linked, so that --wrap replaces the calls that faults.c injects into. */
#define PQ_ADDRESS(t, f) .f = f,
hpo__pq_functions hpo__pq = {HPO__PQ_FUNCTIONS(PQ_ADDRESS, hpo__pq)};

const char *hpo__pq_load(void)
{
    return NULL;
}

#else

hpo__pq_functions hpo__pq;

static const hpo__lazy_sym pq_syms[] = {
    HPO__PQ_FUNCTIONS(HPO__LAZY_SYM, hpo__pq)};
static hpo__lazy_lib pq_lib = HPO__LAZY_LIB(HPO_SONAME_PQ, "libpq5", pq_syms);

const char *hpo__pq_load(void)
{
    return hpo__lazy_lib_load(&pq_lib);
}

#endif
