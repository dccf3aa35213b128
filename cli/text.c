/*
 * text.c — what counts as text in a child's output (text.h).
 */
#include "text.h"

#include "core/internal.h" /* hpo__utf8_len: the library's rule */

#include <stdio.h>
#include <string.h>

static int allowed_control(unsigned char c)
{
    return c == '\t' || c == '\r' || c == '\b' || c == 0x1B;
}

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

int text_is_clean(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            if (is_control(u[i]) && !allowed_control(u[i]))
                return 0;
            i++;
            continue;
        }
        size_t len = hpo__utf8_len(u + i, n - i);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}

void text_excerpt(char *out, size_t size, const char *s, size_t n,
                  size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    while (i < n && i < max) {
        size_t k = u[i] < 0x80 ? 1 : hpo__utf8_len(u + i, n - i);
        int plain = k > 1 || (k == 1 && !is_control(u[i]));
        if (i + (k ? k : 1) > max)
            break; /* a character that does not fit whole */
        if (!plain)
            k = 1;
        if (len + (plain ? k : 4) + 4 > size) /* room left for "..." */
            break;
        if (plain)
            memcpy(out + len, u + i, k);
        else
            snprintf(out + len, 5, "\\x%02X", u[i]);
        len += plain ? k : 4;
        i += k;
        out[len] = '\0';
    }
    if (i < n && len + 4 <= size) {
        memcpy(out + len, "...", 4);
        len += 3;
    }
}
