/*
 * http_server.h — a small read-only HTTP server for `hpo dashboard`, on
 * libmicrohttpd, that enforces the dashboard's safety rules before any
 * page code runs:
 *
 *   - GET and HEAD only (405 otherwise); a request that carries a body
 *     is refused (413) without reading it;
 *   - paths longer than HTTP_MAX_PATH bytes are refused (414), and the
 *     whole request head is bounded by HTTP_MAX_REQUEST_HEAD (libmicrohttpd
 *     answers beyond it);
 *   - on a loopback address, the Host header must name loopback too (a
 *     web page elsewhere cannot reach the server by DNS rebinding);
 *   - every answer carries nosniff, no framing and a same-origin content
 *     security policy.
 *
 * Nothing is ever read from the file system: the handler maps a path to
 * content it builds, so "../" has nothing to climb.  Requests are served
 * one at a time by libmicrohttpd's own thread, so the handler needs no
 * locking of its own.
 */
#ifndef HPO_CLI_HTTP_SERVER_H
#define HPO_CLI_HTTP_SERVER_H

#include <stddef.h>

#define HTTP_MAX_PATH 512
#define HTTP_MAX_REQUEST_HEAD (16 * 1024)

typedef struct http_request http_request;

/* The decoded path ("/api/studies") and a query argument by name (NULL
 * when absent). */
const char *http_request_path(const http_request *rq);
const char *http_request_query(const http_request *rq, const char *name);
/* The request's If-None-Match header, or NULL: a handler whose answer is
 * unchanged can skip making its body (the server answers 304 when the
 * reply's etag matches it). */
const char *http_request_if_none_match(const http_request *rq);

typedef struct http_reply {
    int status;            /* 200, 404, ... */
    const char *type;      /* Content-Type */
    char *body;            /* owned by the server once handed over */
    size_t length;
    const char *fixed;     /* or a static body (then body is NULL) */
    char etag[40];         /* "" for none; a match answers 304 */
    int cacheable;         /* assets: may be cached; pages and data: not */
} http_reply;

/* Fill *out for the request; return 0, or -1 when out of memory (500). */
typedef int (*http_handler)(void *data, const http_request *rq,
                            http_reply *out);

typedef struct http_server http_server;

/*
 * Serve on host:port (host a numeric address or "localhost"; port 0 picks
 * a free one).  Returns NULL with a message in err on failure (address in
 * use, unknown host).
 */
http_server *http_server_start(const char *host, int port,
                               http_handler handler, void *data, char *err,
                               size_t err_size);
/* The port actually bound, and whether the address is loopback. */
int http_server_port(const http_server *s);
int http_server_is_loopback(const http_server *s);
void http_server_stop(http_server *s);

#endif
