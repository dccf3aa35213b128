/*
 * lazy_lib.c — a shared library opened on its first use (lazy_lib.h).
 */
#include "lazy_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* One lock for all libraries: each is opened once, at its first use. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(hpo__lazy_lib *lib, const char *why)
{
    snprintf(lib->error, sizeof lib->error,
             "cannot load %s (%s); install %s", lib->soname,
             why ? why : "unknown error", lib->package);
}

static void load(hpo__lazy_lib *lib)
{
    /* RTLD_NOW: a missing symbol shows here, not as a crash mid-fit. */
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fail(lib, dlerror());
        return;
    }
    for (int i = 0; i < lib->n_syms; i++) {
        dlerror();
        void *p = dlsym(h, lib->syms[i].name);
        if (!p) {
            char why[160];
            snprintf(why, sizeof why, "no symbol %s", lib->syms[i].name);
            fail(lib, why);
            return; /* never closed: a half-filled table is not used */
        }
        *lib->syms[i].slot = p;
    }
    lib->loaded = 1;
}

const char *hpo__lazy_lib_load(hpo__lazy_lib *lib)
{
    pthread_mutex_lock(&lock);
    if (!lib->tried) {
        lib->tried = 1;
        load(lib);
    }
    int loaded = lib->loaded;
    pthread_mutex_unlock(&lock);
    return loaded ? NULL : lib->error;
}
