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

int hpo__utf8_seq(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    /* The second byte's range excludes overlong forms (E0, F0), UTF-16
     * surrogates (ED) and code points above U+10FFFF (F4).  A NUL byte is
     * never a continuation byte, so the reads stop at the string's end. */
    if (c >= 0xC2 && c <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
                       (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* Offset of the first byte that is not valid UTF-8, or -1; *chars
 * receives the number of characters before it. */
static long first_invalid(const char *s, long *chars)
{
    long n = 0;
    const char *p = s;
    int len;
    for (; *p; p += len, n++)
        if (!(len = hpo__utf8_seq(p)))
            break;
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
