/*
 * trial_env.h — what a child gets besides its parameters:
 *
 *   a per-trial seed   {seed} in its arguments and HPO_SEED: a whole
 *                      number in [0, 2^31) from the study's seed base and
 *                      the trial's number, so a child seeds its own
 *                      randomness reproducibly and differently per trial
 *                      (a base in the study's system attribute
 *                      "hpo:trial_seed", from --seed or drawn once, so
 *                      workers and re-runs agree);
 *   a worker slot      HPO_WORKER_SLOT: 0 .. jobs-1, distinct among the
 *                      children running at once, for pinning a child to a
 *                      device (CUDA_VISIBLE_DEVICES=$HPO_WORKER_SLOT).
 */
#ifndef HPO_CLI_TRIAL_ENV_H
#define HPO_CLI_TRIAL_ENV_H

#include <pthread.h>
#include <stdint.h>

#include "hpo.h"

#define TRIAL_SEED_ATTR "hpo:trial_seed"

/* The study's seed base: --seed's value when given (have_seed), else the
 * stored one, else one drawn now and stored.  Call before trials run
 * (it reads and writes the study's attributes). */
uint64_t trial_seed_base(hpo_study *study, int have_seed, uint64_t seed);

/* The seed of trial `number`. */
uint32_t trial_seed(uint64_t base, int number);

/* The slots of the children running at once. */
typedef struct slot_pool {
    pthread_mutex_t mu;
    unsigned char *busy;
    int n;
} slot_pool;

/* 0, or -1 out of memory. */
int slot_pool_init(slot_pool *p, int n);
void slot_pool_free(slot_pool *p);
/* The lowest free slot, or -1 when none is free (never with as many
 * slots as jobs; a slot is a hint, never a reason to fail a trial). */
int slot_take(slot_pool *p);
void slot_give(slot_pool *p, int slot);

#endif
