/*
 * replay.c — run a harness's entry point over files, without libFuzzer.
 *
 *     fuzz_replay_NAME PATH...
 *
 * Each PATH is a file or a directory (its files, in name order; a missing
 * directory counts as empty, so a harness needs no regressions folder).
 * Built with the normal compiler in the normal and sanitizer builds, this
 * is how the crashes the campaign found stay fixed: ctest replays
 * fuzz/regressions/NAME/ and fuzz/corpus/NAME/.  A crash or a broken
 * invariant aborts, and the test fails.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *data = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&data, &size);
    char buf[65536];
    size_t got;
    while (mem && (got = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, got, mem);
    int bad = ferror(f) || !mem;
    fclose(f);
    if (mem)
        fclose(mem);
    if (bad || !data) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        free(data);
        return -1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput((const uint8_t *)data, size);
    free(data);
    return 0;
}

static int skip_entry(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Every regular file of dir; how many, or -1 after an error. */
static int replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, skip_entry, alphasort);
    if (n < 0)
        return errno == ENOENT ? 0 : -1;
    int done = 0;
    for (int i = 0; i < n; i++) {
        char *path = NULL;
        struct stat sb;
        if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0)
            path = NULL;
        if (path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && done >= 0)
            done = replay_file(path) == 0 ? done + 1 : -1;
        free(path);
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        int n = stat(argv[i], &sb) == 0 && S_ISREG(sb.st_mode)
                    ? (replay_file(argv[i]) == 0 ? 1 : -1)
                    : replay_dir(argv[i]);
        if (n < 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        total += n;
    }
    printf("replayed %d inputs\n", total);
    return 0;
}
