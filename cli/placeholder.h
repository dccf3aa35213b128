/*
 * placeholder.h — `{name}` in the command's arguments.
 *
 *   {NAME}   the trial's value of parameter NAME, as text ("0.001", "12",
 *            "rbf"); empty when the parameter is inactive (a condition)
 *   {trial}  the trial number (unless a parameter is named "trial")
 *   {seed}   the trial's seed (trial_env.h; unless a parameter is named
 *            "seed")
 *   {{  }}   a literal brace
 *
 * A lone '}' is kept as it is; a '{' without its '}' is an error.
 */
#ifndef HPO_CLI_PLACEHOLDER_H
#define HPO_CLI_PLACEHOLDER_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"

/* 0 if every placeholder of `text` names a parameter of `space`,
 * "trial" or "seed"; else -1 with the reason in `err`. */
int placeholder_check(const char *text, const hpo_space *space, char *err,
                      size_t size);
/* The same, also accepting the names in `extra` (NULL-terminated; may be
 * NULL): {NAME} of an extra name expands to the trial's user attribute
 * NAME when it is a JSON string (hpo pbt's {checkpoint_in} and
 * {checkpoint_out}), else to nothing. */
int placeholder_check_names(const char *text, const hpo_space *space,
                            const char *const *extra, char *err,
                            size_t size);
/* `text` with its placeholders replaced; malloc'd, NULL if out of memory.
 * Call only on text that passed placeholder_check(). */
char *placeholder_expand(const char *text, const hpo_trial *trial,
                         uint32_t seed);
/* The same for `hpo race`, where {instance} is known too (and expands to
 * `instance`). */
int placeholder_check_instance(const char *text, const hpo_space *space,
                               char *err, size_t size);
char *placeholder_expand_instance(const char *text, const hpo_trial *trial,
                                  uint32_t seed, const char *instance);

#endif
