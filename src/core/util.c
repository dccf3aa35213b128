/* util.c — strings, growth, clocks and the per-handle message buffer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

char *hpo__strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

char *hpo__strndup(const char *s, size_t n)
{
    return s ? strndup(s, n) : NULL;
}

char *hpo__vasprintf(const char *fmt, va_list ap)
{
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        return NULL;
    return out;
}

char *hpo__asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = hpo__vasprintf(fmt, ap);
    va_end(ap);
    return out;
}

static int by_value_then_index(const void *pa, const void *pb)
{
    const hpo__value_index *a = pa, *b = pb;
    if (a->value < b->value)
        return -1;
    if (a->value > b->value)
        return 1;
    return (a->index > b->index) - (a->index < b->index);
}

void hpo__sort_by_value(hpo__value_index *a, int n)
{
    qsort(a, (size_t)n, sizeof *a, by_value_then_index);
}

int hpo__grow(void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return HPO_OK;
    int ncap = *cap ? *cap : 4;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return HPO_ENOMEM;
    memset((char *)p + (size_t)*cap * elem, 0, (size_t)(ncap - *cap) * elem);
    *arr = p;
    *cap = ncap;
    return HPO_OK;
}

double hpo__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double hpo__monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The shortest %g precision that reads back exactly: users see "0.1", not
 * "0.10000000000000001", and nothing is lost. */
void hpo__format_double(char *buf, size_t size, double x)
{
    /* When 15 digits do not read back, no fewer do (a shorter rounding
     * that read back would make the 15-digit one, at least as close, read
     * back too): most computed doubles need 16 or 17, and the loop from 6
     * cost a dozen snprintf/strtod pairs each (CMA-ES states, members). */
    snprintf(buf, size, "%.15g", x);
    int from = strtod(buf, NULL) == x ? 6 : 16;
    for (int prec = from; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* ---- message buffers ---------------------------------------------------- */

/* What a handle says when even its message could not be allocated: never
 * freed, so running out of memory always leaves a message behind. */
static char oom_text[] = "out of memory";

void hpo__msg_take(hpo__msg *m, char *text)
{
    if (m->text != oom_text)
        free(m->text);
    m->text = text ? text : oom_text;
}

void hpo__msg_set(hpo__msg *m, const char *text)
{
    if (!text) {
        hpo__msg_free(m);
        return;
    }
    hpo__msg_take(m, hpo__strdup(text));
}

int hpo__fail(hpo__msg *m, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = hpo__vasprintf(fmt, ap);
    va_end(ap);
    hpo__msg_take(m, text);
    return code;
}

int hpo__oom(hpo__msg *m)
{
    hpo__msg_take(m, NULL);
    return HPO_ENOMEM;
}

const char *hpo__msg_get(const hpo__msg *m)
{
    return m && m->text ? m->text : "";
}

void hpo__msg_free(hpo__msg *m)
{
    if (m->text != oom_text)
        free(m->text);
    m->text = NULL;
}
