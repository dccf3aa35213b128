/*
 * test_report_emit.c — the report document's hand-written number writers
 * (cli/report_emit.c) give what printf gave: integers as "%lld", times as
 * "%.3f" (whole milliseconds), doubles that read back exactly.
 */
#include <stdint.h>

#include "check.h"
#include "report_emit.h"

/* What a writer put on a stream, as a string (caller frees). */
static char *written(void (*emit)(FILE *, double), double v)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    emit(f, v);
    fclose(f);
    return buf;
}

static void emit_int_of_double(FILE *f, double v)
{
    emit_int(f, (long long)v);
}

static void test_ints(void)
{
    static const long long cases[] = {0, 7, -7, 10, -10, 1234567890123LL,
                                      INT64_MAX, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *buf = NULL, want[32];
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        emit_int(f, cases[i]);
        fclose(f);
        snprintf(want, sizeof want, "%lld", cases[i]);
        CHECK(strcmp(buf, want) == 0);
        free(buf);
    }
    char *s = written(emit_int_of_double, -3);
    CHECK(strcmp(s, "-3") == 0);
    free(s);
}

static void test_times(void)
{
    static const double cases[] = {0, 0.0004, 0.0006, 1.5, 12.25, 59.999,
                                   59.9996, 86400.125, 1796668526.0,
                                   -0.25, -2.0004, -0.0004, 1e9 + 0.001};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = written(emit_time, cases[i]), want[64];
        snprintf(want, sizeof want, "%.3f", cases[i]);
        if (strcmp(got, want) != 0)
            fprintf(stderr, "emit_time(%.17g): %s, printf: %s\n", cases[i],
                    got, want);
        CHECK(strcmp(got, want) == 0);
        free(got);
    }
    char *s = written(emit_time, NAN);
    CHECK(strcmp(s, "null") == 0);
    free(s);
}

static void test_numbers(void)
{
    static const double cases[] = {0.1, -2.5e-300, 1e15 + 0.5, 3.0, -12.0,
                                   0.30000000000000004, 6.02214076e23};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = written(emit_number, cases[i]);
        CHECK(strtod(got, NULL) == cases[i]);
        free(got);
    }
    char *s = written(emit_number, 12.0);
    CHECK(strcmp(s, "12") == 0);
    free(s);
    s = written(emit_number, -INFINITY);
    CHECK(strcmp(s, "-1e999") == 0);
    free(s);
}

int main(void)
{
    RUN(test_ints);
    RUN(test_times);
    RUN(test_numbers);
    return CHECK_DONE();
}
