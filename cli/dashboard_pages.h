/*
 * dashboard_pages.h — the dashboard's own pages (dashboard_index.c).
 */
#ifndef HPO_CLI_DASHBOARD_PAGES_H
#define HPO_CLI_DASHBOARD_PAGES_H

/* The list of studies: polls /api/studies and links to each study. */
extern const char dashboard_index_html[];

#endif
