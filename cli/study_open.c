/*
 * study_open.c — open a storage and load a study for the read-only
 * subcommands (best, trials).
 */
#include "args.h"
#include "cli.h"

int cli_open_study(const char *cmd, const char *url, const char *name,
                   hpo_storage **storage, hpo_study **study)
{
    *storage = NULL;
    *study = NULL;
    int rc = hpo_storage_open(storage, url);
    if (rc != HPO_OK) {
        cli_error(cmd, "--storage '%s': %s", url,
                  *storage ? hpo_storage_errmsg(*storage) : hpo_errstr(rc));
        return rc == HPO_ESTORAGE || rc == HPO_EIO ? CLI_EXIT_FAILED
                                                   : CLI_EXIT_USAGE;
    }
    *study = hpo_study_new();
    if (!*study) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    hpo_study_set_storage(*study, *storage);
    rc = hpo_study_open(*study, name, HPO_OPEN_LOAD);
    if (rc == HPO_ENOTFOUND) {
        cli_error(cmd, "--study: no study named '%s' in %s", name, url);
        return CLI_EXIT_USAGE;
    }
    if (rc != HPO_OK) {
        cli_error(cmd, "--study '%s': %s", name, hpo_study_errmsg(*study));
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}
