/*
 * report_emit.c — JSON text for the report's document (report_emit.h).
 *
 * "<" is escaped everywhere so that no text a user stored (a study name,
 * an attribute, a failure reason) can close the <script> element the
 * document sits in.  In stored JSON text "<" can only be inside a string,
 * where \u003c means the same character.
 */
#include "report_emit.h"

#include <math.h>
#include <string.h>

#include "core/internal.h" /* hpo__format_exact, hpo__utf8_len */

void emit_string(FILE *out, const char *text)
{
    if (!text) {
        fputs("null", out);
        return;
    }
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    putc('"', out);
    while (i < len) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
            i++;
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            fprintf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            putc(c, out);
            i++;
        } else {
            size_t n = hpo__utf8_len(s + i, len - i);
            if (n == 0) {
                putc('?', out);
                i++;
            } else {
                fwrite(s + i, 1, n, out);
                i += n;
            }
        }
    }
    putc('"', out);
}

void emit_int(FILE *out, long long v)
{
    /* By hand: fprintf's cost is most of a 100,000-trial document. */
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v
                                 : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), out);
}

void emit_number(FILE *out, double v)
{
    if (isnan(v)) {
        fputs("null", out);
    } else if (isinf(v)) {
        fputs(v > 0 ? "1e999" : "-1e999", out);
    } else if (fabs(v) < 1e15 && v == (double)(long long)v) {
        /* Integers (steps, int parameters, choice indices): as such. */
        emit_int(out, (long long)v);
    } else {
        /* 17 digits without snprintf (format_exact.c): a 100,000-trial
         * document holds ~10^6 numbers, and the shortest form costs
         * several snprintf/strtod pairs each. */
        char buf[40];
        hpo__format_exact(buf, sizeof buf, v);
        fputs(buf, out);
    }
}

void emit_time(FILE *out, double t)
{
    if (isnan(t) || isinf(t)) {
        fputs("null", out);
    } else if (fabs(t) < 1e15) {
        /* Whole milliseconds, as "%.3f" gives them but without printf. */
        long long ms = llround(fabs(t) * 1e3);
        if (signbit(t))
            putc('-', out);
        emit_int(out, ms / 1000);
        char frac[5] = {'.', (char)('0' + ms / 100 % 10),
                        (char)('0' + ms / 10 % 10), (char)('0' + ms % 10), 0};
        fputs(frac, out);
    } else {
        fprintf(out, "%.3f", t);
    }
}

void emit_raw(FILE *out, const char *json)
{
    if (!json) {
        fputs("null", out);
        return;
    }
    for (const char *p = json; *p; p++) {
        if (*p == '<')
            fputs("\\u003c", out);
        else
            putc(*p, out);
    }
}
