/*
 * internal.h — what the files of libhpo share and the outside does not see.
 *
 * Names here start with hpo__ (two underscores).  The plug-in interfaces
 * live in their own headers (storage/storage.h, samplers/sampler.h,
 * pruners/pruner.h); this one holds the records they pass around.
 */
#ifndef HPO_INTERNAL_H
#define HPO_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

#include "hpo.h"
#include "hpoconf.h"

/* ------------------------------------------------------------------------- */
/* Small utilities (util.c)                                                   */
/* ------------------------------------------------------------------------- */

char *hpo__strdup(const char *s);            /* NULL in, NULL out */
char *hpo__strndup(const char *s, size_t n);
/* malloc'd printf; NULL when memory runs out. */
char *hpo__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *hpo__vasprintf(const char *fmt, va_list ap);
/* Grow *arr (of elem bytes each) so it holds at least need elements. */
int hpo__grow(void **arr, int *cap, int need, size_t elem);
/* A value and where it came from; hpo__sort_by_value orders an array of
 * them by value, ties by index (the same order on every machine). */
typedef struct hpo__value_index {
    double value;
    int index;
} hpo__value_index;
void hpo__sort_by_value(hpo__value_index *a, int n);
double hpo__now(void);                       /* wall clock, seconds */
double hpo__monotonic(void);                 /* for durations, seconds */
/* Shortest text that reads back as the same double ("0.1", "1e-05"). */
void hpo__format_double(char *buf, size_t size, double x);
/* 17 significant digits, which read back as the same double, for text a
 * sampler writes for itself (format_exact.c: ~300 instructions where
 * snprintf takes ~2,000); size >= 32 for the fast path. */
void hpo__format_exact(char *buf, size_t size, double x);

