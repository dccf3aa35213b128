/*
 * linalg.c — Cholesky factorization, solves and inverse through LAPACKE
 * (dpotrf, dpotrs, dpotri) and CBLAS (dtrsv, dtrsm, dsyrk, ddot).  See
 * linalg.h for the storage conventions.
 */
#include <cblas.h>
#include <lapacke.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/* hpo's matrices are small (one row per trial) and its callers are often
 * several threads or processes already.  OpenBLAS's own thread pool then
 * only costs: its workers spin-wait, and a call from an hpo worker thread
 * was seen waiting forever for them (exec_blas_async_wait) when run from
 * the CLI without OPENBLAS_NUM_THREADS=1.  So pin it to one thread, once. */
static void single_thread(void)
{
    openblas_set_num_threads(1);
}

void hpo__linalg_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, single_thread);
}

int hpo__chol(double *a, int n, int ld)
{
    if (n == 0)
        return 0;
    return (int)LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, a, ld);
}

int hpo__chol_solve(const double *l, int n, int ld, double *b, int nrhs,
                    int ldb)
{
    if (n == 0)
        return 0;
    return (int)LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', n, nrhs, l, ld, b,
                                    ldb);
}

void hpo__tri_solve(const double *l, int n, int ld, int trans, double *b)
{
    if (n == 0)
        return;
    cblas_dtrsv(CblasColMajor, CblasLower, trans ? CblasTrans : CblasNoTrans,
                CblasNonUnit, n, l, ld, b, 1);
}

void hpo__tri_solve_many(const double *l, int n, int ld, double *b, int m,
                         int ldb)
{
    if (n == 0 || m == 0)
        return;
    cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans,
                CblasNonUnit, n, m, 1.0, l, ld, b, ldb);
}

int hpo__chol_inverse(const double *l, int n, int ld, double *inv)
{
    for (int j = 0; j < n; j++)
        memcpy(inv + (size_t)j * n + j, l + (size_t)j * ld + j,
               sizeof(double) * (size_t)(n - j));
    int info = n ? (int)LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', n, inv, n)
                 : 0;
    if (info != 0)
        return info;
    /* dpotri fills the lower triangle; mirror it. */
    for (int j = 0; j < n; j++)
        for (int i = j + 1; i < n; i++)
            inv[(size_t)i * n + j] = inv[(size_t)j * n + i];
    return 0;
}

int hpo__sym_solve(double *a, int n, int ld, double *b)
{
    if (n == 0)
        return 0;
    lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
    if (!ipiv)
        return -1;
    int info = (int)LAPACKE_dsysv(LAPACK_COL_MAJOR, 'L', n, 1, a, ld, ipiv,
                                  b, n);
    free(ipiv);
    return info;
}

void hpo__gemm_nt(int m, int n, int k, const double *a, const double *b,
                  double *c)
{
    if (m == 0 || n == 0)
        return;
    if (k == 0) {
        memset(c, 0, sizeof(double) * (size_t)m * (size_t)n);
        return;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0, a, k,
                b, k, 0.0, c, n);
}

int hpo__chol_append(double *a, int n, int m, int ld)
{
    if (m == 0)
        return 0;
    double *a21 = a + n;                     /* rows n.., columns 0..n-1 */
    double *a22 = a + (size_t)n * ld + n;    /* rows n.., columns n.. */
    if (n > 0) {
        /* L21 L11^T = K21  <=>  L21 = K21 L11^-T. */
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans,
                    CblasNonUnit, m, n, 1.0, a, ld, a21, ld);
        /* K22 - L21 L21^T, lower triangle. */
        cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, m, n, -1.0, a21,
                    ld, 1.0, a22, ld);
    }
    int info = (int)LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', m, a22, ld);
    return info > 0 ? info + n : info;
}

double hpo__dot(const double *x, const double *y, int n)
{
    return n ? cblas_ddot(n, x, 1, y, 1) : 0.0;
}
