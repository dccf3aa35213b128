/*
 * mlp_checkpoint.c — the mlp training state to and from a file (format in
 * mlp.h), for resuming and for population-based training, where a member
 * copies another's checkpoint and goes on with other hyperparameters.
 *
 * Every number is written little-endian byte by byte, so a file moves
 * between machines; doubles keep their exact bits, so a resumed run is bit
 * for bit the run that was never stopped.  The payload's length is in the
 * header (a truncated file is named as such) and its FNV-1a 64-bit hash
 * (Fowler, Noll & Vo) at the end (any flipped byte is caught).  Writes go
 * to a temporary file in the same directory, fsync'd, then renamed over
 * the target: rename is atomic on POSIX file systems.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mlp.h"

#define MAGIC "HPOMLPCK"
#define VERSION 1u
#define HEADER_BYTES (8 + 4 + 8)
/* Fixed fields of the payload: 10 int32, 6 doubles, the rng, 1 int32 and
 * one u64 (the scaler's width and the parameter count). */
#define FIXED_BYTES (10 * 4 + 6 * 8 + 4 * 8 + 4 + 8)

typedef struct buf {
    unsigned char *p;
    size_t len, at;
    int short_read; /* a get ran past the end */
} buf;

static void put_u64(buf *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b->p[b->at++] = (unsigned char)(v >> (8 * i));
}

static void put_u32(buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[b->at++] = (unsigned char)(v >> (8 * i));
}

static void put_i32(buf *b, int v)
{
    put_u32(b, (uint32_t)v);
}

static void put_f64(buf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64(b, u);
}

static void put_f64s(buf *b, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_f64(b, v[i]);
}

