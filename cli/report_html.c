/*
 * report_html.c — the page around the document (report_html.h).
 *
 * The template marks where each piece goes with a line holding only
 * <!--hpo:css-->, <!--hpo:js--> or <!--hpo:data-->; the template stays a
 * plain HTML file that can be edited and looked at as such.
 */
#include "report_html.h"

#include <string.h>

#include "report_assets.h"

const report_asset *report_asset_find(const char *name)
{
    for (const report_asset *a = report_assets; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static void put_asset(FILE *out, const char *name)
{
    const report_asset *a = report_asset_find(name);
    if (a)
        fwrite(a->data, 1, a->size, out);
}

/* What fills the template's marks: the document (data: a writer, or
 * none for a page that fetches it) and scripts after report.js. */
typedef struct page_parts {
    hpo_study *study;
    hpo_trial **trials;
    int n;
    const report_data_opts *opts;
    const char *extra_js; /* an asset name, or NULL */
} page_parts;

/* A report asks the network for nothing; a live page may ask its own
 * server (connect-src) for its document. */
static const char report_policy[] = "default-src 'none'; style-src "
    "'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

static int fill(FILE *out, const char *mark, const page_parts *parts)
{
    if (strncmp(mark, "<!--hpo:csp-->", 14) == 0) {
        fputs(report_policy, out);
        if (parts->extra_js)
            fputs("; connect-src 'self'", out);
    } else if (strncmp(mark, "<!--hpo:css-->", 14) == 0) {
        put_asset(out, "report.css");
    } else if (strncmp(mark, "<!--hpo:js-->", 13) == 0) {
        put_asset(out, "report.js");
        if (parts->extra_js)
            put_asset(out, parts->extra_js);
    } else if (strncmp(mark, "<!--hpo:data-->", 15) == 0 && parts->opts) {
        return report_data_write(out, parts->study, parts->trials, parts->n,
                                 parts->opts);
    }
    return 0;
}

static int write_page(FILE *out, const page_parts *parts)
{
    const report_asset *page = report_asset_find("report.html");
    const char *p = page ? (const char *)page->data : "";
    int rc = 0;
    while (*p) {
        const char *mark = strstr(p, "<!--hpo:");
        const char *end = mark ? strstr(mark, "-->") : NULL;
        if (!end) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(mark - p), out);
        rc |= fill(out, mark, parts);
        p = end + 3;
    }
    return rc;
}

int report_html_write(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      const report_data_opts *o)
{
    page_parts parts = {study, trials, n, o, NULL};
    return write_page(out, &parts);
}

void report_html_write_live(FILE *out, const char *script)
{
    page_parts parts = {NULL, NULL, 0, NULL, script};
    write_page(out, &parts);
}
