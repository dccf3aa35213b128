/* test_hypergrad_sgd_mlp.c — hypergradients through the MLP's SGD training
 * (src/hypergrad/sgd_mlp.c, sgd_tangent.c): the R-operator's
 * Hessian-vector product equals differences of mlp_net.c's gradient (one
 * and two hidden layers); the training the hypergradient differentiates is
 * hpo__mlp_train_epoch's, bit for bit (same initialisation, same shuffles);
 * every hypergradient — learning rate, momentum and weight decay, constant
 * and per epoch — equals central finite differences of the validation
 * cross-entropy (relative error < 1e-4). */
#include "hypergrad_sgd_fixture.h"
#include "ml/mlp.h"

static const hpo__sgd_mode F = HPO__SGD_FIXED, C = HPO__SGD_CONSTANT,
                           E = HPO__SGD_PER_EPOCH;

/* H u against differences of the gradient, a 5-6-3 network. */
static double worst_hvp_error(int layers)
{
    hpo__sgd_model *mdl = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__sgd_mlp_new(&mdl, 5, 3, 6, layers, 8, &m), HPO_OK);
    hpo__msg_free(&m);
    if (!mdl)
        return INFINITY;
    double worst = fx_worst_hvp_error(mdl, 5, 0.1, 1e-6);
    mdl->destroy(mdl);
    return worst;
}

static void test_hvp_one_layer(void)
{
    CHECK(worst_hvp_error(1) < 1e-5);
}

static void test_hvp_two_layers(void)
{
    CHECK(worst_hvp_error(2) < 1e-5);
}

/* Constant hyperparameters: hpo__sgd_train's weights are those of
 * hpo__mlp_new + hpo__mlp_train_epoch with the same seed, bit for bit, the
 * last batch smaller than the others. */
static void test_same_training_as_mlp(void)
{
    enum { N = 37, IN = 4, OUT = 3, EPOCHS = 3, BATCH = 8 };
    double x[N * IN], y[N];
    hpo__rng rng;
    hpo__rng_seed(&rng, 21);
    for (int i = 0; i < N * IN; i++)
        x[i] = hpo__rng_normal(&rng);
    for (int i = 0; i < N; i++)
        y[i] = (double)hpo__rng_below(&rng, OUT);
    hpo__msg m = {0};
    hpo__mlp_shape shape = {.n_in = IN, .n_hidden = 7, .n_layers = 2,
                            .n_out = OUT};
    /* The values the schedule gives back from their logs. */
    hpo__mlp_opt opt = {.lr = exp(log(0.05)), .momentum = exp(log(0.9)),
                        .weight_decay = exp(log(1e-3)), .batch_size = BATCH};
    hpo__mlp *t = NULL;
    CHECK_RC(hpo__mlp_new(&t, &shape, &opt, 77, &m), HPO_OK);
    for (int e = 0; t && e < EPOCHS; e++)
        CHECK_RC(hpo__mlp_train_epoch(t, x, y, N, &m), HPO_OK);

    hpo__sgd_model *mdl = NULL;
    CHECK_RC(hpo__sgd_mlp_new(&mdl, IN, OUT, 7, 2, BATCH, &m), HPO_OK);
    hpo__sgd_schedule s;
    hpo__sgd_mode mode[3] = {E, C, C};
    double fixed[3] = {0.05, 0.9, 1e-3};
    CHECK_RC(hpo__sgd_schedule_init(&s, EPOCHS, mode, fixed, &m), HPO_OK);
    double h[EPOCHS + 2];
    hpo__sgd_schedule_start(&s, h);
    if (t && mdl) {
        double *w = malloc(mdl->n_params * sizeof *w);
        double *dw = malloc((size_t)s.n_hyper * mdl->n_params * sizeof *dw);
        hpo__sgd_data data = {.n_train = N, .n_in = IN, .x = x, .y = y};
        hpo__sgd_run run = {.w = w};
        CHECK_RC(hpo__sgd_train(mdl, &data, &s, h, BATCH, 77, 0, dw, &run,
                                &m), HPO_OK);
        CHECK(!run.diverged && run.steps == EPOCHS * 5);
        /* lr_e is active from epoch e: 5 steps x (3 + 2 + 1) + 15 x 2. */
        CHECK(run.hvps == 5 * 6 + 15 * 2);
        CHECK(memcmp(w, t->theta, mdl->n_params * sizeof *w) == 0);
        free(w);
        free(dw);
    }
    hpo__sgd_schedule_free(&s);
    if (mdl)
        mdl->destroy(mdl);
    hpo__mlp_free(t);
    hpo__msg_free(&m);
}

static void test_fd_per_epoch_one_layer(void)
{
    fx_check_fd("mlp", 1, E, E, E, 9);
}

static void test_fd_constant_two_layers(void)
{
    fx_check_fd("mlp", 2, C, C, C, 3);
}

static void test_fd_lr_schedule_two_layers(void)
{
    fx_check_fd("mlp", 2, E, F, C, 4);
}

int main(void)
{
    RUN(test_hvp_one_layer);
    RUN(test_hvp_two_layers);
    RUN(test_same_training_as_mlp);
    RUN(test_fd_per_epoch_one_layer);
    RUN(test_fd_constant_two_layers);
    RUN(test_fd_lr_schedule_two_layers);
    return CHECK_DONE();
}
