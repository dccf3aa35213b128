/*
 * text_check.c — the names and text hpo keeps, checked before anything is
 * stored.
 *
 * Everything a storage holds must read back in Python Optuna and pass into
 * PostgreSQL: text is valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), names have 1 to HPO_MAX_NAME
 * characters (Optuna's VARCHAR(512) columns).  The checks run at the entry
 * points, before a study, trial or row is created, so a refused name
 * leaves nothing behind; the storage wrappers repeat the UTF-8 part as the
 * last guard.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

size_t hpo__utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        if (s[0] == 0xE0)
            lo = 0xA0; /* overlong */
        if (s[0] == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        if (s[0] == 0xF0)
            lo = 0x90; /* overlong */
        if (s[0] == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

int hpo__utf8_seq(const char *text)
{
    /* A NUL byte is never a continuation byte, so the sequence ends at
     * the string's end at the latest. */
    return (int)hpo__utf8_len((const unsigned char *)text, strnlen(text, 4));
}

/* Offset of the first byte that is not valid UTF-8, or -1; *chars
 * receives the number of characters before it. */
static long first_invalid(const char *s, long *chars)
{
    long n = 0;
    const char *p = s;
    int len;
    for (; *p; p += len, n++) {
        /* ASCII a byte at a time without the sequence's call: the
         * samplers' states are ASCII, and tens of KB are checked at every
         * write. */
        if ((unsigned char)*p < 0x80) {
            len = 1;
            continue;
        }
        if (!(len = hpo__utf8_seq(p)))
            break;
    }
    *chars = n;
    return *p ? (long)(p - s) : -1;
}

void hpo__text_shown(char *buf, size_t size, const char *text)
{
    size_t o = 0;
    const char *p = text;
    while (*p && o + 8 < size) {
        int len = hpo__utf8_seq(p);
        if (len == 0 || (unsigned char)*p < 0x20) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
                                  (unsigned char)*p);
            p++;
        } else {
            memcpy(buf + o, p, (size_t)len);
            o += (size_t)len;
            p += len;
        }
    }
    snprintf(buf + o, size - o, "%s", *p ? "..." : "");
}

int hpo__check_text(hpo__msg *m, const char *what, const char *text)
{
    long chars, bad = first_invalid(text, &chars);
    if (bad < 0)
        return HPO_OK;
    char shown[96];
    hpo__text_shown(shown, sizeof shown, text);
    return hpo__fail(m, HPO_EINVAL,
                     "%s '%s' is not valid UTF-8 (byte 0x%02x at offset %ld)",
                     what, shown, (unsigned char)text[bad], bad);
}

int hpo__check_name(hpo__msg *m, const char *what, const char *name)
{
    if (!name || !*name)
        return hpo__fail(m, HPO_EINVAL, "a %s has 1 to %d characters (got "
                                        "none)",
                         what, HPO_MAX_NAME);
    int rc = hpo__check_text(m, what, name);
    if (rc)
        return rc;
    long chars;
    first_invalid(name, &chars);
    if (chars <= HPO_MAX_NAME)
        return HPO_OK;
    char shown[64];
    hpo__text_shown(shown, sizeof shown, name);
    return hpo__fail(m, HPO_EINVAL,
                     "a %s has 1 to %d characters (got %ld: '%s')", what,
                     HPO_MAX_NAME, chars, shown);
}
