/*
 * mlp.h — a small multilayer perceptron trained by SGD (issue 13, the
 * mlp_digits problem of BENCHMARKS.md), in three parts:
 *
 *   mlp_net.c         the network: one or two ReLU hidden layers, a
 *                     softmax (classification) or linear (regression)
 *                     output; He initialisation, forward, backward
 *   mlp_sgd.c         the training state and one epoch of mini-batch SGD
 *                     with heavy-ball momentum and L2 weight decay
 *   mlp_checkpoint.c  that state to and from a file (versioned, checksummed,
 *                     written atomically)
 *   mlp.c             the learner `mlp` (learner.h): epochs as the fidelity
 *
 * All arithmetic is in double; the matrix products go through OpenBLAS's
 * cblas_dgemm.  Nothing here prints.
 *
 * The training state (hpo__mlp) is everything a run needs to go on exactly
 * where it stopped: weights, momentum buffer, epochs done, the shuffling
 * RNG, the feature scaler and the target scaling.  Training k epochs,
 * saving, loading and training m more gives bit for bit the weights of
 * k + m epochs in one go (tests/test_mlp_checkpoint.c).  Population-based
 * training loads a member's checkpoint, sets other hyperparameters
 * (hpo__mlp.opt) and goes on.
 */
#ifndef HPO_MLP_H
#define HPO_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "ml.h"

#define HPO__MLP_MAX_LAYERS 2 /* hidden layers */

/* ---- the network (mlp_net.c) ---------------------------------------------- */

typedef struct hpo__mlp_shape {
    int n_in;       /* features */
    int n_hidden;   /* units in each hidden layer */
    int n_layers;   /* hidden layers: 1 or 2 */
    int n_out;      /* classes, or 1 for regression */
    int regression; /* 0: softmax + cross-entropy; 1: linear + squared loss */
} hpo__mlp_shape;

/* Where layer l's weights (fan_in x fan_out, row-major) and biases start
 * in the flat parameter vector; layer n_layers is the output layer. */
typedef struct hpo__mlp_layout {
    int n_weight_layers;                  /* n_layers + 1 */
    int fan_in[HPO__MLP_MAX_LAYERS + 1];
    int fan_out[HPO__MLP_MAX_LAYERS + 1];
    size_t w[HPO__MLP_MAX_LAYERS + 1], b[HPO__MLP_MAX_LAYERS + 1];
    size_t n_params;
} hpo__mlp_layout;

/* HPO_EINVAL with a message unless 1 <= layers <= 2, hidden, in, out >= 1
 * (and out == 1 for regression), and the parameters fit in memory. */
int hpo__mlp_shape_check(const hpo__mlp_shape *s, hpo__msg *m);
void hpo__mlp_layout_of(const hpo__mlp_shape *s, hpo__mlp_layout *out);

/* Scratch for forward and backward passes of up to `cap` rows. */
typedef struct hpo__mlp_work {
    int cap;
    double *z[HPO__MLP_MAX_LAYERS + 1]; /* pre-activations, cap x fan_out */
    double *a[HPO__MLP_MAX_LAYERS];     /* hidden activations */
    double *delta, *delta2;             /* backward, cap x widest layer */
} hpo__mlp_work;

int hpo__mlp_work_reserve(hpo__mlp_work *w, const hpo__mlp_shape *s,
                          int rows, hpo__msg *m);
void hpo__mlp_work_free(hpo__mlp_work *w);

/* He et al. (2015) initialisation: weights N(0, 2 / fan_in), biases 0. */
void hpo__mlp_init_weights(const hpo__mlp_shape *s, double *theta,
                           hpo__rng *rng);

/* Outputs of n rows of x (n x n_in, standardized): class probabilities
 * (n x n_out) or values (n); w must have room for n rows.  The result is
 * w->z[n_layers] (softmax applied in place). */
void hpo__mlp_forward(const hpo__mlp_shape *s, const double *theta,
                      hpo__mlp_work *w, const double *x, int n);

/* Softmax of each of n rows of k values in place; returns the summed
 * -log p[y] when y (class indices) is given, else 0.  The unrolled
 * hypergradients' linear model shares it (src/hypergrad/sgd_linear.c). */
double hpo__mlp_softmax_rows(double *z, int n, int k, const double *y);

/* The mean loss over n rows plus (weight_decay / 2) * sum of squared
 * weights (biases are not decayed), and its gradient into grad
 * (n_params).  y: class index (as a double) or the target value. */
