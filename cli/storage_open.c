/*
 * storage_open.c — open the storage a --storage URL names, with one-line
 * errors.
 *
 * The commands that only read or delete (best, trials, studies,
 * delete-study) must not make a database where none was: SQLite creates
 * a missing file on open, so `hpo studies --storage sqlite:///tpyo.db`
 * would quietly answer "no studies" and leave an empty tpyo.db behind.
 * For them a sqlite:/// URL must name an existing file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "cli.h"

/* For sqlite:///PATH[?OPTIONS]: does PATH exist?  Other URLs (and the
 * in-memory sqlite:///:memory:) pass.  0, or the errno of the check. */
static int sqlite_file_missing(const char *url)
{
    static const char prefix[] = "sqlite:///";
    if (strncmp(url, prefix, sizeof prefix - 1) != 0)
        return 0;
    const char *path = url + sizeof prefix - 1;
    size_t len = strcspn(path, "?");
    char *file = strndup(path, len);
    if (!file)
        return ENOMEM;
    struct stat sb;
    int err = 0;
    if (strcmp(file, ":memory:") != 0 && stat(file, &sb) != 0)
        err = errno;
    free(file);
    return err;
}

int cli_open_storage(const char *cmd, const char *url, int must_exist,
                     hpo_storage **storage)
{
    *storage = NULL;
    char shown[CLI_URL_SHOWN_MAX];
    cli_redact_url(url, shown, sizeof shown);
    int err = must_exist ? sqlite_file_missing(url) : 0;
    if (err) {
        cli_error(cmd, "--storage '%s': %s", shown, strerror(err));
        return err == ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
    }
    int rc = hpo_storage_open(storage, url);
    if (rc == HPO_OK)
        return CLI_EXIT_OK;
    cli_error(cmd, "--storage '%s': %s", shown,
              *storage ? hpo_storage_errmsg(*storage) : hpo_errstr(rc));
    return rc == HPO_ESTORAGE || rc == HPO_EIO ? CLI_EXIT_FAILED
                                               : CLI_EXIT_REFUSED(rc);
}

const char *cli_storage_url(const char *given)
{
    const char *env = getenv("HPO_STORAGE");
    if (given)
        return given;
    return env && *env ? env : CLI_DEFAULT_STORAGE;
}
