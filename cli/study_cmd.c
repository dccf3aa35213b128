/*
 * study_cmd.c — the option loop and direction names of the commands on
 * one study (study_cmd.h).
 */
#include <string.h>

#include "cli.h"
#include "study_cmd.h"

int study_cmd_parse(const study_cmd *c, int argc, char **argv, void *data,
                    const char *const *study_name)
{
    cli_args a;
    cli_args_init(&a, c->name, argc, argv);
    int rc = cli_take_options(&a, c->options, c->help_id, c->take, data);
    if (rc == CLI_HELP_ASKED) {
        c->help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc >= 0 || (rc = cli_no_operands(&a, "")))
        return rc;
    if (!*study_name) {
        cli_error(c->name, "--study is required");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

int study_cmd_direction(const char *text, hpo_direction *out)
{
    if (strcmp(text, "minimize") == 0 || strcmp(text, "min") == 0)
        *out = HPO_MINIMIZE;
    else if (strcmp(text, "maximize") == 0 || strcmp(text, "max") == 0)
        *out = HPO_MAXIMIZE;
    else
        return -1;
    return 0;
}