/* A message buffer kept on a handle (the "errmsg" of every handle). */
typedef struct hpo__msg {
    char *text;
} hpo__msg;
/* Set the message and return code, so errors read `return hpo__fail(...)`. */
int hpo__fail(hpo__msg *m, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void hpo__msg_set(hpo__msg *m, const char *text);
/* Keep `text` (malloc'd, taken) as the message; NULL (an allocation that
 * failed) leaves "out of memory". */
void hpo__msg_take(hpo__msg *m, char *text);
/* The message "out of memory", set without allocating; returns
 * HPO_ENOMEM, so out-of-memory paths read `return hpo__oom(&h->msg);`.
 * Helpers without a handle (hpo__grow, record.c, dist.c, name_index.c,
 * hpo__space_copy) return HPO_ENOMEM bare and their callers set it; the
 * fault sweeps (tests/faults/) check a message at every failed call. */
int hpo__oom(hpo__msg *m);
const char *hpo__msg_get(const hpo__msg *m); /* never NULL */
void hpo__msg_free(hpo__msg *m);

/* ------------------------------------------------------------------------- */
/* Names and text that storage keeps (text_check.c)                          */
/* ------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at text (1 to 4), or 0. */
/* The length of the valid UTF-8 sequence that starts s (n bytes are
 * there), or 0 when it is not one: overlong forms, surrogates and code
 * points above U+10FFFF are not valid. */
size_t hpo__utf8_len(const unsigned char *s, size_t n);
int hpo__utf8_seq(const char *text);
/* HPO_OK, or HPO_EINVAL with "WHAT 'text' is not valid UTF-8 (...)". */
int hpo__check_text(hpo__msg *m, const char *what, const char *text);
/* A name (what: "parameter name", "study name", "attribute key"): 1 to
 * HPO_MAX_NAME characters of valid UTF-8; HPO_EINVAL with a message. */
int hpo__check_name(hpo__msg *m, const char *what, const char *name);
/* text for a message: invalid bytes and control characters as \xNN, cut
 * with "..." to fit size. */
void hpo__text_shown(char *buf, size_t size, const char *text);
/* An attribute: its key a name, its value JSON text hpo may keep
 * (hpo__json_parse in json.h). */
int hpo__check_attr(hpo__msg *m, const char *key, const char *json);
/* Is a better than b in the (single) direction? */
int hpo__better(hpo_direction d, double a, double b);

/* ------------------------------------------------------------------------- */
/* Random numbers (rng.c): xoshiro256** seeded by splitmix64                  */
/* ------------------------------------------------------------------------- */

typedef struct hpo__rng {
    uint64_t s[4];
} hpo__rng;

void hpo__rng_seed(hpo__rng *r, uint64_t seed);
/* A stream derived from (seed, stream): trial k of a study draws from
 * hpo__rng_derive(seed, k), so results do not depend on thread timing. */
void hpo__rng_derive(hpo__rng *r, uint64_t seed, uint64_t stream);
uint64_t hpo__rng_u64(hpo__rng *r);
double hpo__rng_uniform(hpo__rng *r);       /* [0, 1) */
uint64_t hpo__rng_below(hpo__rng *r, uint64_t n); /* [0, n), unbiased */
double hpo__rng_normal(hpo__rng *r);
/* order = 0..n-1 in random order (Fisher–Yates from the last position
 * down, one hpo__rng_below per position): the one shuffle that the CV
 * splits, the MLP's epochs and the unrolled hypergradients share, so
 * their row orders agree draw for draw. */
void hpo__rng_permutation(hpo__rng *r, int *order, int n);
uint64_t hpo__seed_from_os(void);

/* ------------------------------------------------------------------------- */
/* Distributions (dist.c)                                                     */
/* ------------------------------------------------------------------------- */

typedef enum hpo__kind {
    HPO__FLOAT = 0,
    HPO__INT = 1,
    HPO__CATEGORICAL = 2
} hpo__kind;

/*
 * One parameter's domain.  Invariants (checked by hpo__dist_check):
 *   float: low <= high, finite; log => low > 0 and step == 0;
 *          step > 0 => (high - low) / step is a whole number, and at
 *          most HPO_MAX_EXACT_INT.
 *   int:   low <= high, whole numbers within +-HPO_MAX_EXACT_INT; step >= 1
 *          divides high - low; log => low >= 1 and step == 1.
 *   categorical: n_choices >= 1; choices[i] is the JSON text of the i-th
 *          choice ("\"rbf\"", "3", "true", "null").
 */
typedef struct hpo__dist {
    hpo__kind kind;
    int log;
    double low, high, step;
    int n_choices;
    char **choices;
    /* Non-NULL: choices (array and texts) sit in one block shared by
     * every copy and freed by the last (dist.c); NULL: each text is its
     * own allocation, or static (a dist built by hand). */
    struct hpo__choices_block *shared;
} hpo__dist;

/* Returns HPO_OK or HPO_EINVAL with a message naming `name` in *m. */
int hpo__dist_check(const hpo__dist *d, const char *name, hpo__msg *m);
int hpo__dist_copy(hpo__dist *dst, const hpo__dist *src);
void hpo__dist_free(hpo__dist *d);
/* Same class, log flag, step and choices (bounds may differ): Optuna's rule
 * for reusing a parameter name within a study. */
int hpo__dist_compatible(const hpo__dist *a, const hpo__dist *b);
int hpo__dist_equal(const hpo__dist *a, const hpo__dist *b);
/* Is an internal value inside the domain (on the step grid, an index)? */
int hpo__dist_contains(const hpo__dist *d, double internal);
/* Snap to the nearest legal internal value (clamp, round to step / int). */
double hpo__dist_snap(const hpo__dist *d, double internal);
/* Unit-cube encoding for model-based samplers: [0,1] ↔ internal value.
 * log distributions are linear in log space; ints and steps map their
 * range to [0,1] and round back.  Categoricals: index / (n-1). */
double hpo__dist_to_unit(const hpo__dist *d, double internal);
double hpo__dist_from_unit(const hpo__dist *d, double u);
/* low + t * (high - low), t in [0, 1], inside [low, high] even where
 * high - low is beyond the double range. */
double hpo__lerp(double low, double high, double t);
/* Number of legal values (for ints, steps, categoricals); 0 if continuous. */
double hpo__dist_cardinality(const hpo__dist *d);
/* The value as text: "0.001", "12", "rbf" (a string choice unquoted).
 * Writes at most size bytes. */
void hpo__dist_format(const hpo__dist *d, double internal, char *buf,
                      size_t size);
/* Optuna's distribution_json: {"name": "FloatDistribution",
 * "attributes": {...}}.  Caller frees.  _parse reads Optuna's current and
 * deprecated class names. */
char *hpo__dist_to_json(const hpo__dist *d);
int hpo__dist_from_json(hpo__dist *d, const char *json, hpo__msg *m);
/* The JSON text of a choice value equal to `text` (string choices are
 * compared unquoted): index, or -1. */
int hpo__dist_find_choice(const hpo__dist *d, const char *text);

/* ------------------------------------------------------------------------- */
/* Attributes: key -> JSON text                                               */
/* ------------------------------------------------------------------------- */

typedef struct hpo__attr {
    char *key;
    char *json;
} hpo__attr;

typedef struct hpo__attrs {
    int n, cap;
    hpo__attr *v;
} hpo__attrs;

const char *hpo__attrs_get(const hpo__attrs *a, const char *key);
int hpo__attrs_set(hpo__attrs *a, const char *key, const char *json);
int hpo__attrs_copy(hpo__attrs *dst, const hpo__attrs *src);
/* Put the attributes in the order of keys (see hpo__rec_order_params). */
void hpo__attrs_order(hpo__attrs *a, int64_t *keys);
void hpo__attrs_free(hpo__attrs *a);

/* ------------------------------------------------------------------------- */
/* Name indexes (name_index.c): name -> position in a table of names          */
/* ------------------------------------------------------------------------- */

typedef struct hpo__name_slot {
    const char *name; /* borrowed from the indexed table; NULL: empty */
    unsigned hash;
    int pos;
} hpo__name_slot;

/* Zero-initialised = empty.  Names are borrowed: each must stay valid, and
 * unchanged, while it is indexed. */
typedef struct hpo__name_index {
    int n, cap;
    hpo__name_slot *slot;
} hpo__name_index;

/* Index name at pos; a name already there keeps its first position.
 * HPO_OK or HPO_ENOMEM (the index is then unchanged). */
int hpo__name_index_put(hpo__name_index *ix, const char *name, int pos);
/* The position of name, or -1. */
int hpo__name_index_get(const hpo__name_index *ix, const char *name);
void hpo__name_index_free(hpo__name_index *ix);

/* ------------------------------------------------------------------------- */
/* Trial records (record.c): what storage keeps of a trial                    */
/* ------------------------------------------------------------------------- */

typedef struct hpo__param {
    char *name;
    hpo__dist dist;
    double internal;
} hpo__param;

typedef struct hpo__step_value {
    int64_t step;
    double value;
} hpo__step_value;

typedef struct hpo__trial_rec {
    int64_t id;     /* storage-wide id (Optuna's trial_id) */
    int number;     /* 0-based, per study, gapless */
    hpo_trial_state state;
    int n_values;
    double *values; /* n_values; ±inf allowed */
    int n_params, cap_params;
    hpo__param *params;
    /* params by name, kept once there are more than HPO_NAME_INDEX_FROM
     * (record.c; a move of the record moves it along) */
    hpo__name_index by_name;
    int n_inter, cap_inter;
    hpo__step_value *inter; /* in the order reported */
    hpo__attrs user_attrs;
    hpo__attrs system_attrs;
    double start_s;    /* seconds since the epoch; NaN = not started */
    double complete_s; /* NaN = not finished */
    int beat; /* a template for create_trial: its worker beats (storage.h) */
} hpo__trial_rec;

void hpo__rec_init(hpo__trial_rec *r);
void hpo__rec_free(hpo__trial_rec *r);
int hpo__rec_copy(hpo__trial_rec *dst, const hpo__trial_rec *src);
const hpo__param *hpo__rec_param(const hpo__trial_rec *r, const char *name);
/* Add (or, if absent, append) a parameter; copies name and dist. */
int hpo__rec_add_param(hpo__trial_rec *r, const char *name,
                       const hpo__dist *d, double internal);
/* Put the params (or the intermediate values) in the order of keys, one
 * per element (keys are sorted along): a storage whose rows come in
 * another order restores the order they were stored in.  HPO_OK or
 * HPO_ENOMEM (rebuilding the name index; the record still works). */
int hpo__rec_order_params(hpo__trial_rec *r, int64_t *keys);
void hpo__rec_order_inter(hpo__trial_rec *r, int64_t *keys);
/* Append an intermediate value unless the step is already there (then 0). */
int hpo__rec_add_inter(hpo__trial_rec *r, int64_t step, double value);
int hpo__rec_set_values(hpo__trial_rec *r, int n, const double *values);
int hpo__state_finished(hpo_trial_state s);
/* How far a trial is from feasible (constraints.c): the sum of its
 * positive constraint values; 0 when feasible or without constraints,
 * infinity when the stored constraints cannot be read. */
double hpo__trial_violation(const hpo__trial_rec *t);

/* A growable list of records, owned. */
typedef struct hpo__trial_list {
    int n, cap;
    hpo__trial_rec *v;
} hpo__trial_list;

/* Append a slot (initialised) and return it, or NULL on ENOMEM. */
hpo__trial_rec *hpo__list_push(hpo__trial_list *l);
void hpo__list_free(hpo__trial_list *l);

/* ------------------------------------------------------------------------- */
/* Options: "name:key=value,key=value" (options.c)                            */
/* ------------------------------------------------------------------------- */

typedef struct hpo__opts {
    char *name;
    int n;
    char **keys, **values;
    unsigned char *used; /* set when a plug-in reads a key */
} hpo__opts;

int hpo__opts_parse(hpo__opts *o, const char *spec, hpo__msg *m);
void hpo__opts_free(hpo__opts *o);
/* The value given for key (marking it used), or NULL; the plug-in core
 * parses it from the option table (option_table.c). */
const char *hpo__opts_str(hpo__opts *o, const char *key);
/* HPO_EINVAL naming the first key no plug-in read (a typo). */
int hpo__opts_check_used(const hpo__opts *o, const char *what, hpo__msg *m);

/* ------------------------------------------------------------------------- */
/* Declared spaces (space.c)                                                  */
/* ------------------------------------------------------------------------- */

typedef struct hpo__space_param {
    char *name;
    hpo__dist dist;
    int parent;          /* index of the condition's parent, or -1 */
    int n_cond;          /* choices of the parent that activate it */
    int *cond;           /* their indices in the parent's choices */
} hpo__space_param;

struct hpo_space {
    int n, cap;
    hpo__space_param *p;
    hpo__msg msg;
};

int hpo__space_copy(hpo_space *dst, const hpo_space *src);
int hpo__space_find(const hpo_space *s, const char *name);
/* Is parameter i active given the internal values chosen so far (NaN for
 * inactive or unchosen parents)? */
int hpo__space_active(const hpo_space *s, int i, const double *values);

#endif /* HPO_INTERNAL_H */
