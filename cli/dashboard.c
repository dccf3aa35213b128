/*
 * dashboard.c — `hpo dashboard`: serve a storage's studies over HTTP,
 * read-only and live, on 127.0.0.1 unless told otherwise.
 *
 * The server (http_server.c) enforces the safety rules; the pages and
 * their data come from dashboard_routes.c.  This file parses the options,
 * opens the storage and waits for Ctrl-C.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "dashboard.h"
#include "http_server.h"

enum { OPT_STORAGE = 1, OPT_HOST, OPT_PORT, OPT_HELP };

static const cli_option dashboard_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"host", 0, 1, OPT_HOST},
    {"port", 0, 1, OPT_PORT},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void dashboard_help(FILE *out)
{
    fprintf(out,
"usage: hpo dashboard [--storage URL] [--host ADDR] [--port N]\n"
"\n"
"Serve the studies of a storage as web pages, read-only, updated live\n"
"while workers run: the list of studies, and for each the views of\n"
"`hpo report`.  Open the printed address in a browser; Ctrl-C stops.\n"
"\n"
"      --storage URL   the storage (default $HPO_STORAGE, else %s);\n"
"                      a sqlite:/// file must exist\n"
"      --host ADDR     the address to listen on (default 127.0.0.1, this\n"
"                      machine only).  Another address serves every study\n"
"                      to whoever can reach it: there is no login\n"
"      --port N        the port (default 8080; 0 picks a free one)\n"
"\n"
"Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 a storage error or the\n"
"port is taken, 2 bad usage or no such storage.\n",
            CLI_DEFAULT_STORAGE);
}

typedef struct dashboard_args {
    const char *url, *host;
    int64_t port;
} dashboard_args;

static int take_option(void *data, int id, const char *value)
{
    dashboard_args *d = data;
    if (id == OPT_STORAGE)
        d->url = value;
    else if (id == OPT_HOST)
        d->host = value;
    else if (cli_parse_int("dashboard", "--port", value, 0, 65535,
                           &d->port) != 0)
        return CLI_EXIT_USAGE;
    return 0;
}

/* The signals that stop the dashboard.  They are blocked before any
 * thread starts (libmicrohttpd's threads inherit the mask) and taken by
 * the main thread alone, with sigwait. */
static sigset_t stop_signals(void)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    return stop;
}

/* Has a stop signal arrived (it waits, blocked, for sigwait)? */
static int stop_pending(void)
{
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM);
}

static void wait_for_stop(void)
{
    sigset_t stop = stop_signals();
    int sig;
    sigwait(&stop, &sig);
}

static int serve(const dashboard_args *d, hpo_storage *storage)
{
    char err[256], shown[CLI_URL_SHOWN_MAX];
    dashboard_site *site = dashboard_site_new(storage);
    if (!site) {
        cli_error("dashboard", "out of memory");
        return CLI_EXIT_FAILED;
    }
    http_server *server = http_server_start(d->host, (int)d->port,
                                            dashboard_handle, site, err,
                                            sizeof err);
    if (!server) {
        cli_error("dashboard", "%s", err);
        dashboard_site_free(site);
        return CLI_EXIT_FAILED;
    }
    cli_redact_url(d->url, shown, sizeof shown);
    int v6 = strchr(d->host, ':') != NULL;
    fprintf(stderr, "hpo dashboard: http://%s%s%s:%d/ serving %s "
            "(read-only; Ctrl-C to stop)\n", v6 ? "[" : "", d->host,
            v6 ? "]" : "", http_server_port(server), shown);
    if (!http_server_is_loopback(server))
        fprintf(stderr, "hpo dashboard: warning: %s is not a loopback "
                "address: anyone who reaches it can read every study\n",
                d->host);
    fflush(stderr);
    int warmed = dashboard_warm(site, stop_pending);
    if (warmed > 0)
        fprintf(stderr, "hpo dashboard: read %d stud%s ahead\n", warmed,
                warmed == 1 ? "y" : "ies");
    wait_for_stop();
    http_server_stop(server);
    dashboard_site_free(site);
    fprintf(stderr, "hpo dashboard: stopped\n");
    return CLI_EXIT_OK;
}

int cli_dashboard(int argc, char **argv)
{
    cli_args a;
    dashboard_args d = {NULL, "127.0.0.1", 8080};
    cli_args_init(&a, "dashboard", argc, argv);
    int rc = cli_take_options(&a, dashboard_options, OPT_HELP, take_option,
                              &d);
    if (rc == CLI_HELP_ASKED) {
        dashboard_help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc >= 0)
        return rc;
    if ((rc = cli_no_operands(&a, "")) != 0)
        return rc;
    d.url = cli_storage_url(d.url);
    sigset_t stop = stop_signals();
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    hpo_storage *storage;
    rc = cli_open_storage("dashboard", d.url, 1, &storage);
    if (rc == CLI_EXIT_OK)
        rc = serve(&d, storage);
    hpo_storage_close(storage);
    return rc;
}