double hpo__mlp_loss_grad(const hpo__mlp_shape *s, const double *theta,
                          hpo__mlp_work *w, const double *x, const double *y,
                          int n, double weight_decay, double *grad);

/* ---- training (mlp_sgd.c) ------------------------------------------------- */

/* The optimizer's hyperparameters; may change between epochs (PBT). */
typedef struct hpo__mlp_opt {
    double lr;           /* > 0 */
    double momentum;     /* [0, 1) */
    double weight_decay; /* >= 0 */
    int batch_size;      /* >= 1 */
} hpo__mlp_opt;

/* The whole training state; what a checkpoint holds. */
typedef struct hpo__mlp {
    hpo__mlp_shape shape;
    hpo__mlp_layout layout;
    double *theta;      /* weights and biases (layout) */
    double *velocity;   /* the momentum buffer, in gradient units */
    hpo__mlp_opt opt;
    int epoch;          /* epochs done */
    int diverged_at;    /* 0, or the epoch whose loss was not finite */
    double last_loss;   /* the mean training loss of the last epoch */
    hpo__rng rng;       /* shuffles the rows each epoch */
    hpo__scaler scaler; /* the features' standardization (owned) */
    double y_mean, y_sd; /* regression target scaling (0, 1 otherwise) */
    /* Classification: the majority class of the training rows, which a
     * diverged model predicts. */
    int majority;
    /* scratch, not saved */
    hpo__mlp_work work;
    double *grad, *xb, *yb; /* xb, yb: batch_cap rows */
    int *order, n_order, batch_cap;
} hpo__mlp;

/* A new state: He-initialised weights drawn from seed, zero momentum,
 * epoch 0, and the identity scaler (mean 0, std 1), which the caller may
 * replace (hpo__scaler_free, then hpo__scaler_fit). */
int hpo__mlp_new(hpo__mlp **out, const hpo__mlp_shape *shape,
                 const hpo__mlp_opt *opt, uint64_t seed, hpo__msg *m);
void hpo__mlp_free(hpo__mlp *t);

/* HPO_EINVAL unless lr > 0, 0 <= momentum < 1, weight_decay >= 0 and
 * batch_size >= 1 (all finite). */
int hpo__mlp_opt_check(const hpo__mlp_opt *o, hpo__msg *m);

/*
 * One epoch over n rows of x (standardized, n x n_in) with targets y (class
 * index, or the scaled target): the rows shuffled by t->rng, then
 * mini-batches of opt.batch_size (the last one smaller):
 *
 *     g = gradient of the batch's mean loss + weight_decay * w
 *     v = momentum * v + g            (heavy ball, Polyak 1964)
 *     w = w - lr * v
 *
 * A loss or a weight that is not finite ends training for good: t->epoch
 * still counts the epoch, t->diverged_at is set to it, and later calls do
 * nothing (HPO_OK).  The caller judges a diverged model (mlp.c: it
 * predicts the majority class).  HPO_ENOMEM is the only failure.
 */
int hpo__mlp_train_epoch(hpo__mlp *t, const double *x, const double *y,
                         int n, hpo__msg *m);

/* Outputs (as hpo__mlp_forward) of n standardized rows into out
 * (n x n_out). */
int hpo__mlp_predict(hpo__mlp *t, const double *x, int n, double *out,
                     hpo__msg *m);

/* ---- checkpoints (mlp_checkpoint.c) ------------------------------------- */

/*
 * Save the training state to path: written to a temporary file beside it,
 * flushed to disk, then renamed over path, so a reader sees the old file
 * or the new one, never half of one.  The format (little-endian):
 *
 *     "HPOMLPCK" magic, u32 version (1), u64 payload bytes,
 *     payload: shape, opt, epoch, diverged_at, majority, last_loss, rng,
 *              y_mean, y_sd, scaler (mean, std), theta, velocity,
 *     u64 FNV-1a checksum of the payload.
 *
 * HPO_EIO (or HPO_ENOMEM) with a message naming the file.
 */
int hpo__mlp_save(const hpo__mlp *t, const char *path, hpo__msg *m);

/* Load a saved state into a new *out (free with hpo__mlp_free).  A file
 * that is missing, truncated, of another version, or whose checksum does
 * not match is refused with HPO_EINVAL (HPO_EIO when unreadable) and a
 * message "PATH: ...". */
int hpo__mlp_load(const char *path, hpo__mlp **out, hpo__msg *m);

#endif
