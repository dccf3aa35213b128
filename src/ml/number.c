/*
 * number.c — a decimal number as written in a data file, without strtod
 * when an exact answer is cheap.
 *
 * Clinger's fast path (W. D. Clinger, How to read floating point numbers
 * accurately, PLDI 1990): when the digits form an integer m <= 2^53 and
 * the power of ten 10^k has |k| <= 22, both m and 10^k are exact doubles,
 * so m * 10^k or m / 10^k rounded once by IEEE arithmetic is the
 * correctly rounded value, the same double strtod returns.  Every other
 * text (more than 19 significant digits, large exponents, hex, inf, nan)
 * is left to the caller's strtod.  Data files are mostly short decimals,
 * and strtod was 45% of the time of loading diamonds.csv.
 */
#include <stdint.h>

#include "ml.h"

static const double powers_of_ten[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MANTISSA_EXACT ((uint64_t)1 << 53)
#define SIGNIFICANT_MAX 19 /* digits that fit a uint64_t without overflow */
#define EXPONENT_MAX 9999  /* beyond: strtod's business (overflow, denormals) */

/* The digits from *p on into *mant; -1 when there are too many to hold. */
static int take_digits(const char **p, const char *e, uint64_t *mant,
                       int *significant)
{
    int n = 0;
    for (; *p < e && **p >= '0' && **p <= '9'; (*p)++, n++) {
        if (*mant == 0 && **p == '0')
            continue; /* a leading zero */
        if (++*significant > SIGNIFICANT_MAX)
            return -1;
        *mant = *mant * 10 + (uint64_t)(**p - '0');
    }
    return n;
}

static int take_exponent(const char **p, const char *e, int *exponent)
{
    if (*p == e || (**p != 'e' && **p != 'E'))
        return 1;
    (*p)++;
    int negative = *p < e && **p == '-';
    if (*p < e && (**p == '-' || **p == '+'))
        (*p)++;
    int n = 0, v = 0;
    for (; *p < e && **p >= '0' && **p <= '9'; (*p)++, n++)
        if ((v = v * 10 + (**p - '0')) > EXPONENT_MAX)
            return 0;
    *exponent = negative ? -v : v;
    return n > 0;
}

int hpo__decimal_fast(const char *s, const char *e, double *out)
{
    const char *p = s;
    int negative = p < e && *p == '-';
    if (p < e && (*p == '-' || *p == '+'))
        p++;
    uint64_t mant = 0;
    int significant = 0, exponent = 0;
    int whole = take_digits(&p, e, &mant, &significant), fraction = 0;
    if (whole < 0)
        return 0;
    if (p < e && *p == '.') {
        const char *f = ++p;
        /* Leading zeros of the fraction still scale the value. */
        if ((fraction = take_digits(&p, e, &mant, &significant)) < 0)
            return 0;
        fraction = (int)(p - f);
    }
    if (whole + fraction == 0 || !take_exponent(&p, e, &exponent) || p != e)
        return 0;
    int k = exponent - fraction;
    double v;
    if (mant == 0)
        v = 0;
    else if (mant > MANTISSA_EXACT || k < -22 || k > 22)
        return 0;
    else
        v = k >= 0 ? (double)mant * powers_of_ten[k]
                   : (double)mant / powers_of_ten[-k];
    *out = negative ? -v : v;
    return 1;
}
