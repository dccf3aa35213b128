/*
 * lambda.c — what ridge and logistic regression share about their L2
 * penalty 1/2 sum_j lambda_j w_j^2: the per-coordinate lambdas from the
 * log-hyperparameters (one for all, or one per feature), and the
 * implicit-function hypergradient dL/dlog lambda_j = -lambda_j w_j q_j
 * (q = H^-1 dL_val/dw; Pedregosa 2016), summed for a single lambda.
 * Also the centring of the training targets both regressions use.
 */
#include <math.h>

#include "implicit.h"

void hpo__hg_lambdas(const double *h, int per_feature, int p, double *lam)
{
    for (int j = 0; j < p; j++)
        lam[j] = exp(h[per_feature ? j : 0]);
}

void hpo__hg_lambda_grad(const double *lam, const double *w, const double *q,
                         int p, int per_feature, double *grad)
{
    if (!per_feature)
        grad[0] = 0;
    for (int j = 0; j < p; j++) {
        double d = -lam[j] * w[j] * q[j];
        if (per_feature)
            grad[j] = d;
        else
            grad[0] += d;
    }
}

double hpo__hg_center(const double *y, int n, double *yc)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += y[i];
    double mean = sum / n;
    for (int i = 0; i < n; i++)
        yc[i] = y[i] - mean;
    return mean;
}

int hpo__hg_max_rows(const hpo__hg_split *s)
{
    int rows = 0;
    for (int k = 0; k < 3; k++)
        rows = s->n[k] > rows ? s->n[k] : rows;
    return rows;
}
