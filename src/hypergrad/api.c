/*
 * api.c — hpo_study_hypergrad (include/hpo.h): the hypergradient optimizer
 * (implicit differentiation, Pedregosa 2016 / Lorraine et al. 2020;
 * through SGD, Franceschi et al. 2017) on a data file, each outer step a
 * trial of an open study.  Everything is checked and built (session.c)
 * before the first trial is stored, so bad input stores nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/study.h"
#include "session.h"

void hpo_hypergrad_options_default(hpo_hypergrad_options *o)
{
    if (!o)
        return;
    hpo__sgd_config c;
    hpo__sgd_config_default(&c);
    *o = (hpo_hypergrad_options){
        .steps = 30, .step_size = 0.3, .tol0 = 1e-6, .epochs = c.epochs,
        .batch = c.batch, .hidden = c.hidden, .truncate = c.truncate};
}

void hpo_hypergrad_result_free(hpo_hypergrad_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->names && i < r->n_hyper; i++)
        free(r->names[i]);
    free(r->names);
    free(r->best);
    memset(r, 0, sizeof *r);
}

/* Trials go to the study as minimized values of one objective. */
static int check_study(hpo_study *s)
{
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    if (s->n_dirs != 1 || s->dirs[0] != HPO_MINIMIZE)
        return hpo__fail(&s->msg, HPO_EINVAL, "hypergrad: the study must "
                         "have one objective, minimized (the validation "
                         "loss)");
    return HPO_OK;
}

int hpo_study_hypergrad(hpo_study *study, const hpo_hypergrad_options *o,
                        hpo_hypergrad_result *r)
{
    hpo_hypergrad_result scratch;
    if (!r)
        r = &scratch;
    memset(r, 0, sizeof *r);
    r->val_loss = r->test_loss = r->val_metric = NAN;
    if (!study)
        return HPO_EINVAL;
    int rc = check_study(study);
    if (rc != HPO_OK)
        return rc;
    hpo__hg_session s;
    rc = hpo__hg_session_open(&s, o, &study->msg);
    if (rc != HPO_OK)
        return rc;
    rc = hpo__hg_session_descend(&s, study, r, &study->msg);
    hpo__hg_session_close(&s);
    if (r == &scratch)
        hpo_hypergrad_result_free(r);
    return rc;
}
