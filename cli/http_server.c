/*
 * http_server.c — the dashboard's HTTP server on libmicrohttpd, with its
 * safety rules (see http_server.h).
 */
#include "http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "core/lazy_lib.h"

/* libmicrohttpd is opened when a dashboard starts (lazy_lib.h): with
 * GnuTLS under it, it cost every start of hpo, where few runs serve. */
#define MHD_FUNCTIONS(X, t)                                                   \
    X(t, MHD_add_response_header) X(t, MHD_create_response_from_buffer)       \
    X(t, MHD_destroy_response) X(t, MHD_get_daemon_info)                      \
    X(t, MHD_lookup_connection_value) X(t, MHD_queue_response)                \
    X(t, MHD_start_daemon) X(t, MHD_stop_daemon)
HPO__LAZY_LIBRARY(mhd, MHD_FUNCTIONS, HPO_SONAME_MHD, "libmicrohttpd12");

struct http_server {
    struct MHD_Daemon *daemon;
    http_handler handler;
    void *data;
    int port, loopback;
};

struct http_request {
    struct MHD_Connection *connection;
    const char *path;
};

const char *http_request_path(const http_request *rq)
{
    return rq->path;
}

const char *http_request_query(const http_request *rq, const char *name)
{
    return mhd.MHD_lookup_connection_value(rq->connection,
                                           MHD_GET_ARGUMENT_KIND, name);
}

const char *http_request_if_none_match(const http_request *rq)
{
    return mhd.MHD_lookup_connection_value(rq->connection, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_IF_NONE_MATCH);
}

/* Same-origin everything; inline script and style, since a report is one
 * self-contained file and the dashboard serves the same pages. */
static const char security_policy[] =
    "default-src 'none'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

static void add_headers(struct MHD_Response *r, const http_reply *reply)
{
    mhd.MHD_add_response_header(r, "Content-Type",
                                reply->type ? reply->type
                                        : "text/plain; charset=utf-8");
    mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    mhd.MHD_add_response_header(r, "X-Frame-Options", "DENY");
    mhd.MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    mhd.MHD_add_response_header(r, "Content-Security-Policy", security_policy);
    mhd.MHD_add_response_header(r, "Cache-Control",
                                reply->cacheable ? "max-age=3600" : "no-store");
    if (reply->etag[0])
        mhd.MHD_add_response_header(r, "ETag", reply->etag);
}

static enum MHD_Result send_reply(struct MHD_Connection *c,
                                  http_reply *reply)
{
    struct MHD_Response *r;
    if (reply->body)
        r = mhd.MHD_create_response_from_buffer(reply->length, reply->body,
                                                MHD_RESPMEM_MUST_FREE);
    else
        r = mhd.MHD_create_response_from_buffer(
            reply->fixed ? strlen(reply->fixed) : 0,
            (void *)(reply->fixed ? reply->fixed : ""),
            MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(reply->body);
        return MHD_NO;
    }
    add_headers(r, reply);
    if (reply->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        mhd.MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ok = mhd.MHD_queue_response(c, (unsigned)reply->status, r);
    mhd.MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *c, int status,
                              const char *why)
{
    http_reply reply = {status, "text/plain; charset=utf-8", NULL, 0, why,
                        "", 0};
    return send_reply(c, &reply);
}

/* "127.0.0.1:8080", "localhost", "[::1]:8080": what a browser sends for a
 * loopback URL.  Anything else means a page of another name reached us. */
static int host_is_loopback(const char *host)
{
    if (!host)
        return 0;
    if (host[0] == '[')
        return strncmp(host, "[::1]", 5) == 0 &&
               (host[5] == 0 || host[5] == ':');
    char name[64];
    size_t n = strcspn(host, ":");
    if (n >= sizeof name)
        return 0;
    memcpy(name, host, n);
    name[n] = 0;
    struct in_addr a;
    if (inet_pton(AF_INET, name, &a) == 1)
        return (ntohl(a.s_addr) >> 24) == 127;
    return strcasecmp(name, "localhost") == 0;
}

static int carries_body(struct MHD_Connection *c)
{
    const char *length = mhd.MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *chunked = mhd.MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    return chunked || (length && strcmp(length, "0") != 0);
}

static int etag_matches(const http_request *rq, const http_reply *reply)
{
    const char *tag = http_request_if_none_match(rq);
    return reply->etag[0] && tag && strcmp(tag, reply->etag) == 0;
}

static enum MHD_Result serve(http_server *s, struct MHD_Connection *c,
                             const char *path)
{
    http_request rq = {c, path};
    http_reply reply = {0};
    reply.status = 200;
    if (s->handler(s->data, &rq, &reply) != 0) {
        free(reply.body);
        return refuse(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    }
    if (reply.status == 200 && etag_matches(&rq, &reply)) {
        free(reply.body);
        reply.body = NULL;
        reply.fixed = NULL;
        reply.status = MHD_HTTP_NOT_MODIFIED;
    }
    return send_reply(c, &reply);
}

/* libmicrohttpd's request callback.  Every request is answered on its
 * first call, before any body is read; later calls (a body the client
 * sent anyway) are swallowed. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **state)
{
    static int answered;
    http_server *s = cls;
    (void)version;
    (void)upload_data;
    if (*state) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    *state = &answered;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                      "read-only: GET and HEAD only\n");
    if (carries_body(c))
        return refuse(c, MHD_HTTP_CONTENT_TOO_LARGE,
                      "requests may not carry a body\n");
    if (strlen(url) > HTTP_MAX_PATH)
        return refuse(c, MHD_HTTP_URI_TOO_LONG, "path too long\n");
    if (s->loopback &&
        !host_is_loopback(mhd.MHD_lookup_connection_value(
            c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return refuse(c, MHD_HTTP_FORBIDDEN,
                      "this server answers only to a loopback host name\n");
    return serve(s, c, url);
}

static int resolve(const char *host, int port, struct sockaddr_storage *addr,
                   socklen_t *len, char *err, size_t err_size)
{
    struct addrinfo hints = {0}, *found = NULL;
    char service[16];
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(service, sizeof service, "%d", port);
    int rc = getaddrinfo(host, service, &hints, &found);
    if (rc != 0) {
        snprintf(err, err_size, "--host %s: %s", host, gai_strerror(rc));
        return -1;
    }
    memcpy(addr, found->ai_addr, found->ai_addrlen);
    *len = found->ai_addrlen;
    freeaddrinfo(found);
    return 0;
}

static int address_is_loopback(const struct sockaddr_storage *addr)
{
    if (addr->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
        return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
    return IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
}

http_server *http_server_start(const char *host, int port,
                               http_handler handler, void *data, char *err,
                               size_t err_size)
{
    struct sockaddr_storage addr;
    socklen_t len;
    const char *why_not = hpo__lazy_lib_load(&mhd_lib);
    if (why_not) {
        snprintf(err, err_size, "%s", why_not);
        return NULL;
    }
    if (resolve(host, port, &addr, &len, err, err_size) != 0)
        return NULL;
    http_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->handler = handler;
    s->data = data;
    s->loopback = address_is_loopback(&addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = mhd.MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_REQUEST_HEAD,
        MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, err_size, "cannot listen on %s port %d (in use, or "
                 "not an address of this machine)", host, port);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info =
        mhd.MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    return s;
}

int http_server_port(const http_server *s)
{
    return s->port;
}

int http_server_is_loopback(const http_server *s)
{
    return s->loopback;
}

void http_server_stop(http_server *s)
{
    if (!s)
        return;
    mhd.MHD_stop_daemon(s->daemon);
    free(s);
}
