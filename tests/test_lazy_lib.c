/*
 * test_lazy_lib.c — a library opened on first use (src/core/lazy_lib.h):
 * its functions are callable once loaded, and a missing library or symbol
 * gives a message that names it and the package to install, again on
 * every later call.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/lazy_lib.h"

/* libm is always there: its cos and sqrt through a lazy table. */
#define MATH_FUNCTIONS(X, t) X(t, cos) X(t, sqrt)
HPO__LAZY_LIBRARY(libm, MATH_FUNCTIONS, "libm.so.6", "libc6");

#define ABSENT_FUNCTIONS(X, t) X(t, cos)
HPO__LAZY_LIBRARY(absent, ABSENT_FUNCTIONS, "libhpo-no-such-library.so.7",
                  "hpo-no-such-package");

/* A function libm does not have (any declared function gives the type). */
#define WRONG_FUNCTIONS(X, t) X(t, cos) X(t, hpo__lazy_lib_load)
HPO__LAZY_LIBRARY(wrong, WRONG_FUNCTIONS, "libm.so.6", "libc6");

static void test_loads_and_calls(void)
{
    CHECK(hpo__lazy_lib_load(&libm_lib) == NULL);
    CHECK(libm.cos != NULL && libm.sqrt != NULL);
    CHECK_NEAR(libm.cos(0.0), 1.0, 1e-15);
    CHECK_NEAR(libm.sqrt(16.0), 4.0, 1e-15);
    CHECK(hpo__lazy_lib_load(&libm_lib) == NULL); /* opened once, still ok */
}

static void test_missing_library(void)
{
    const char *why = hpo__lazy_lib_load(&absent_lib);
    CHECK(why != NULL);
    CHECK_STR_CONTAINS(why, "cannot load libhpo-no-such-library.so.7");
    CHECK_STR_CONTAINS(why, "install hpo-no-such-package");
    CHECK(absent.cos == NULL);
    const char *again = hpo__lazy_lib_load(&absent_lib);
    CHECK(again != NULL && strcmp(again, why) == 0);
}

static void test_missing_symbol(void)
{
    const char *why = hpo__lazy_lib_load(&wrong_lib);
    CHECK(why != NULL);
    CHECK_STR_CONTAINS(why, "cannot load libm.so.6");
    CHECK_STR_CONTAINS(why, "no symbol hpo__lazy_lib_load");
}

int main(void)
{
    RUN(test_loads_and_calls);
    RUN(test_missing_library);
    RUN(test_missing_symbol);
    return CHECK_DONE();
}
