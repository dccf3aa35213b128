/*
 * irace_text.h — what the readers of irace's files share (irace_text.c):
 * a file as numbered lines, irace's '#' comments, and the "FILE:LINE:"
 * message every error carries.
 */
#ifndef HPO_IRACE_TEXT_H
#define HPO_IRACE_TEXT_H

#include <stddef.h>

/* A whole file, split in place into lines (no '\n', a trailing '\r'
 * dropped); line[i] is line number i + 1. */
typedef struct hpo__irace_lines {
    char *text;
    char **line;
    int n;
} hpo__irace_lines;

/* Read path; 0, or HPO_EIO / HPO_ENOMEM with "FILE: why" in err. */
int hpo__irace_read_lines(const char *path, hpo__irace_lines *l, char *err,
                          size_t errlen);
void hpo__irace_lines_free(hpo__irace_lines *l);

/* Cut a '#' comment that is not inside "..." or '...' quotes, and trim
 * white space at both ends (in place); returns the trimmed start, or NULL
 * when a quote is left open. */
char *hpo__irace_strip(char *s);
/* Skip white space. */
char *hpo__irace_skip(const char *s);

/* A number as R writes one (5, -1.5e3, 10L); 0 when s is something else
 * (trailing text, infinite, empty). */
int hpo__irace_number(const char *s, double *v);

/* Write the message into err (truncated to errlen) and return code. */
int hpo__irace_fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same, with the message "PATH:LINE: ..." (HPO_EINVAL: bad input). */
int hpo__irace_fail_at(char *err, size_t errlen, const char *path, int line,
                       const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The directory part of path ("." when it has none), malloc'd. */
char *hpo__irace_dirname(const char *path);
/* path as is when absolute (or dir is NULL or ""), else dir/path; malloc'd. */
char *hpo__irace_join(const char *dir, const char *path);

#endif
