/* test_storage_url.c — opening a storage by URL: an empty URL is an error,
 * in-memory storage only by name. */
#include "check.h"
#include "hpo.h"

/* Opening `url` gives `want`; with an error, the message holds `text`. */
static void check_open(const char *url, int want, const char *text)
{
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, url), want);
    CHECK(st != NULL);
    if (want != HPO_OK && text)
        CHECK_STR_CONTAINS(hpo_storage_errmsg(st), text);
    hpo_storage_close(st);
}

/* An unset variable gives "" (or a binding's NULL): never a storage that
 * keeps nothing. */
static void test_empty_url(void)
{
    check_open("", HPO_EINVAL, "empty storage URL");
    check_open(NULL, HPO_EINVAL, "empty storage URL");
}

/* The names of the in-memory storage. */
static void test_memory_names(void)
{
    check_open("memory:", HPO_OK, NULL);
    check_open("memory", HPO_OK, NULL);
    check_open("memory://", HPO_OK, NULL);
    check_open("memory:x", HPO_EINVAL, "memory storage takes no path");
    check_open(" ", HPO_EINVAL, "unknown storage URL");
}

int main(void)
{
    RUN(test_empty_url);
    RUN(test_memory_names);
    return CHECK_DONE();
}
