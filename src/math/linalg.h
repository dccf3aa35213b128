/*
 * linalg.h — the few dense linear-algebra steps the Gaussian-process
 * and RBF samplers need, as thin wrappers over LAPACKE and CBLAS (OpenBLAS).
 *
 * Matrices are column-major with leading dimension `ld` (>= n), as LAPACK
 * stores them, so no call copies or transposes.  Only the lower triangle of
 * a symmetric matrix is read; factors are lower triangular (K = L L^T).
 * Errors are return codes: 0 on success, > 0 when a matrix is not
 * positive definite (LAPACK's info), < 0 on a bad argument.
 */
#ifndef HPO_LINALG_H
#define HPO_LINALG_H

/* Cholesky factor in place: the lower triangle of a becomes L. */
int hpo__chol(double *a, int n, int ld);

/* Solve L L^T x = b in place, nrhs right-hand sides (columns of b, leading
 * dimension ldb). */
int hpo__chol_solve(const double *l, int n, int ld, double *b, int nrhs,
                    int ldb);

/* Solve L x = b (trans = 0) or L^T x = b (trans = 1) in place, one vector. */
void hpo__tri_solve(const double *l, int n, int ld, int trans, double *b);

/* Solve L X = B in place for m columns of B (leading dimension ldb). */
void hpo__tri_solve_many(const double *l, int n, int ld, double *b, int m,
                         int ldb);

/* The inverse of L L^T, full (both triangles), into inv (n x n, leading
 * dimension n); l is left alone. */
int hpo__chol_inverse(const double *l, int n, int ld, double *inv);

/*
 * Extend a factorization by m rows without refactoring the first n: on
 * entry the leading n x n block of a holds L11 (the factor of K11) and rows
 * n..n+m-1 of the lower triangle hold [K21 K22]; on return they hold
 * [L21 L22] with L21 = K21 L11^-T and L22 L22^T = K22 - L21 L21^T.  Costs
 * O(m n^2) instead of O((n+m)^3).
 */
int hpo__chol_append(double *a, int n, int m, int ld);

/* Solve the symmetric (possibly indefinite) system A x = b in place by
 * LAPACK's Bunch-Kaufman factorization (dsysv): a (n x n, leading dimension
 * ld, lower triangle read) is overwritten by its factor, b by x.  > 0 when
 * A is exactly singular.  The RBF sampler's saddle-point systems
 * [Phi P; P^T 0] are indefinite, so Cholesky does not apply. */
int hpo__sym_solve(double *a, int n, int ld, double *b);

/* C = A B^T for row-major A (m x k), B (n x k) and C (m x n), leading
 * dimensions k, k and n: the cross products behind many squared
 * distances at once (|a - b|^2 = |a|^2 + |b|^2 - 2 a.b). */
void hpo__gemm_nt(int m, int n, int k, const double *a, const double *b,
                  double *c);

/* Dot product of two n-vectors. */
double hpo__dot(const double *x, const double *y, int n);

/* Call before the first use: pins the BLAS to one thread (linalg.c). */
void hpo__linalg_init(void);

#endif
