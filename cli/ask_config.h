/*
 * ask_config.h — the search space and sampler `hpo ask` and `hpo tell`
 * use for a study, so a shell loop or a job array gives them once.
 *
 * They come from the first of: the flags (--param, --space, --sampler);
 * what hpo tune stored (study_config.h, "hpo:cli"); what ask or
 * create-study stored, the study system attribute "hpo:ask":
 *
 *   {"space": {"x": {...}},      hpo_space_to_json's form
 *    "sampler": "tpe" | null}    the spec, as given
 *
 * A study that has neither gets the flags' space stored on first use; a
 * space given that differs from the stored one is refused (the trials
 * would mean different things), as hpo tune refuses it.
 */
#ifndef HPO_CLI_ASK_CONFIG_H
#define HPO_CLI_ASK_CONFIG_H

#include <stdint.h>

#include "hpo.h"

#define ASK_CONFIG_ATTR "hpo:ask"

typedef struct ask_flags {
    const char *storage_url, *study_name;
    hpo_space *space; /* the flags' parameters; may be empty */
    const char *sampler;
    int have_seed;
    uint64_t seed;
} ask_flags;

/* Store space (and sampler, NULL for the default) as the study's
 * "hpo:ask" unless it holds a space already (hpo:cli or hpo:ask), which
 * must then be the same.  0, or an exit code after printing why. */
int ask_config_settle(const char *cmd, hpo_study *study, const char *space_json,
                      const char *sampler);

/*
 * Open study f->study_name for ask or tell: storage, sampler and space
 * as above, the seed if given.  need_space: ask refuses a study without
 * one.  0 with both handles set (to be freed in every case), or an exit
 * code after printing why.
 */
int ask_open_study(const char *cmd, const ask_flags *f, int need_space,
                   hpo_storage **storage, hpo_study **study);

#endif
