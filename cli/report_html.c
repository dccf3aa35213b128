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

int report_html_write(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      const report_data_opts *o)
{
    const report_asset *page = report_asset_find("report.html");
    const char *p = page ? (const char *)page->data : "";
    int rc = 0;
    while (*p) {
        const char *mark = strstr(p, "<!--hpo:");
        if (!mark) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(mark - p), out);
        const char *end = strstr(mark, "-->");
        if (!end) {
            fputs(mark, out);
            break;
        }
        if (strncmp(mark, "<!--hpo:css-->", 14) == 0)
            put_asset(out, "report.css");
        else if (strncmp(mark, "<!--hpo:js-->", 13) == 0)
            put_asset(out, "report.js");
        else if (strncmp(mark, "<!--hpo:data-->", 15) == 0)
            rc |= report_data_write(out, study, trials, n, o);
        p = end + 3;
    }
    return rc;
}
