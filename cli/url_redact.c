/*
 * url_redact.c — a --storage URL as the tool prints it: without its
 * password.
 *
 * A PostgreSQL URL may carry a password (postgresql://user:pw@host/db, or
 * ?password=pw among its options).  Error messages and progress lines end
 * up in terminals, CI logs and bug reports, so every place that prints a
 * URL prints it through cli_redact_url(), which is the library's
 * hpo_url_redact() (the library's own messages are redacted alike).
 *
 * The command line itself is readable by every process on the machine
 * (ps, /proc/PID/cmdline), children included: cli_hide_url_passwords()
 * overwrites the password there as soon as hpo starts, as mysql does.
 * (Until then it shows; the environment and ~/.pgpass never do.)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_redact_url(const char *url, char *out, size_t size)
{
    hpo_url_redact(url, out, size);
}

/* Hide one argument's password: argv[i] becomes a private copy, and the
 * original bytes (what /proc/PID/cmdline shows) the redacted text, cut to
 * the original length and padded with NULs.  -1 when memory ran out: the
 * password may still show. */
static int hide(char **argv, int i, size_t prefix)
{
    char *value = argv[i] + prefix;
    size_t len = strlen(value);
    size_t need = hpo_url_redact(value, NULL, 0) + 1;
    char *shown = malloc(need), *copy = strdup(argv[i]);
    int rc = shown && copy ? 0 : -1;
    if (rc == 0) {
        hpo_url_redact(value, shown, need);
        if (strcmp(shown, value) != 0) {
            argv[i] = copy; /* kept to the end of the process */
            copy = NULL;
            size_t n = strlen(shown) < len ? strlen(shown) : len;
            memcpy(value, shown, n);
            memset(value + n, 0, len - n);
        }
    }
    free(shown);
    free(copy);
    return rc;
}

int cli_hide_url_passwords(int argc, char **argv)
{
    static const char flag[] = "--storage";
    int rc = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0 && rc == 0; i++) {
        if (strcmp(argv[i], flag) == 0 && i + 1 < argc)
            rc = hide(argv, ++i, 0);
        else if (strncmp(argv[i], flag, sizeof flag - 1) == 0 &&
                 argv[i][sizeof flag - 1] == '=')
            rc = hide(argv, i, sizeof flag);
    }
    return rc;
}
