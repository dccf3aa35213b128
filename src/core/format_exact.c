/*
 * format_exact.c — a double as 17 significant digits without snprintf, for
 * the numbers a sampler writes for itself every generation (a CMA-ES state
 * of n = 10 holds ~500 of them, each member its point): glibc's "%.17g"
 * costs ~2,000 instructions a number, this ~300.
 *
 * Why 17 digits read back exactly even when the last one is off by one:
 * x in [10^k, 10^(k+1)) is printed as d * 10^(k-16) with d an integer of
 * 17 digits, d = round(x * 10^(16-k)) computed in long double (64-bit
 * significand).  The scaling takes at most 13 roundings of 2^-64 each, so
 * the computed product is within eps = 13 * 2^-64 < 7.1e-19 of the true one
 * relatively, and
 *     |printed - x| <= 0.5 * 10^(k-16) + eps * x < x * (0.5e-16 + 7.1e-19),
 * which is below half an ulp of x (at least x * 2^-54 = x * 5.55e-17): the
 * nearest double to the printed text, which strtod returns, is x.  Where
 * long double is no wider than double (also at run time: valgrind runs
 * x87 arithmetic at double precision), and for subnormal or huge x, the
 * text comes from snprintf "%.17g" (exact by C's rules).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#if LDBL_MANT_DIG >= 64
/* Powers of ten exact in a 64-bit significand (5^27 < 2^64). */
static const long double pow10_exact[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};

/* a * 10^e, |e| <= 330: at most 12 rounded products for 10^|e| (chunks of
 * 10^27), then one more for the product or quotient. */
static long double scale10(long double a, int e)
{
    int m = e < 0 ? -e : e;
    long double p = 1;
    for (; m > 27; m -= 27)
        p *= pow10_exact[27];
    p *= pow10_exact[m];
    return e < 0 ? a / p : a * p;
}

/* Does long double arithmetic carry more than double's 53 bits here?  Not
 * under valgrind, whatever LDBL_MANT_DIG says (volatile: computed at run
 * time, not folded by the compiler). */
static int wide_at_run_time(void)
{
    volatile long double one = 1, tiny = 0x1p-60L;
    return one + tiny != one;
}

/* d's 17 digits without trailing zeros into out (NUL-terminated); their
 * count. */
static int digits(uint64_t d, char *out)
{
    char tmp[17];
    for (int i = 16; i >= 0; i--) {
        tmp[i] = (char)('0' + d % 10);
        d /= 10;
    }
    int len = 17;
    while (len > 1 && tmp[len - 1] == '0')
        len--;
    memcpy(out, tmp, (size_t)len);
    out[len] = '\0';
    return len;
}

/* The digits d (17 of them) times 10^(k-16) as %g would lay them out:
 * plain for -5 < k < 17, else with an exponent. */
static void lay_out(char *buf, int neg, uint64_t d, int k)
{
    char dg[18];
    int len = digits(d, dg);
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (k < -4 || k >= 17) {
        *p++ = dg[0];
        if (len > 1) {
            *p++ = '.';
            memcpy(p, dg + 1, (size_t)len - 1);
            p += len - 1;
        }
        int e = k < 0 ? -k : k; /* printf's form: e-05, e+300 */
        *p++ = 'e';
        *p++ = k < 0 ? '-' : '+';
        if (e >= 100)
            *p++ = (char)('0' + e / 100);
        *p++ = (char)('0' + e / 10 % 10);
        *p++ = (char)('0' + e % 10);
        *p = '\0';
        return;
    }
    if (k < 0) {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -k - 1; i++)
            *p++ = '0';
        memcpy(p, dg, (size_t)len + 1);
        return;
    }
    for (int i = 0; i <= k; i++)
        *p++ = i < len ? dg[i] : '0';
    if (len > k + 1) {
        *p++ = '.';
        memcpy(p, dg + k + 1, (size_t)(len - k - 1));
        p += len - k - 1;
    }
    *p = '\0';
}
#endif

void hpo__format_exact(char *buf, size_t size, double x)
{
#if LDBL_MANT_DIG >= 64
    double ax = fabs(x);
    if (size >= 32 && x == 0) { /* frequent: a fresh state's paths */
        strcpy(buf, signbit(x) ? "-0" : "0");
        return;
    }
    if (size >= 32 && ax >= 1e-290 && ax <= 1e290 && wide_at_run_time()) {
        int k = (int)floor(log10(ax));
        long double s = scale10(ax, 16 - k);
        if (s >= 1e17L) /* log10 rounded up to the next power: one less */
            s = scale10(ax, 16 - ++k);
        else if (s < 1e16L)
            s = scale10(ax, 16 - --k);
        uint64_t d = (uint64_t)llrintl(s);
        if (d >= UINT64_C(100000000000000000)) { /* rounded up to 10^17 */
            d = UINT64_C(10000000000000000);
            k++;
        }
        lay_out(buf, x < 0, d, k);
        return;
    }
#endif
    snprintf(buf, size, "%.17g", x);
}
