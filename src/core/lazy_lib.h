/*
 * lazy_lib.h — a shared library opened on its first use (dlopen), not
 * when hpo starts.
 *
 * Why: every library hpo links is mapped, relocated and initialized at
 * each start, even by commands that never call it.  XGBoost (with
 * libstdc++ and its static registries), libsvm and liblinear cost a
 * program like `hpo race`, which starts once per run and then only
 * spawns children, more of its own time than any of its work.  The
 * learners open them when a learner is first fitted instead.
 *
 * Use: an X-macro FUNCTIONS(X, t) lists the functions as X(t, name);
 * HPO__LAZY_LIBRARY(t, FUNCTIONS, soname, package) then declares `t`, a
 * table of pointers with the functions' own types (checked against the
 * library's header), and `t_lib`, for hpo__lazy_lib_load; calls are
 * t.name(...).  All symbols are looked up at once, so a table is either
 * complete or not used.
 *
 * Invariants:
 *   1. hpo__lazy_lib_load is thread-safe and opens a library once; a
 *      failure is remembered (with its message) and returned again.
 *   2. The library is never closed: pointers taken from it stay valid
 *      for the life of the process.
 */
#ifndef HPO_LAZY_LIB_H
#define HPO_LAZY_LIB_H

#define HPO__LAZY_FIELD(table, f) __typeof__(f) *f;
#define HPO__LAZY_SYM(table, f) {#f, (void **)&(table).f},

typedef struct hpo__lazy_sym {
    const char *name;
    void **slot;
} hpo__lazy_sym;

typedef struct hpo__lazy_lib {
    const char *soname;  /* what dlopen is given, e.g. "libxgboost.so.0" */
    const char *package; /* the Debian package that ships it, for errors */
    const hpo__lazy_sym *syms;
    int n_syms;
    int tried, loaded; /* under lazy_lib.c's lock */
    char error[256];
} hpo__lazy_lib;

#define HPO__LAZY_LIB(soname, package, syms)                                  \
    {(soname), (package), (syms), (int)(sizeof(syms) / sizeof((syms)[0])),    \
     0, 0, {0}}

/* A file's own lazily opened library: the table `t` and `t_lib`. */
#define HPO__LAZY_LIBRARY(t, functions, soname, package)                      \
    static struct {                                                           \
        functions(HPO__LAZY_FIELD, t)                                         \
    } t;                                                                      \
    static const hpo__lazy_sym t##_syms[] = {functions(HPO__LAZY_SYM, t)};    \
    static hpo__lazy_lib t##_lib = HPO__LAZY_LIB(soname, package, t##_syms)

/* Open the library and fill its table, once.  NULL when it is usable,
 * else why not, as "cannot load LIB (dlerror); install PACKAGE". */
const char *hpo__lazy_lib_load(hpo__lazy_lib *lib);

#endif
