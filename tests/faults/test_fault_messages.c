/*
 * test_fault_messages.c — every failure says why, off the main sweep's
 * path (HPO_FAULTS builds; src/core/faults.h).
 *
 * test_fault_sweep.c checks the invariants of one study shape; this runs
 * the paths it does not take — every registered sampler over a declared
 * space (ask, suggest_all, tell), heartbeats, retries of failed trials —
 * with the Nth allocation failed, N = 1, 2, ... until the run makes fewer
 * calls, and checks after each run:
 *
 *   1. a call that failed returned a negative code and a non-empty
 *      message, `out of memory` for HPO_ENOMEM (a bare HPO_ENOMEM from a
 *      helper once reached the caller with an empty message);
 *   2. nothing crashed (ASan/UBSan abort) and nothing leaked.
 *
 * CI sweeps every N up to 64 (opening and the first ask: one-time setup)
 * and samples the rest with a stride; HPO_FAULT_SWEEP=full sweeps every N.
 */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() __lsan_do_recoverable_leak_check()
#else
#define LEAK_CHECK() 0
#endif

#include "check.h"
#include "core/faults.h"
#include "hpo.h"

/* Every N up to DENSE, then about BUDGET more in CI (every N by hand). */
#define DENSE 64
#define BUDGET 20
#define TRIALS 4

typedef struct scenario {
    const char *name;
    const char *sampler; /* NULL: the default */
    const char *url;     /* NULL: memory: */
    int heartbeat;       /* with heartbeats and one retry of a FAIL */
} scenario;

/* The first call that failed, and what its handle said. */
typedef struct outcome {
    const char *call;
    int rc;
    char msg[256];
} outcome;

static int note(outcome *o, const char *call, int rc, const char *msg)
{
    if (rc >= 0)
        return 0;
    o->call = call;
    o->rc = rc;
    snprintf(o->msg, sizeof o->msg, "%s", msg ? msg : "");
    return 1;
}

/* Each step calls first, then reads the message (argument order is
 * unspecified, so never both in one call's arguments). */
#define STEP(o, call, expr, handle_msg)                                   \
    do {                                                                  \
        int step_rc_ = (expr);                                            \
        if (note((o), (call), step_rc_, (handle_msg)))                   \
            goto out;                                                     \
    } while (0)

static hpo_space *make_space(void)
{
    static const char *const kinds[] = {"a", "b", "c"};
    hpo_space *sp = hpo_space_new();
    if (!sp || hpo_space_add_float(sp, "x", -1, 1, 0, 0) ||
        hpo_space_add_int(sp, "n", 1, 4, 1, 0) ||
        hpo_space_add_categorical(sp, "c", kinds, 3)) {
        hpo_space_free(sp);
        return NULL;
    }
    return sp;
}

static void run_trials(hpo_study *s, const scenario *sc, outcome *o)
{
    for (int i = 0; i < TRIALS; i++) {
        hpo_trial *t = NULL;
        STEP(o, "ask", hpo_study_ask(s, &t), hpo_study_errmsg(s));
        STEP(o, "suggest_all", hpo_trial_suggest_all(t), hpo_trial_errmsg(t));
        double x = 0;
        hpo_trial_param(t, "x", &x);
        /* with retries, the second trial fails and is enqueued again */
        hpo_trial_state state =
            sc->heartbeat && i == 1 ? HPO_FAIL : HPO_COMPLETE;
        STEP(o, "tell", hpo_study_tell(s, t, state, &x, 1),
             hpo_trial_errmsg(t));
    out:
        hpo_trial_free(t);
        if (o->call)
            return;
    }
}

/* The database and its WAL files, so each run starts empty. */
static void remove_db(const char *url)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char path[160];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", url + strlen("sqlite:///"),
                 tails[i]);
        unlink(path);
    }
}

