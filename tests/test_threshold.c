/* test_threshold.c — the threshold pruner: its bounds, NaN, warm-up and
 * interval, and its options refused. */
#include <math.h>

#include "pruner_steps.h"

static int verdict_of(const char *pruner, const double *v, int n)
{
    return first_trial_verdict(pruner, HPO_MINIMIZE, v, n);
}


static void test_bounds(void)
{
    CHECK(verdict_of("threshold:upper=1", (double[]){0.5, 1.0}, 2) == 0);
    CHECK(verdict_of("threshold:upper=1", (double[]){0.5, 1.01}, 2) == 1);
    CHECK(verdict_of("threshold:lower=0", (double[]){0.5, -0.01}, 2) == 1);
    CHECK(verdict_of("threshold:lower=0", (double[]){0.5, 1e300}, 2) == 0);
    CHECK(verdict_of("threshold:lower=0,upper=1", (double[]){0, 1}, 2) == 0);
    CHECK(verdict_of("threshold:lower=0,upper=1", (double[]){2}, 1) == 1);
    CHECK(verdict_of("threshold:upper=1", (double[]){NAN}, 1) == 1);
    CHECK(verdict_of("threshold:upper=inf", (double[]){INFINITY}, 1) == 0);
    /* Even the first trial: no other trial is needed to judge. */
    CHECK(verdict_of("threshold:upper=1,n_warmup_steps=2",
                     (double[]){5, 5}, 2) == 0);
    CHECK(verdict_of("threshold:upper=1,n_warmup_steps=2",
                     (double[]){5, 5, 5}, 3) == 1);
    CHECK(verdict_of("threshold:upper=1,interval_steps=2",
                     (double[]){0, 5}, 2) == 0);
    CHECK(verdict_of("threshold:upper=1,interval_steps=2",
                     (double[]){0, 5, 5}, 3) == 1);
}

static void test_options_refused(void)
{
    check_refused("threshold", "give lower, upper or both");
    check_refused("threshold:lower=2,upper=1", "above");
    check_refused("threshold:upper=x", "not a number");
    check_refused("threshold:upper=1,interval_steps=0", "outside");
    check_refused("threshold:upper=1,n_warmup_steps=-1", "outside");
    check_refused("threshold:upper=1,percentile=3", "percentile");
}

int main(void)
{
    RUN(test_bounds);
    RUN(test_options_refused);
    return CHECK_DONE();
}
