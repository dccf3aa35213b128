/*
 * study_open.c — open a storage and load a study for the read-only
 * subcommands (best, trials).  The storage must already exist.
 */
#include "args.h"
#include "cli.h"

int cli_open_study(const char *cmd, const char *url, const char *name,
                   hpo_storage **storage, hpo_study **study)
{
    *study = NULL;
    int rc = cli_open_storage(cmd, url, 1, storage);
    if (rc != CLI_EXIT_OK)
        return rc;
    *study = hpo_study_new();
    if (!*study) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    hpo_study_set_storage(*study, *storage);
    rc = hpo_study_open(*study, name, HPO_OPEN_LOAD);
    if (rc == HPO_ENOTFOUND) {
        char shown[CLI_URL_SHOWN_MAX];
        cli_redact_url(url, shown, sizeof shown);
        cli_error(cmd, "--study: no study named '%s' in %s", name, shown);
        return CLI_EXIT_USAGE;
    }
    if (rc != HPO_OK) {
        cli_error(cmd, "--study '%s': %s", name, hpo_study_errmsg(*study));
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}
