/*
 * optuna.c — run the Optuna side of a comparison (optuna_ref.py) as a
 * child process and read the JSON it writes.
 *
 * The child inherits the pinned thread counts (bench_pin_threads) and our
 * stderr, where it reports progress.  Its results go to a temporary file
 * rather than a pipe so that nothing it or its libraries print can corrupt
 * them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"

#ifndef HPO_BENCH_SOURCE_DIR
#define HPO_BENCH_SOURCE_DIR "bench"
#endif

const char *bench_python(void)
{
    const char *p = getenv("HPO_BENCH_PYTHON");
    /* Debian's interpreter: the one with python3-optuna 3.1. */
    return p && *p ? p : "/usr/bin/python3";
}

const char *bench_optuna_script(void)
{
    const char *p = getenv("HPO_BENCH_OPTUNA_REF");
    return p && *p ? p : HPO_BENCH_SOURCE_DIR "/optuna_ref.py";
}

char *bench_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* Run argv[0] with argv; 0 when it exited with status 0. */
static int run_child(char *const *argv)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "hpo-bench: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "hpo-bench: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "hpo-bench: %s %s failed (%s %d)\n", argv[0], argv[1],
            WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return -1;
}

cJSON *bench_optuna_run(const char *const *args)
{
    return bench_python_run(bench_optuna_script(), args);
}

cJSON *bench_python_run(const char *script, const char *const *args)
{
    char out_path[] = "/tmp/hpo-bench-optuna-XXXXXX";
    int fd = mkstemp(out_path);
    if (fd < 0) {
        fprintf(stderr, "hpo-bench: mkstemp: %s\n", strerror(errno));
        return NULL;
    }
    close(fd);

    int n = 0;
    while (args[n])
        n++;
    const char **argv = calloc((size_t)n + 5, sizeof *argv);
    if (!argv) {
        unlink(out_path);
        return NULL;
    }
    argv[0] = bench_python();
    argv[1] = script;
    for (int i = 0; i < n; i++)
        argv[2 + i] = args[i];
    argv[2 + n] = "--out";
    argv[3 + n] = out_path;

    bench_pin_threads();
    cJSON *json = NULL;
    if (run_child((char *const *)argv) == 0) {
        char *text = bench_read_file(out_path);
        json = text ? cJSON_Parse(text) : NULL;
        if (!json)
            fprintf(stderr, "hpo-bench: cannot read %s's output %s\n",
                    argv[1], out_path);
        free(text);
    }
    free(argv);
    unlink(out_path);
    return json;
}
