/* hpo__format_exact (src/core/format_exact.c): every double it prints reads
 * back as the same double, laid out as JSON accepts it. */
#include <float.h>
#include <stdint.h>

#include "check.h"
#include "core/internal.h"

static double from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A number as JSON writes it: -?digits(.digits)?(e[+-]digits)?. */
static int json_number(const char *s)
{
    if (*s == '-')
        s++;
    if (!(*s >= '0' && *s <= '9'))
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static int exact(double x)
{
    char buf[40];
    hpo__format_exact(buf, sizeof buf, x);
    int ok = strtod(buf, NULL) == x && json_number(buf) && strlen(buf) <= 24;
    if (!ok)
        fprintf(stderr, "%.17g printed as %s\n", x, buf);
    return ok;
}

static void test_edges(void)
{
    const double xs[] = {0.0, -0.0, 1.0, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 1e-5,
                         9.999999999999999e-5, 1e16, 1e17, 9.999999999999999e16,
                         123456789012345678.0, 1e-290, 1e290, DBL_MAX, DBL_MIN,
                         5e-324, 1e308, -1e308, 0.9999999999999999, 1e22,
                         1e23, 4.35, 0.3, 1e-300, 1e300};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        CHECK(exact(xs[i]));
        CHECK(exact(-xs[i]));
    }
    for (int k = -320; k <= 308; k++) { /* each power of ten and its neighbours */
        double p = pow(10, k);
        CHECK(exact(p));
        CHECK(exact(nextafter(p, 0)));
        CHECK(exact(nextafter(p, INFINITY)));
    }
    char buf[40];
    hpo__format_exact(buf, sizeof buf, 0.5);
    CHECK(strcmp(buf, "0.5") == 0);
    hpo__format_exact(buf, sizeof buf, 1e-5);
    CHECK(strcmp(buf, "1.0000000000000001e-05") == 0);
    hpo__format_exact(buf, sizeof buf, 1e20);
    CHECK(strcmp(buf, "1e+20") == 0);
    hpo__format_exact(buf, sizeof buf, 250);
    CHECK(strcmp(buf, "250") == 0);
}

/* Random bit patterns (every exponent) and random numbers of the unit cube
 * (what CMA-ES writes most). */
static void test_random(void)
{
    uint64_t s = 42;
    int bad = 0;
    for (int i = 0; i < 300000; i++) {
        double x = from_bits(splitmix(&s));
        if (isfinite(x))
            bad += !exact(x);
        bad += !exact((double)(splitmix(&s) >> 11) * 0x1p-53);
    }
    CHECK(bad == 0);
}

int main(void)
{
    RUN(test_edges);
    RUN(test_random);
    return CHECK_DONE();
}