/* One run with the nth allocation failed (0: none); 1 if it fired. */
static int run_at(const scenario *sc, const char *url, long n, outcome *o)
{
    memset(o, 0, sizeof *o);
    if (sc->url)
        remove_db(url);
    hpo_space *sp = make_space();
    CHECK(sp != NULL);
    hpo__fault_arm(HPO__FAULT_ALLOC, n, 0, NULL);
    hpo_storage *st = NULL;
    hpo_study *s = NULL;
    STEP(o, "storage_open", hpo_storage_open(&st, url),
         hpo_storage_errmsg(st));
    s = hpo_study_new();
    STEP(o, "study_new", s ? HPO_OK : HPO_ENOMEM, "out of memory");
    hpo_study_set_storage(s, st);
    hpo_study_set_seed(s, 3);
    STEP(o, "set_space", hpo_study_set_space(s, sp), hpo_study_errmsg(s));
    if (sc->sampler)
        STEP(o, "set_sampler", hpo_study_set_sampler(s, sc->sampler),
             hpo_study_errmsg(s));
    if (sc->heartbeat) {
        STEP(o, "set_heartbeat", hpo_study_set_heartbeat(s, 3600, 0),
             hpo_study_errmsg(s));
        STEP(o, "set_retry_failed", hpo_study_set_retry_failed(s, 1),
             hpo_study_errmsg(s));
    }
    STEP(o, "study_open", hpo_study_open(s, "m", HPO_OPEN_CREATE),
         hpo_study_errmsg(s));
    run_trials(s, sc, o);
out:
    hpo_study_free(s);
    hpo_storage_close(st);
    hpo__fault_disarm();
    hpo_space_free(sp);
    return hpo__fault_fired(HPO__FAULT_ALLOC);
}

static int full_sweep(void)
{
    const char *mode = getenv("HPO_FAULT_SWEEP");
    return mode && !strcmp(mode, "full");
}

/* Run at n and check what the failure said; 0 once n passes the calls. */
static int check_at(const scenario *sc, const char *url, long n, long *errors,
                    long *leaks)
{
    outcome o;
    if (!run_at(sc, url, n, &o))
        return 0;
    if (o.call) {
        (*errors)++;
        int clear = o.msg[0] &&
                    (o.rc != HPO_ENOMEM || strstr(o.msg, "out of memory"));
        if (!clear || getenv("HPO_FAULT_SWEEP_VERBOSE"))
            fprintf(stderr, "  %s N=%ld: %s -> %s: '%s'\n", sc->name, n,
                    o.call, hpo_errname(o.rc), o.msg);
        CHECK(clear);
    }
    int leaked = LEAK_CHECK() != 0;
    *leaks += leaked;
    CHECK(!leaked);
    return 1;
}

/* Every N up to DENSE (opening and the first trials, where each one-time
 * setup is: a heartbeat thread, a grid, a model), then a sample in CI. */
static void sweep(const scenario *sc, const char *url, long *total)
{
    outcome o;
    run_at(sc, url, 0, &o);
    CHECK(o.call == NULL); /* the clean run works */
    if (o.call)
        fprintf(stderr, "  %s clean run: %s: %s\n", sc->name, o.call, o.msg);
    long calls = hpo__fault_calls(HPO__FAULT_ALLOC);
    long rest = calls > DENSE ? calls - DENSE : 0;
    long stride = full_sweep() || rest <= BUDGET ? 1
                                                 : (rest + BUDGET - 1) / BUDGET;
    long runs = 0, errors = 0, leaks = 0, n = 1;
    for (; n <= DENSE && check_at(sc, url, n, &errors, &leaks); n++)
        runs++;
    if (n > DENSE) {
        n += stride > 1 ? (long)(time(NULL) % stride) : 0;
        for (; check_at(sc, url, n, &errors, &leaks); n += stride)
            runs++;
    }
    fprintf(stderr, "%-24s alloc: %6ld calls, N 1..%d each, then step %ld: "
                    "%4ld faults, %4ld errors, %ld leaks\n",
            sc->name, calls, DENSE, stride, runs, errors, leaks);
    CHECK(runs > 0);
    *total += runs;
}

int main(void)
{
    static scenario samplers[32];
    static char names[32][48];
    int n = 0;
    const char *name;
    for (int i = 0; n < 32 && (name = hpo_sampler_name(i, NULL)); i++, n++) {
        snprintf(names[n], sizeof names[n], "sampler %s", name);
        samplers[n] = (scenario){.name = names[n], .sampler = name};
    }
    long total = 0;
    for (int i = 0; i < n; i++)
        sweep(&samplers[i], "memory:", &total);

    char dir[64] = "/dev/shm/hpo-fault-msg-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(dir, sizeof dir, "/tmp/hpo-fault-msg-XXXXXX");
        CHECK(mkdtemp(dir) != NULL);
    }
    char url[128];
    snprintf(url, sizeof url, "sqlite:///%s/m.db", dir);
    const scenario beat = {.name = "sqlite heartbeat+retry",
                           .sampler = "random", .url = url, .heartbeat = 1};
    sweep(&beat, url, &total);
    remove_db(url);
    rmdir(dir);
    fprintf(stderr, "fault messages (%s): %ld faults injected\n",
            full_sweep() ? "full" : "sampled", total);
    return CHECK_DONE();
}
