/*
 * report_html.h — the report page: report/assets/report.html with the
 * CSS, the JavaScript and the study's document (report_data.h) inlined,
 * so the one file works offline and asks the network for nothing.
 */
#ifndef HPO_CLI_REPORT_HTML_H
#define HPO_CLI_REPORT_HTML_H

#include <stdio.h>

#include "report_data.h"

/* Write the page of `study` (trials as report_data_write takes them).
 * 0, or -1 when memory ran out; write errors are the caller's (ferror). */
int report_html_write(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      const report_data_opts *o);

/* The page without a document, with the asset `script` after the
 * renderer: a page that fetches its document itself (the dashboard's
 * study page, whose script is "dashboard.js"). */
void report_html_write_live(FILE *out, const char *script);

#endif
