/*
 * jsontext.h — the two JSON conversions the tool needs for attributes,
 * which the library stores as JSON text.
 */
#ifndef HPO_CLI_JSONTEXT_H
#define HPO_CLI_JSONTEXT_H

/* `text` as a JSON string literal ("\"a\\nb\""); malloc'd, NULL if out
 * of memory.  Bytes that are not valid UTF-8 are replaced by '?', so the
 * result always parses. */
char *json_quote(const char *text);
/* The string a JSON string literal holds, or for any other JSON value its
 * text as given; malloc'd; NULL for NULL or out of memory. */
char *json_unquote(const char *json);

/* Text a user gave as a value (`@hpo attr`, `hpo tell --attr`) as the
 * JSON an attribute holds: itself when it is JSON (0.93, 12, true,
 * [1, 2], {"a": 1}, "text"), a JSON number when it is another finite C
 * number (.5, 0x10, +1), else a JSON string (nan, some words).  malloc'd,
 * NULL if out of memory. */
char *json_from_text(const char *value);

/* Offset of the first byte of text that is not valid UTF-8 (the library's
 * rule: what PostgreSQL and Python accept), or -1. */
long json_invalid_utf8(const char *text);

#endif
