/*
 * check.h — the tiny test harness every test file uses.
 *
 * A test file defines functions `static void test_NAME(void)` and lists
 * them in main() with RUN(test_NAME).  CHECK failures print file:line and
 * the expression and count as failures; the program's exit code is the
 * number of failed checks (0 = pass).  ctest runs each file in its own
 * process with a timeout.
 */
#ifndef HPO_CHECK_H
#define HPO_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(expr)                                                       \
    do {                                                                  \
        check_count++;                                                    \
        if (!(expr)) {                                                    \
            check_failures++;                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,        \
                    __LINE__, #expr);                                     \
        }                                                                 \
    } while (0)

#define CHECK_RC(call, want)                                              \
    do {                                                                  \
        int check_rc_ = (call);                                           \
        check_count++;                                                    \
        if (check_rc_ != (want)) {                                        \
            check_failures++;                                             \
            fprintf(stderr, "%s:%d: %s returned %d, wanted %d\n",         \
                    __FILE__, __LINE__, #call, check_rc_, (int)(want));   \
        }                                                                 \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                             \
    do {                                                                  \
        double check_a_ = (a), check_b_ = (b);                            \
        check_count++;                                                    \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                      \
            check_failures++;                                             \
            fprintf(stderr, "%s:%d: %s = %.17g, wanted %.17g (tol %g)\n", \
                    __FILE__, __LINE__, #a, check_a_, check_b_,           \
                    (double)(tol));                                       \
        }                                                                 \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                   \
    do {                                                                  \
        const char *check_h_ = (hay);                                     \
        check_count++;                                                    \
        if (!check_h_ || !strstr(check_h_, (needle))) {                   \
            check_failures++;                                             \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n",    \
                    __FILE__, __LINE__, check_h_ ? check_h_ : "(null)",   \
                    (needle));                                            \
        }                                                                 \
    } while (0)

#define RUN(fn)                                                           \
    do {                                                                  \
        int before_ = check_failures;                                     \
        fn();                                                             \
        fprintf(stderr, "%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #fn); \
    } while (0)

#define CHECK_DONE()                                                      \
    (fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures), \
     check_failures ? 1 : 0)

#endif
