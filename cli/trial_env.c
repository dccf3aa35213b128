/*
 * trial_env.c — the per-trial seed and the worker slots (trial_env.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trial_env.h"

/* splitmix64's finalizer: consecutive inputs give unrelated outputs. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t drawn(void)
{
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, &v, sizeof v) != (ssize_t)sizeof v) {
        struct timespec ts; /* no /dev/urandom: the clock and the pid */
        clock_gettime(CLOCK_REALTIME, &ts);
        v = mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                (uint64_t)getpid());
    }
    if (fd >= 0)
        close(fd);
    return v;
}

uint64_t trial_seed_base(hpo_study *study, int have_seed, uint64_t seed)
{
    if (have_seed)
        return mix(seed);
    const char *stored = hpo_study_system_attr(study, TRIAL_SEED_ATTR);
    if (stored)
        return strtoull(stored, NULL, 10);
    /* As JSON a number above 2^53 would not read back exactly in Python. */
    uint64_t base = drawn() >> 11;
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)base);
    hpo_study_set_system_attr(study, TRIAL_SEED_ATTR, text); /* a hint */
    return base;
}

uint32_t trial_seed(uint64_t base, int number)
{
    return (uint32_t)(mix(base ^ mix((uint64_t)number)) >> 33);
}

int slot_pool_init(slot_pool *p, int n)
{
    p->n = n;
    p->busy = calloc(n > 0 ? (size_t)n : 1, 1);
    pthread_mutex_init(&p->mu, NULL);
    return p->busy ? 0 : -1;
}

void slot_pool_free(slot_pool *p)
{
    if (!p->busy)
        return;
    free(p->busy);
    p->busy = NULL;
    pthread_mutex_destroy(&p->mu);
}

int slot_take(slot_pool *p)
{
    int slot = -1;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->n; i++)
        if (!p->busy[i]) {
            p->busy[i] = 1;
            slot = i;
            break;
        }
    pthread_mutex_unlock(&p->mu);
    return slot;
}

void slot_give(slot_pool *p, int slot)
{
    pthread_mutex_lock(&p->mu);
    if (slot >= 0 && slot < p->n)
        p->busy[slot] = 0;
    pthread_mutex_unlock(&p->mu);
}
