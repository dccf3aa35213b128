/*
 * fuzz.h — what the harnesses in fuzz/targets/ share.
 *
 * A harness is one file defining LLVMFuzzerTestOneInput(), libFuzzer's
 * entry point.  The same file builds two ways (fuzz/CMakeLists.txt):
 *   - with clang and -DHPO_FUZZ=ON: linked with libFuzzer, ASan and UBSan,
 *     run by scripts/fuzz.sh for a bounded time;
 *   - in every normal build: linked with fuzz/replay.c, a main() that feeds
 *     it the files of fuzz/regressions/NAME/ and fuzz/corpus/NAME/, as the
 *     ctest case fuzz_NAME (so a crash found once stays fixed, even where
 *     no clang is installed).
 * A harness reports a broken invariant with FUZZ_CHECK, which aborts:
 * libFuzzer then keeps the input, as for a crash.
 */
#ifndef HPO_FUZZ_H
#define HPO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                              \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz: %s:%d: invariant '%s' broken: ",        \
                    __FILE__, __LINE__, #cond);                            \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* The input as a NUL-terminated string (malloc'd; the caller frees).  A NUL
 * byte inside stays: C string parsers then see the text before it, as they
 * would in the program. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Cut a writable text into lines in place: each call returns the next line
 * without its '\n' (NULL at the end); *cursor starts at the text. */
static inline char *fuzz_next_line(char **cursor, const char *end)
{
    char *line = *cursor;
    if (line >= end)
        return NULL;
    char *nl = memchr(line, '\n', (size_t)(end - line));
    if (nl)
        *nl = '\0';
    *cursor = nl ? nl + 1 : (char *)end;
    return line;
}

#endif
