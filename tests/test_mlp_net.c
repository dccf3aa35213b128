/* test_mlp_net.c — the mlp learner's network (src/ml/mlp_net.c): the
 * gradient of the loss with respect to every weight and bias equals
 * central finite differences (relative error < 1e-4, double precision) on
 * tiny networks — one and two hidden layers, softmax and squared loss,
 * with and without weight decay; He initialisation is reproducible from a
 * seed and has the variance 2 / fan_in; the forward pass gives
 * probabilities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ml/mlp.h"

enum { ROWS = 6 };

/* Random rows and targets, and parameters with nonzero biases (He init
 * leaves them 0, which would hide a wrong bias gradient). */
static void fixture(const hpo__mlp_shape *s, double *theta, double *x,
                    double *y, uint64_t seed)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, seed);
    hpo__mlp_init_weights(s, theta, &rng);
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(s, &lay);
    for (int l = 0; l < lay.n_weight_layers; l++)
        for (int c = 0; c < lay.fan_out[l]; c++)
            theta[lay.b[l] + c] = 0.3 * hpo__rng_normal(&rng);
    for (int i = 0; i < ROWS * s->n_in; i++)
        x[i] = hpo__rng_normal(&rng);
    for (int i = 0; i < ROWS; i++)
        y[i] = s->regression ? hpo__rng_normal(&rng)
                             : (double)hpo__rng_below(&rng, (uint64_t)s->n_out);
}

/* Worst relative error of the analytic gradient over every parameter. */
static double worst_gradient_error(const hpo__mlp_shape *s, double wd)
{
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(s, &lay);
    size_t p = lay.n_params;
    double *theta = malloc(p * sizeof *theta);
    double *grad = malloc(p * sizeof *grad);
    double *scratch = malloc(p * sizeof *scratch);
    double x[ROWS * 8], y[ROWS];
    hpo__mlp_work w = {0};
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_work_reserve(&w, s, ROWS, &m), HPO_OK);
    fixture(s, theta, x, y, 7);
    hpo__mlp_loss_grad(s, theta, &w, x, y, ROWS, wd, grad);
    double worst = 0, h = 1e-6;
    for (size_t i = 0; i < p; i++) {
        double keep = theta[i];
        theta[i] = keep + h;
        double up = hpo__mlp_loss_grad(s, theta, &w, x, y, ROWS, wd, scratch);
        theta[i] = keep - h;
        double down = hpo__mlp_loss_grad(s, theta, &w, x, y, ROWS, wd,
                                         scratch);
        theta[i] = keep;
        double numeric = (up - down) / (2 * h);
        double scale = fabs(numeric) + fabs(grad[i]);
        double err = scale > 1e-7 ? fabs(numeric - grad[i]) / scale : 0;
        if (err > worst)
            worst = err;
    }
    hpo__mlp_work_free(&w);
    free(theta);
    free(grad);
    free(scratch);
    return worst;
}

static void test_gradient_softmax(void)
{
    hpo__mlp_shape one = {.n_in = 5, .n_hidden = 4, .n_layers = 1,
                          .n_out = 3};
    hpo__mlp_shape two = {.n_in = 5, .n_hidden = 4, .n_layers = 2,
                          .n_out = 3};
    CHECK(worst_gradient_error(&one, 0) < 1e-4);
    CHECK(worst_gradient_error(&one, 0.05) < 1e-4);
    CHECK(worst_gradient_error(&two, 0) < 1e-4);
    CHECK(worst_gradient_error(&two, 0.05) < 1e-4);
}

static void test_gradient_squared(void)
{
    hpo__mlp_shape one = {.n_in = 4, .n_hidden = 5, .n_layers = 1,
                          .n_out = 1, .regression = 1};
    hpo__mlp_shape two = {.n_in = 4, .n_hidden = 5, .n_layers = 2,
                          .n_out = 1, .regression = 1};
    CHECK(worst_gradient_error(&one, 0) < 1e-4);
    CHECK(worst_gradient_error(&one, 0.01) < 1e-4);
    CHECK(worst_gradient_error(&two, 0.01) < 1e-4);
}

