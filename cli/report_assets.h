/*
 * report_assets.h — the report's renderer as it is built into hpo: the
 * files of report/assets/ (page template, CSS, JavaScript), embedded at
 * build time by cmake/embed_assets.cmake.  A server (the dashboard) sends
 * the same bytes.
 */
#ifndef HPO_CLI_REPORT_ASSETS_H
#define HPO_CLI_REPORT_ASSETS_H

#include <stddef.h>

typedef struct report_asset {
    const char *name;           /* file name: "report.js" */
    const unsigned char *data;  /* its bytes, NUL-terminated */
    size_t size;                /* without the NUL */
} report_asset;

/* Every asset, ending with a {NULL, NULL, 0} entry. */
extern const report_asset report_assets[];

/* The asset called name, or NULL. */
const report_asset *report_asset_find(const char *name);

#endif
