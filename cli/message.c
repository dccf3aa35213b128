/*
 * message.c — an error message as the terminal gets it (cli_error): one
 * line, formatted whole whatever its length (a fixed buffer used to cut
 * the reason off after a long study name), with any overlong word — a
 * 1,000-character study name — shortened in its middle, so that the
 * reason after it stays in sight.
 */
#define _GNU_SOURCE 1 /* vasprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A word longer than this keeps its first HEAD and last TAIL characters
 * around "...". */
#define LONG_WORD 120
#define HEAD 80
#define TAIL 30

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Copy text to out (large enough), controls turned into spaces and long
 * words shortened. */
static void shorten(const char *text, char *out)
{
    while (*text) {
        if (is_space(*text)) {
            *out++ = ' ';
            text++;
            continue;
        }
        size_t n = 0;
        while (text[n] && !is_space(text[n]))
            n++;
        if (n > LONG_WORD) {
            memcpy(out, text, HEAD);
            memcpy(out + HEAD, "...", 3);
            memcpy(out + HEAD + 3, text + n - TAIL, TAIL);
            out += HEAD + 3 + TAIL;
        } else {
            memcpy(out, text, n);
            out += n;
        }
        text += n;
    }
    *out = 0;
}

char *cli_message_line(const char *fmt, va_list ap)
{
    char *text;
    if (vasprintf(&text, fmt, ap) < 0)
        return NULL;
    char *line = malloc(strlen(text) + 1); /* shortening never grows it */
    if (line)
        shorten(text, line);
    free(text);
    return line;
}