static uint64_t get_u64(buf *b)
{
    if (b->len - b->at < 8) {
        b->short_read = 1;
        b->at = b->len;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b->p[b->at++] << (8 * i);
    return v;
}

static uint32_t get_u32(buf *b)
{
    if (b->len - b->at < 4) {
        b->short_read = 1;
        b->at = b->len;
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)b->p[b->at++] << (8 * i);
    return v;
}

static int get_i32(buf *b)
{
    return (int)(int32_t)get_u32(b);
}

static double get_f64(buf *b)
{
    uint64_t u = get_u64(b);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static void get_f64s(buf *b, double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = get_f64(b);
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ---- saving ----------------------------------------------------------------- */

static size_t payload_bytes(const hpo__mlp *t)
{
    return FIXED_BYTES + 2 * 8 * (size_t)t->scaler.n_features +
           2 * 8 * t->layout.n_params;
}

static void put_payload(buf *b, const hpo__mlp *t)
{
    const hpo__mlp_shape *s = &t->shape;
    put_i32(b, s->n_in);
    put_i32(b, s->n_hidden);
    put_i32(b, s->n_layers);
    put_i32(b, s->n_out);
    put_i32(b, s->regression);
    put_i32(b, t->opt.batch_size);
    put_i32(b, t->epoch);
    put_i32(b, t->diverged_at);
    put_i32(b, t->majority);
    put_i32(b, 0); /* reserved */
    put_f64(b, t->opt.lr);
    put_f64(b, t->opt.momentum);
    put_f64(b, t->opt.weight_decay);
    put_f64(b, t->last_loss);
    put_f64(b, t->y_mean);
    put_f64(b, t->y_sd);
    for (int i = 0; i < 4; i++)
        put_u64(b, t->rng.s[i]);
    put_i32(b, t->scaler.n_features);
    put_u64(b, (uint64_t)t->layout.n_params);
    put_f64s(b, t->scaler.mean, (size_t)t->scaler.n_features);
    put_f64s(b, t->scaler.std, (size_t)t->scaler.n_features);
    put_f64s(b, t->theta, t->layout.n_params);
    put_f64s(b, t->velocity, t->layout.n_params);
}

/* The whole file's bytes in a new buffer. */
static int encode(const hpo__mlp *t, buf *b, hpo__msg *m)
{
    size_t payload = payload_bytes(t);
    b->len = HEADER_BYTES + payload + 8;
    b->at = 0;
    b->p = malloc(b->len);
    if (!b->p)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    memcpy(b->p, MAGIC, 8);
    b->at = 8;
    put_u32(b, VERSION);
    put_u64(b, (uint64_t)payload);
    put_payload(b, t);
    put_u64(b, fnv1a(b->p + HEADER_BYTES, payload));
    return HPO_OK;
}

static int write_all(const char *tmp, const buf *b)
{
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    int ok = fwrite(b->p, 1, b->len, f) == b->len && fflush(f) == 0 &&
             fsync(fileno(f)) == 0;
    int err = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    errno = err;
    return ok ? 0 : -1;
}

int hpo__mlp_save(const hpo__mlp *t, const char *path, hpo__msg *m)
{
    buf b = {0};
    int rc = encode(t, &b, m);
    if (rc != HPO_OK)
        return rc;
    char *tmp = hpo__asprintf("%s.tmp.%ld", path, (long)getpid());
    if (!tmp) {
        free(b.p);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    if (write_all(tmp, &b) != 0 || rename(tmp, path) != 0) {
        rc = hpo__fail(m, HPO_EIO, "%s: cannot write the checkpoint: %s",
                       path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    free(b.p);
    return rc;
}

/* ---- loading ---------------------------------------------------------------- */

static int read_file(const char *path, buf *b, hpo__msg *m)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hpo__fail(m, errno == ENOENT ? HPO_EINVAL : HPO_EIO,
                         "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    unsigned char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *more = realloc(p, cap * 2);
            if (!more)
                free(p);
            p = more;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!p)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    if (err) {
        free(p);
        return hpo__fail(m, HPO_EIO, "%s: read error", path);
    }
    *b = (buf){.p = p, .len = len};
    return HPO_OK;
}

/* Magic, version, length and checksum; b->at is left at the payload. */
static int check_frame(const char *path, buf *b, hpo__msg *m)
{
    if (b->len < HEADER_BYTES || memcmp(b->p, MAGIC, 8) != 0)
        return hpo__fail(m, HPO_EINVAL, "%s: not an hpo mlp checkpoint",
                         path);
    b->at = 8;
    uint32_t version = get_u32(b);
    if (version != VERSION)
        return hpo__fail(m, HPO_EINVAL, "%s: checkpoint version %u, this "
                         "build reads version %u", path, version, VERSION);
    uint64_t payload = get_u64(b);
    uint64_t need = (uint64_t)HEADER_BYTES + payload + 8;
    if (payload > b->len || b->len != need)
        return hpo__fail(m, HPO_EINVAL, "%s: truncated or padded checkpoint "
                         "(%zu bytes, the header says %llu)", path, b->len,
                         (unsigned long long)need);
    buf tail = {.p = b->p, .len = b->len, .at = b->len - 8};
    if (get_u64(&tail) != fnv1a(b->p + HEADER_BYTES, (size_t)payload))
        return hpo__fail(m, HPO_EINVAL, "%s: checkpoint is corrupt (checksum "
                         "mismatch)", path);
    b->len -= 8; /* the payload ends before the checksum */
    return HPO_OK;
}

/* The fixed fields into t's shape and state (before allocation). */
static void get_fixed(buf *b, hpo__mlp *t, int *n_features,
                      uint64_t *n_params)
{
    hpo__mlp_shape *s = &t->shape;
    s->n_in = get_i32(b);
    s->n_hidden = get_i32(b);
    s->n_layers = get_i32(b);
    s->n_out = get_i32(b);
    s->regression = get_i32(b);
    t->opt.batch_size = get_i32(b);
    t->epoch = get_i32(b);
    t->diverged_at = get_i32(b);
    t->majority = get_i32(b);
    (void)get_i32(b);
    t->opt.lr = get_f64(b);
    t->opt.momentum = get_f64(b);
    t->opt.weight_decay = get_f64(b);
    t->last_loss = get_f64(b);
    t->y_mean = get_f64(b);
    t->y_sd = get_f64(b);
    for (int i = 0; i < 4; i++)
        t->rng.s[i] = get_u64(b);
    *n_features = get_i32(b);
    *n_params = get_u64(b);
}

static int decode(const char *path, buf *b, hpo__mlp **out, hpo__msg *m)
{
    hpo__mlp probe = {0};
    int n_features;
    uint64_t n_params;
    get_fixed(b, &probe, &n_features, &n_params);
    hpo__msg inner = {0};
    int rc = hpo__mlp_shape_check(&probe.shape, &inner);
    if (rc == HPO_OK)
        rc = hpo__mlp_opt_check(&probe.opt, &inner);
    hpo__mlp_layout lay;
    if (rc == HPO_OK) {
        hpo__mlp_layout_of(&probe.shape, &lay);
        if (b->short_read || n_features != probe.shape.n_in || n_params != lay.n_params ||
            b->len - b->at != 16 * ((size_t)n_features + lay.n_params) ||
            probe.epoch < 0 || probe.diverged_at < 0)
            rc = hpo__fail(&inner, HPO_EINVAL, "sizes do not agree");
    }
    if (rc != HPO_OK) {
        rc = hpo__fail(m, HPO_EINVAL, "%s: inconsistent checkpoint: %s",
                       path, hpo__msg_get(&inner));
        hpo__msg_free(&inner);
        return rc;
    }
    hpo__mlp *t;
    if ((rc = hpo__mlp_new(&t, &probe.shape, &probe.opt, 0, m)))
        return rc;
    hpo__rng keep_rng = probe.rng;
    t->epoch = probe.epoch;
    t->diverged_at = probe.diverged_at;
    t->majority = probe.majority;
    t->last_loss = probe.last_loss;
    t->y_mean = probe.y_mean;
    t->y_sd = probe.y_sd;
    t->rng = keep_rng;
    get_f64s(b, t->scaler.mean, (size_t)n_features);
    get_f64s(b, t->scaler.std, (size_t)n_features);
    get_f64s(b, t->theta, lay.n_params);
    get_f64s(b, t->velocity, lay.n_params);
    *out = t;
    return HPO_OK;
}

int hpo__mlp_load(const char *path, hpo__mlp **out, hpo__msg *m)
{
    *out = NULL;
    buf b = {0};
    int rc = read_file(path, &b, m);
    if (rc != HPO_OK)
        return rc;
    rc = check_frame(path, &b, m);
    if (rc == HPO_OK)
        rc = decode(path, &b, out, m);
    free(b.p);
    return rc;
}
