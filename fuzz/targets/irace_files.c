/*
 * irace_files — irace's parameters.txt and scenario.txt as `hpo race`
 * reads them (src/race/irace_parameters.c, irace_scenario.c).
 *
 * Input: the text of one file, read both as a parameters file and as a
 * scenario file (the readers take paths, so it goes through a file of
 * this process's own).  A refused file is fine, with a "FILE..." message;
 * an accepted parameters file gives one switch per parameter and a space
 * keeping space_check.h's invariants.
 *
 * Dictionary: fuzz/dict/irace_files.dict
 */
#include <unistd.h>

#include "race/irace_files.h"
#include "space_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512];
    snprintf(path, sizeof path, "/tmp/hpo-fuzz-irace-%d.txt", (int)getpid());
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL, "cannot write %s", path);
    if (size)
        fwrite(data, 1, size, f);
    fclose(f);

    hpo_space *s = hpo_space_new();
    char **sw;
    int n;
    int rc = irace_parse_parameters(path, s, &sw, &n, err, sizeof err);
    FUZZ_CHECK(rc == HPO_OK || rc == HPO_EINVAL, "code %d: %s", rc, err);
    if (rc == HPO_OK) {
        FUZZ_CHECK(n == hpo_space_size(s) && n > 0, "%d switches, %d params", n,
                   hpo_space_size(s));
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(sw[i] != NULL, "switch %d missing", i);
        fuzz_check_space(s);
        irace_switches_free(sw, n);
    } else {
        FUZZ_CHECK(!strncmp(err, path, strlen(path)), "message '%s'", err);
        FUZZ_CHECK(sw == NULL && n == 0, "outputs set on error");
    }
    hpo_space_free(s);

    irace_scenario sc;
    rc = irace_read_scenario(path, &sc, err, sizeof err);
    FUZZ_CHECK(rc == HPO_OK || rc == HPO_EINVAL, "scenario code %d: %s", rc,
               err);
    FUZZ_CHECK(rc == HPO_OK || !strncmp(err, path, strlen(path)),
               "scenario message '%s'", err);
    irace_scenario_free(&sc);
    unlink(path);
    return 0;
}
