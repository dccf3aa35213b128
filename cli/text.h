/*
 * text.h — is a child's output text, and making it text for messages.
 *
 * A child may print anything: binary data, NUL bytes, invalid UTF-8,
 * terminal control sequences.  Only text may give a trial its value, and
 * whatever hpo quotes from such output (in a message, or stored as an
 * attribute that Python Optuna must be able to read) is made text first.
 */
#ifndef HPO_CLI_TEXT_H
#define HPO_CLI_TEXT_H

#include <stddef.h>

/* Are the n bytes of s text: valid UTF-8 with no NUL and no control byte
 * other than tab, carriage return, backspace and escape (progress bars
 * and terminal colours)?  1 or 0. */
int text_is_clean(const char *s, size_t n);

/* s[0..n) for a message: at most `max` bytes of it, cut at a character
 * boundary with "..." added when cut, and every control byte (tab and
 * escape too) and every byte that is not valid UTF-8 written as \xNN.
 * out gets at most size-1 bytes and a NUL. */
void text_excerpt(char *out, size_t size, const char *s, size_t n,
                  size_t max);

#endif
