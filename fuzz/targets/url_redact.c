/*
 * url_redact — how the CLI prints a --storage URL (cli_redact_url,
 * cli/url_redact.c): every message that shows a URL shows it through this,
 * so a password in it must never come out.
 *
 * Input, two uses:
 *   1. the whole input as a URL, into buffers of several sizes: no crash,
 *      always NUL-terminated within the size given;
 *   2. an oracle: the input's lines are the parts of a URL
 *          SCHEME://USER:PASSWORD@HOSTPATH?KEY=VALUE&REST
 *      with a password planted where libpq would read one — after the
 *      user, and as VALUE when KEY is "password" once percent-decoded (as
 *      libpq decodes keys).  The planted password is marked with \x01
 *      bytes, removed from every other part, so it has leaked if any \x01
 *      comes out.  Parts are kept to what a URL can hold in that place
 *      (no ':', '/', '?', '#', '@' in the scheme; no '/', '@' in the user
 *      or password, where libpq takes '?' and '#' as they are; no '?', '#'
 *      in the host and path; no '&', '=', '#' in a key).
 *
 * Dictionary: fuzz/dict/url.dict
 */
#include "cli.h"
#include "core/internal.h"
#include "fuzz.h"

#define MARK '\x01'

/* Copy `in` without the bytes of `drop` (and without MARK). */
static char *keep(const char *in, const char *drop)
{
    char *out = malloc(strlen(in) + 1), *o = out;
    FUZZ_CHECK(out != NULL, "out of memory");
    for (; *in; in++)
        if (*in != MARK && !strchr(drop, *in))
            *o++ = *in;
    *o = '\0';
    return out;
}

static int hex(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Does the key mean "password" to libpq, which percent-decodes it? */
static int is_password_key(const char *key)
{
    char decoded[16];
    size_t n = 0;
    for (const char *p = key; *p; p++) {
        char c = *p;
        if (c == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
            c = (char)(hex(p[1]) * 16 + hex(p[2]));
            p += 2;
        }
        if (n + 1 >= sizeof decoded)
            return 0;
        decoded[n++] = c;
    }
    decoded[n] = '\0';
    return strcmp(decoded, "password") == 0;
}

static void redact_into(const char *url, size_t size, char *out)
{
    memset(out, 'x', size + 1);
    cli_redact_url(url, out, size);
    FUZZ_CHECK(size == 0 || memchr(out, '\0', size) != NULL,
               "no NUL within %zu bytes", size);
    FUZZ_CHECK(out[size] == 'x', "wrote past %zu bytes", size);
}

static void oracle(char *text, const char *end)
{
    char *cursor = text, *part[6] = {0};
    for (int i = 0; i < 6; i++) {
        char *line = fuzz_next_line(&cursor, end);
        part[i] = keep(line ? line : "", i == 0 ? ":/?#@"
                                         : i == 1 || i == 2 ? "/@"
                                         : i == 3 ? "?#" : "&=#");
    }
    const char *value = is_password_key(part[4]) ? "\x01" "secret" "\x01"
                                                 : "v";
    char *url = hpo__asprintf("%s://%s:\x01%s\x01@%s?%s=%s&%s", part[0],
                              part[1], part[2], part[3], part[4], value,
                              part[5]);
    FUZZ_CHECK(url != NULL, "out of memory");
    char out[CLI_URL_SHOWN_MAX + 1];
    redact_into(url, CLI_URL_SHOWN_MAX, out);
    /* Cut short the output may be; a leak is a leak however short. */
    FUZZ_CHECK(!strchr(out, MARK), "the password leaked:\n%s\n%s", url, out);
    free(url);
    for (int i = 0; i < 6; i++)
        free(part[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    static char out[CLI_URL_SHOWN_MAX + 1];
    const size_t sizes[] = {0, 1, 7, 64, CLI_URL_SHOWN_MAX};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        redact_into(text, sizes[i], out);
    oracle(text, text + size);
    free(text);
    return 0;
}
