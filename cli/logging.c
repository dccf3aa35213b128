/*
 * logging.c — levels, destinations and timestamps of what the commands
 * say while they run (see logging.h).  One mutex orders every line and
 * the redrawn progress line, so lines from several threads never mix and
 * a line is never drawn over the live one.
 */
#define _GNU_SOURCE 1 /* vasprintf */
#include "logging.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static log_level terminal_level = LOG_INFO;
static log_level file_level = LOG_INFO;
static FILE *file;
static int tty = -1;     /* stderr is a terminal: -1 not asked yet */
static char *live_text;  /* the redrawn line, or NULL */
static int live_shown;

static const char level_letter[] = "DIWE";

int log_setup(const char *cmd, cli_run_opts *o)
{
    log_level level = o->verbose ? LOG_DEBUG : o->quiet ? LOG_ERROR
                                                        : LOG_INFO;
    if (o->have_log_level)
        level = (log_level)o->log_level;
    pthread_mutex_lock(&mu);
    terminal_level = level;
    /* The file keeps the run's record (info) even when the terminal is
     * quiet, and more when more is asked for. */
    file_level = level < LOG_INFO ? level : LOG_INFO;
    pthread_mutex_unlock(&mu);
    o->quiet = level > LOG_INFO;
    if (!o->log_file)
        return 0;
    FILE *f = fopen(o->log_file, "a");
    if (!f) {
        cli_error(cmd, "--log-file: cannot open '%s': %s", o->log_file,
                  strerror(errno));
        return CLI_EXIT_USAGE;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&mu);
    if (file)
        fclose(file);
    file = f;
    pthread_mutex_unlock(&mu);
    return 0;
}

void log_close(void)
{
    pthread_mutex_lock(&mu);
    if (file)
        fclose(file);
    file = NULL;
    free(live_text);
    live_text = NULL;
    pthread_mutex_unlock(&mu);
}

int log_terminal_wants(log_level level)
{
    return level >= terminal_level;
}

int log_wants(log_level level)
{
    return level >= terminal_level || (file && level >= file_level);
}

int log_live_terminal(void)
{
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    return tty && terminal_level <= LOG_INFO;
}

void log_stamp(log_level level, char *buf)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    char when[24];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, LOG_STAMP_MAX, "[%c %s] ", level_letter[level], when);
}

/* Call with the mutex held. */
static void erase_live(void)
{
    if (live_shown) {
        fputs("\r\033[K", stderr);
        live_shown = 0;
    }
}

static void draw_live(void)
{
    if (!live_text || !log_live_terminal())
        return;
    /* A line wider than the terminal would wrap and defeat the \r. */
    struct winsize ws;
    int width = (int)strlen(live_text);
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
        width >= ws.ws_col)
        width = ws.ws_col - 1;
    fprintf(stderr, "\r\033[K%.*s", width, live_text);
    live_shown = 1;
}

/* One line to each destination that wants it; stamped: a record. */
static void emit(log_level level, int stamped, const char *text)
{
    char stamp[LOG_STAMP_MAX];
    log_stamp(level, stamp);
    pthread_mutex_lock(&mu);
    if (level >= terminal_level) {
        erase_live();
        fprintf(stderr, "%s%s\n", stamped ? stamp : "", text);
        draw_live();
        fflush(stderr);
    }
    if (file && level >= file_level)
        fprintf(file, "%s%s\n", stamp, text);
    pthread_mutex_unlock(&mu);
}

static void emit_v(log_level level, int stamped, const char *fmt, va_list ap)
{
    if (!log_wants(level))
        return;
    char *text;
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    /* One line each: a child's text may hold line breaks. */
    for (char *c = text; c && *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    emit(level, stamped, text ? text : "out of memory");
    free(text);
}

void log_say(log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit_v(level, 0, fmt, ap);
    va_end(ap);
}

void log_record(log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit_v(level, 1, fmt, ap);
    va_end(ap);
}

void log_live(const char *text)
{
    pthread_mutex_lock(&mu);
    free(live_text);
    live_text = text ? strdup(text) : NULL;
    if (live_text) {
        draw_live();
    } else {
        erase_live();
    }
    fflush(stderr);
    pthread_mutex_unlock(&mu);
}

void log_file_error(const char *line)
{
    char stamp[LOG_STAMP_MAX];
    if (!file)
        return;
    log_stamp(LOG_ERROR, stamp);
    pthread_mutex_lock(&mu);
    if (file)
        fprintf(file, "%s%s\n", stamp, line);
    pthread_mutex_unlock(&mu);
}