/* The weight decay term is (wd / 2) ||W||^2 on weights only: with every
 * weight and bias set to 1 and no data effect compared, the loss grows by
 * exactly wd / 2 times the weight count. */
static void test_decay_spares_biases(void)
{
    hpo__mlp_shape s = {.n_in = 2, .n_hidden = 3, .n_layers = 1,
                        .n_out = 2};
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(&s, &lay);
    CHECK(lay.n_params == 2 * 3 + 3 + 3 * 2 + 2);
    double theta[17], grad[17], x[2] = {0.5, -1}, y[1] = {1};
    for (int i = 0; i < 17; i++)
        theta[i] = 1;
    hpo__mlp_work w = {0};
    hpo__msg m = {0};
    hpo__mlp_work_reserve(&w, &s, 1, &m);
    double plain = hpo__mlp_loss_grad(&s, theta, &w, x, y, 1, 0, grad);
    double decayed = hpo__mlp_loss_grad(&s, theta, &w, x, y, 1, 0.2, grad);
    CHECK_NEAR(decayed - plain, 0.1 * 12, 1e-12);
    hpo__mlp_work_free(&w);
}

static void test_he_init(void)
{
    hpo__mlp_shape s = {.n_in = 64, .n_hidden = 200, .n_layers = 1,
                        .n_out = 10};
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(&s, &lay);
    double *a = malloc(lay.n_params * sizeof *a);
    double *b = malloc(lay.n_params * sizeof *b);
    hpo__rng r1, r2;
    hpo__rng_seed(&r1, 3);
    hpo__rng_seed(&r2, 3);
    hpo__mlp_init_weights(&s, a, &r1);
    hpo__mlp_init_weights(&s, b, &r2);
    CHECK(memcmp(a, b, lay.n_params * sizeof *a) == 0);
    double sq = 0;
    size_t nw = (size_t)64 * 200;
    for (size_t i = 0; i < nw; i++)
        sq += a[lay.w[0] + i] * a[lay.w[0] + i];
    CHECK_NEAR(sq / nw, 2.0 / 64, 0.003);
    CHECK(a[lay.b[0]] == 0 && a[lay.b[1] + 9] == 0);
    free(a);
    free(b);
}

static void test_forward_probabilities(void)
{
    hpo__mlp_shape s = {.n_in = 5, .n_hidden = 4, .n_layers = 2,
                        .n_out = 3};
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(&s, &lay);
    double theta[200], x[ROWS * 8], y[ROWS];
    fixture(&s, theta, x, y, 11);
    hpo__mlp_work w = {0};
    hpo__msg m = {0};
    hpo__mlp_work_reserve(&w, &s, ROWS, &m);
    hpo__mlp_forward(&s, theta, &w, x, ROWS);
    for (int i = 0; i < ROWS; i++) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            CHECK(w.z[2][i * 3 + c] > 0);
            sum += w.z[2][i * 3 + c];
        }
        CHECK_NEAR(sum, 1, 1e-12);
    }
    hpo__mlp_work_free(&w);
}

static void test_shape_refused(void)
{
    hpo__msg m = {0};
    hpo__mlp_shape bad = {.n_in = 5, .n_hidden = 4, .n_layers = 3,
                          .n_out = 3};
    CHECK_RC(hpo__mlp_shape_check(&bad, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "layers must be 1 or 2");
    bad.n_layers = 1;
    bad.n_hidden = 0;
    CHECK_RC(hpo__mlp_shape_check(&bad, &m), HPO_EINVAL);
    hpo__msg_free(&m);
}

int main(void)
{
    RUN(test_gradient_softmax);
    RUN(test_gradient_squared);
    RUN(test_decay_spares_biases);
    RUN(test_he_init);
    RUN(test_forward_probabilities);
    RUN(test_shape_refused);
    return CHECK_DONE();
}
