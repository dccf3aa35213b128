/*
 * strbuf.h — a string that grows as text is appended (for rewriting a
 * command's arguments).
 */
#ifndef HPO_CLI_STRBUF_H
#define HPO_CLI_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *s; /* NUL-terminated once anything was put; malloc'd */
    size_t len, cap;
    int failed; /* memory ran out: later puts do nothing */
} strbuf;

/* Append n bytes of s. */
void strbuf_put(strbuf *b, const char *s, size_t n);

/* The text (the caller frees it), or NULL (and nothing to free) when
 * memory ran out. */
char *strbuf_take(strbuf *b);

#endif
