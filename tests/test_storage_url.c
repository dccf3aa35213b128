/* test_storage_url.c — opening a storage by URL: an empty URL is an error,
 * in-memory storage only by name; a URL's password is never shown, by
 * hpo_url_redact or in any message. */
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

/* hpo_url_redact: `url` is shown as `want`. */
static void check_redact(const char *url, const char *want)
{
    char out[256];
    size_t n = hpo_url_redact(url, out, sizeof out);
    CHECK(n == strlen(want));
    if (strcmp(out, want) != 0)
        fprintf(stderr, "redact '%s': got '%s', wanted '%s'\n", url, out,
                want);
    CHECK(strcmp(out, want) == 0);
}

static void test_redact(void)
{
    check_redact("postgresql://u:pw@h/db", "postgresql://u:***@h/db");
    check_redact("postgresql://u@h/db", "postgresql://u@h/db");
    check_redact("postgresql://[::1]:5432/db", "postgresql://[::1]:5432/db");
    check_redact("postgres://a:p@ss:w0rd@h:1/db", "postgres://a:***@h:1/db");
    check_redact("postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db");
    check_redact("postgresql://u@h/db?sslmode=disable&password=x&a=b",
                 "postgresql://u@h/db?sslmode=disable&password=***&a=b");
    check_redact("postgresql://u@h/db?sslpassword=x",
                 "postgresql://u@h/db?sslpassword=***");
    check_redact("postgresql://u:a@h/db?password=b",
                 "postgresql://u:***@h/db?password=***");
    check_redact("host=h password=x user=u", "host=h password=*** user=u");
    check_redact("sqlite:///a.db?passwords=x", "sqlite:///a.db?passwords=x");
    check_redact("x://h/?a=1&mypassword=x", "x://h/?a=1&mypassword=***");
    check_redact("", "");
    /* The size needed is returned whatever the buffer. */
    char small[8];
    CHECK(hpo_url_redact("postgresql://u:pw@h/db", small, sizeof small) ==
          strlen("postgresql://u:***@h/db"));
    CHECK(strcmp(small, "postgre") == 0);
    CHECK(hpo_url_redact("x://u:p@h", NULL, 0) == strlen("x://u:***@h"));
}

/* The storage's message never holds the password, even where it quotes
 * the database's own text (libpq's URI errors repeat the whole URI). */
static void check_no_password(const char *url, const char *pw)
{
    hpo_storage *st = NULL;
    CHECK(hpo_storage_open(&st, url) != HPO_OK);
    const char *msg = hpo_storage_errmsg(st);
    if (strstr(msg, pw))
        fprintf(stderr, "'%s' shows its password: %s\n", url, msg);
    CHECK(!strstr(msg, pw));
    CHECK(*msg);
    hpo_storage_close(st);
}

static void test_messages_hide_passwords(void)
{
    check_no_password("mysql://u:SECRETPW1@h/db", "SECRETPW1");
    check_no_password("postgresql://user:SECRETPW8@[::1:5432/db", "SECRETPW8");
    check_no_password("postgresql://user:SECRET%50W8@[::1:5432/db", "SECRETPW8");
    check_no_password("postgresql://user:SECRET%50W8@[::1:5432/db",
                      "SECRET%50W8");
    check_no_password("postgres://user:p@SECRETPW2@127.0.0.1:1/db",
                      "SECRETPW2");
    check_no_password("postgresql://u@[::1/db?password=SECRETPW3", "SECRETPW3");
    check_no_password("sqlite://u:SECRETPW4@h/db", "SECRETPW4");
    check_no_password("sqlite:///x.db?password=SECRETPW5", "SECRETPW5");
}

int main(void)
{
    RUN(test_empty_url);
    RUN(test_memory_names);
    RUN(test_redact);
    RUN(test_messages_hide_passwords);
    return CHECK_DONE();
}
