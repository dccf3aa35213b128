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

void emit_number(FILE *out, double v)
{
    if (isnan(v)) {
        fputs("null", out);
    } else if (isinf(v)) {
        fputs(v > 0 ? "1e999" : "-1e999", out);
    } else if (v == (double)(long long)v && fabs(v) < 1e15) {
        /* Integers (steps, int parameters, choice indices): as such. */
        fprintf(out, "%lld", (long long)v);
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
    if (isnan(t) || isinf(t))
        fputs("null", out);
    else
        fprintf(out, "%.3f", t);
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
