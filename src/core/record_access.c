/*
 * record_access.c — the read-only view plug-ins have of stored trials and
 * of parameter domains (hpo_record_*, hpo_dist_*, include/hpo_plugin.h).
 * The structs stay opaque to plug-ins outside the tree, so the core can
 * change them without breaking a registered plug-in.
 */
#include <math.h>

#include "plugin.h"

int hpo_record_number(const hpo_record *r)
{
    return r->number;
}

hpo_trial_state hpo_record_state(const hpo_record *r)
{
    return r->state;
}

int hpo_record_n_values(const hpo_record *r)
{
    return r->n_values;
}

double hpo_record_value(const hpo_record *r, int i)
{
    return i >= 0 && i < r->n_values ? r->values[i] : NAN;
}

int hpo_record_n_params(const hpo_record *r)
{
    return r->n_params;
}

const char *hpo_record_param_name(const hpo_record *r, int i)
{
    return i >= 0 && i < r->n_params ? r->params[i].name : NULL;
}

double hpo_record_param_value(const hpo_record *r, int i)
{
    return i >= 0 && i < r->n_params ? r->params[i].internal : NAN;
}

const hpo_dist *hpo_record_param_dist(const hpo_record *r, int i)
{
    return i >= 0 && i < r->n_params ? &r->params[i].dist : NULL;
}

int hpo_record_param_index(const hpo_record *r, const char *name)
{
    const hpo__param *p = hpo__rec_param(r, name);
    return p ? (int)(p - r->params) : -1;
}

int hpo_record_n_intermediate(const hpo_record *r)
{
    return r->n_inter;
}

void hpo_record_intermediate(const hpo_record *r, int i, int64_t *step,
                             double *value)
{
    int ok = i >= 0 && i < r->n_inter;
    if (step)
        *step = ok ? r->inter[i].step : -1;
    if (value)
        *value = ok ? r->inter[i].value : NAN;
}

const char *hpo_record_system_attr(const hpo_record *r, const char *key)
{
    return hpo__attrs_get(&r->system_attrs, key);
}

const char *hpo_record_user_attr(const hpo_record *r, const char *key)
{
    return hpo__attrs_get(&r->user_attrs, key);
}

hpo_param_kind hpo_dist_kind(const hpo_dist *d)
{
    switch (d->kind) {
    case HPO__INT:
        return HPO_PARAM_INT;
    case HPO__CATEGORICAL:
        return HPO_PARAM_CATEGORICAL;
    default:
        return HPO_PARAM_FLOAT;
    }
}

double hpo_dist_low(const hpo_dist *d)
{
    return d->low;
}

double hpo_dist_high(const hpo_dist *d)
{
    return d->high;
}

int hpo_dist_is_log(const hpo_dist *d)
{
    return d->log;
}

double hpo_dist_step(const hpo_dist *d)
{
    return d->step;
}

int hpo_dist_n_choices(const hpo_dist *d)
{
    return d->kind == HPO__CATEGORICAL ? d->n_choices : 0;
}

const char *hpo_dist_choice(const hpo_dist *d, int i)
{
    return d->kind == HPO__CATEGORICAL && i >= 0 && i < d->n_choices
               ? d->choices[i]
               : NULL;
}

double hpo_dist_to_unit(const hpo_dist *d, double internal)
{
    return hpo__dist_to_unit(d, internal);
}

double hpo_dist_from_unit(const hpo_dist *d, double unit)
{
    return hpo__dist_from_unit(d, unit);
}

const hpo_dist *hpo_space_dist(const hpo_space *space, int i)
{
    return space && i >= 0 && i < space->n ? &space->p[i].dist : NULL;
}
