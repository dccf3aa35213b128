/*
 * dist_json — Optuna's distribution_json column as read from a database
 * (hpo__dist_cache_get -> hpo__dist_from_json; src/storage/dist_cache.c,
 * src/core/dist.c).  Every stored parameter carries one; a database may
 * have been written by Python Optuna, an older hpo, or a hand.
 *
 * Input: one distribution_json a line, through one cache (as a connection
 * reads a study: repeats hit the cache, more than its size evict).
 * For each accepted distribution:
 *   - it writes itself back (hpo__dist_to_json) as text that reads as an
 *     equal distribution;
 *   - the unit-cube encoding maps [0, 1] into the domain as the core uses
 *     it (src/core/trial.c snaps what a sampler proposes): from_unit then
 *     snap gives a value the distribution contains, that snap keeps, that
 *     to_unit brings back into [0, 1], and that formats as text.
 *     (from_unit alone may round one step past high, as for 0..1.4 by
 *     0.1: harmless, since the core snaps.)  Checked where the axis is
 *     exact (exact_axis); elsewhere only that its bounds format.
 *
 * Dictionary: fuzz/dict/json.dict
 */
#include <math.h>

#include "fuzz.h"
#include "storage/dist_cache.h"

/* Can the encoding be checked exactly?  An int grid past 2^53 skips
 * integers (a double cannot hold them all), and a span beyond the double
 * range (-1.7e308..1.7e308) has no finite width: there the unit cube is
 * only approximate.  The input checks of issue 9 refuse such int bounds
 * and rescale such spans; everything else must hold exactly. */
static int exact_axis(const hpo__dist *d)
{
    if (d->kind == HPO__CATEGORICAL)
        return 1;
    if (d->kind == HPO__INT &&
        fmax(fabs(d->low), fabs(d->high)) > 9007199254740991.0)
        return 0;
    return isfinite(d->high - d->low);
}

static void check_encoding(const hpo__dist *d, double u)
{
    double x = hpo__dist_snap(d, hpo__dist_from_unit(d, u));
    FUZZ_CHECK(hpo__dist_contains(d, x), "from_unit(%.17g) = %.17g is outside",
               u, x);
    FUZZ_CHECK(hpo__dist_snap(d, x) == x, "snap moves %.17g", x);
    double back = hpo__dist_to_unit(d, x);
    FUZZ_CHECK(back >= -1e-9 && back <= 1 + 1e-9, "to_unit(%.17g) = %.17g", x,
               back);
    char text[64];
    hpo__dist_format(d, x, text, sizeof text);
}

static void check_dist(const hpo__dist *d, const char *line)
{
    char *json = hpo__dist_to_json(d);
    FUZZ_CHECK(json != NULL, "hpo__dist_to_json failed");
    hpo__dist back;
    hpo__msg m = {0};
    FUZZ_CHECK(hpo__dist_from_json(&back, json, &m) == HPO_OK,
               "its own JSON is refused: %s\n%s", hpo__msg_get(&m), json);
    FUZZ_CHECK(hpo__dist_equal(d, &back), "reads back differently:\n%s\n%s",
               line, json);
    hpo__dist_free(&back);
    hpo__msg_free(&m);
    free(json);
    /* Both ends, the middle, and a point the line chooses. */
    size_t len = strlen(line);
    double u = len ? (double)((unsigned char)line[len - 1]) / 255.0 : 0.3;
    const double points[] = {0, 0.5, 1, nextafter(1, 0), 1e-300, u};
    for (size_t i = 0; exact_axis(d) && i < sizeof points / sizeof *points;
         i++)
        check_encoding(d, points[i]);
    /* Whatever the axis, its ends format (no crash, no undefined cast). */
    char text[64];
    if (d->kind != HPO__CATEGORICAL) {
        hpo__dist_format(d, d->low, text, sizeof text);
        hpo__dist_format(d, d->high, text, sizeof text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), *cursor = text, *line;
    hpo__dist_cache cache = {0};
    while ((line = fuzz_next_line(&cursor, text + size)) != NULL) {
        hpo__msg m = {0};
        const hpo__dist *d;
        if (hpo__dist_cache_get(&cache, line, &d, &m) == HPO_OK)
            check_dist(d, line);
        hpo__msg_free(&m);
    }
    hpo__dist_cache_free(&cache);
    free(text);
    return 0;
}
