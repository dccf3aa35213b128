/*
 * strbuf.c — a growing string (strbuf.h).
 */
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

void strbuf_put(strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *s2 = realloc(b->s, cap);
        if (!s2) {
            b->failed = 1;
            return;
        }
        b->s = s2;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

char *strbuf_take(strbuf *b)
{
    strbuf_put(b, "", 0);
    if (b->failed) {
        free(b->s);
        b->s = NULL;
    }
    return b->s;
}
