/*
 * pg.c — a PostgreSQL server for `hpo-bench storage`, and a fresh database
 * on it for every row.
 *
 * The server is $HPO_BENCH_PG_URL when set (an account allowed to create
 * databases; it is left running), else a throw-away cluster started with
 * the test suite's tests/pg/pg_server.sh ($HPO_BENCH_PG_SERVER overrides
 * the path) in /tmp/hpo-bench-pg-XXXXXX and removed by bench_pg_stop.  Databases are made and dropped
 * with psql, so hpo-bench needs no client library of its own and works
 * whether or not hpo was built with PostgreSQL (Optuna's side still runs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef HPO_BENCH_SOURCE_DIR
#define HPO_BENCH_SOURCE_DIR "bench"
#endif

static const char *server_script(void)
{
    const char *p = getenv("HPO_BENCH_PG_SERVER");
    return p && *p ? p : HPO_BENCH_SOURCE_DIR "/../tests/pg/pg_server.sh";
}

/* Run argv; its stdout goes into out (NUL-terminated, may be NULL to drop
 * it).  Returns 0 when it exited with status 0. */
static int run(char *const *argv, char *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]), close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]), close(fd[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "hpo-bench: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0;
    char sink[512];
    for (;;) {
        char *buf = out && len + 1 < size ? out + len : sink;
        size_t room = out && len + 1 < size ? size - len - 1 : sizeof sink;
        ssize_t k = read(fd[0], buf, room);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (buf != sink)
            len += (size_t)k;
    }
    if (out && size)
        out[len] = '\0';
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int bench_pg_start(bench_pg *pg)
{
    memset(pg, 0, sizeof *pg);
    const char *given = getenv("HPO_BENCH_PG_URL");
    if (given && *given) {
        snprintf(pg->url, sizeof pg->url, "%s", given);
        return 0;
    }
    /* Our own directory name, not the script's default /tmp/hpo_pg.*: a
     * clean-up of leftover test clusters must not take the benchmark's. */
    char own[] = "/tmp/hpo-bench-pg-XXXXXX";
    if (!mkdtemp(own)) {
        fprintf(stderr, "hpo-bench: mkdtemp: %s\n", strerror(errno));
        return -1;
    }
    /* A durable cluster (fsync and synchronous_commit on, the server's
     * defaults), so that both sides pay for every commit as they would in
     * use; PG_SERVER_FSYNC=off in the environment measures without. */
    setenv("PG_SERVER_FSYNC", "on", 0);
    /* and stopped with its directory if hpo-bench dies before stopping it */
    char me[32];
    snprintf(me, sizeof me, "%d", (int)getpid());
    setenv("PG_SERVER_WATCH", me, 1);
    /* pg_server.sh start prints the URL, then the cluster's directory. */
    char text[sizeof pg->url + sizeof pg->dir];
    char *argv[] = {"bash", (char *)server_script(), "start", own, NULL};
    if (run(argv, text, sizeof text) != 0) {
        fprintf(stderr, "hpo-bench: %s start %s failed\n", server_script(),
                own);
        return -1;
    }
    char *nl = strchr(text, '\n');
    char *dir = nl ? nl + 1 : NULL;
    char *end = dir ? strchr(dir, '\n') : NULL;
    if (!nl || !end || strncmp(text, "postgres", 8) != 0) {
        fprintf(stderr, "hpo-bench: %s start printed no URL and directory\n",
                server_script());
        return -1;
    }
    *nl = *end = '\0';
    if (strlen(text) >= sizeof pg->url || strlen(dir) >= sizeof pg->dir) {
        fprintf(stderr, "hpo-bench: %s start: URL or directory too long\n",
                server_script());
        return -1;
    }
    memcpy(pg->url, text, strlen(text) + 1);
    memcpy(pg->dir, dir, strlen(dir) + 1);
    return 0;
}

void bench_pg_stop(bench_pg *pg)
{
    if (!*pg->dir)
        return;
    char *argv[] = {"bash", (char *)server_script(), "stop", pg->dir, NULL};
    if (run(argv, NULL, 0) != 0)
        fprintf(stderr, "hpo-bench: could not stop the server in %s\n",
                pg->dir);
    pg->dir[0] = '\0';
}

static int psql(const bench_pg *pg, const char *sql)
{
    char *argv[] = {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-d", (char *)pg->url, "-c", (char *)sql, NULL};
    return run(argv, NULL, 0);
}

/* The admin URL with its database name replaced by `name`; the scheme
 * becomes `scheme`.  postgresql://U@H:P/DB?O -> SCHEME://U@H:P/NAME?O */
static int url_with_db(const char *admin, const char *scheme,
                       const char *name, char *out, size_t size)
{
    const char *rest = strstr(admin, "://");
    if (!rest)
        return -1;
    rest += 3;
    const char *slash = strchr(rest, '/');
    size_t host_len = slash ? (size_t)(slash - rest) : strlen(rest);
    const char *query = strchr(rest, '?');
    int n = snprintf(out, size, "%s://%.*s/%s%s", scheme, (int)host_len,
                     rest, name, query ? query : "");
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int bench_pg_create_db(const bench_pg *pg, const char *name, char *hpo_url,
                       char *optuna_url, size_t size)
{
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (psql(pg, sql) != 0) {
        fprintf(stderr, "hpo-bench: cannot create database %s on %s\n",
                name, pg->url);
        return -1;
    }
    if (url_with_db(pg->url, "postgresql", name, hpo_url, size) != 0 ||
        url_with_db(pg->url, "postgresql+psycopg2", name, optuna_url,
                    size) != 0) {
        fprintf(stderr, "hpo-bench: cannot read the URL %s\n", pg->url);
        return -1;
    }
    return 0;
}

void bench_pg_drop_db(const bench_pg *pg, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (psql(pg, sql) != 0)
        fprintf(stderr, "hpo-bench: cannot drop database %s\n", name);
}

void bench_pg_show(const bench_pg *pg, const char *setting, char *out,
                   size_t size)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SHOW %s", setting);
    char *argv[] = {"psql", "-X", "-A", "-t", "-d", (char *)pg->url, "-c",
                    sql, NULL};
    if (run(argv, out, size) != 0 || !*out)
        snprintf(out, size, "?");
    out[strcspn(out, "\n")] = '\0';
}
