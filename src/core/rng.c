/*
 * rng.c — xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom
 * number generators", 2018), seeded through splitmix64 as its authors
 * recommend.  Fast, 256 bits of state, and good enough for sampling.
 */
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void hpo__rng_seed(hpo__rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

void hpo__rng_derive(hpo__rng *r, uint64_t seed, uint64_t stream)
{
    /* Mix the stream through splitmix once so nearby streams diverge. */
    uint64_t x = stream ^ 0x5851f42d4c957f2dULL;
    hpo__rng_seed(r, seed ^ splitmix64(&x));
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t hpo__rng_u64(hpo__rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double hpo__rng_uniform(hpo__rng *r)
{
    return (double)(hpo__rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Lemire's nearly-divisionless method would be faster; rejection on the
 * top bits is simple and unbiased. */
uint64_t hpo__rng_below(hpo__rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = hpo__rng_u64(r);
    while (x >= limit);
    return x % n;
}

/* Box–Muller; the second value is dropped to keep the state small. */
double hpo__rng_normal(hpo__rng *r)
{
    double u1, u2;
    do
        u1 = hpo__rng_uniform(r);
    while (u1 <= 0.0);
    u2 = hpo__rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint64_t hpo__seed_from_os(void)
{
    uint64_t seed = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
            seed = 0;
        close(fd);
    }
    if (seed == 0)
        seed = (uint64_t)(hpo__now() * 1e6) ^ ((uint64_t)getpid() << 32);
    return seed;
}

void hpo__rng_permutation(hpo__rng *r, int *order, int n)
{
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)hpo__rng_below(r, (uint64_t)i + 1);
        int k = order[i];
        order[i] = order[j];
        order[j] = k;
    }
}
