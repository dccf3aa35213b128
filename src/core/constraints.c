/*
 * constraints.c — constraint values of a trial, stored as Optuna stores
 * what its constraints_func returns: the trial system attribute
 * "constraints", a JSON list of numbers.  A trial is feasible when every
 * value is <= 0 (a trial without the attribute is feasible).
 *
 * Samplers read the violation (the sum of the positive values) to prefer
 * feasible regions; the best trial and the Pareto front hold only feasible
 * trials.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "study.h"

#define CONSTRAINTS_KEY "constraints"

/* Parse the stored list into c[0..max-1]: the number of values (which may
 * exceed max), 0 when there is none, -1 when the text is not a list of
 * numbers. */
static int parse_constraints(const hpo__trial_rec *t, double *c, int max)
{
    const char *text = hpo__attrs_get(&t->system_attrs, CONSTRAINTS_KEY);
    if (!text)
        return 0;
    cJSON *list = cJSON_Parse(text);
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
    for (int i = 0; i < n; i++) {
        cJSON *v = cJSON_GetArrayItem(list, i);
        if (!cJSON_IsNumber(v)) {
            n = -1;
            break;
        }
        if (i < max)
            c[i] = v->valuedouble;
    }
    cJSON_Delete(list);
    return n;
}

double hpo__trial_violation(const hpo__trial_rec *t)
{
    double c[HPO_MAX_CONSTRAINTS];
    int n = parse_constraints(t, c, HPO_MAX_CONSTRAINTS);
    if (n < 0 || n > HPO_MAX_CONSTRAINTS)
        return INFINITY; /* not readable: never counted as feasible */
    double total = 0;
    for (int i = 0; i < n; i++)
        total += isnan(c[i]) ? INFINITY : c[i] > 0 ? c[i] : 0;
    return total;
}

int hpo_trial_set_constraints(hpo_trial *t, const double *c, int n)
{
    if (!t || !t->study)
        return HPO_EMISUSE;
    if (t->told)
        return hpo__fail(&t->msg, HPO_EFINISHED, "trial %d is finished",
                         t->rec.number);
    if (n < 1 || n > HPO_MAX_CONSTRAINTS || !c)
        return hpo__fail(&t->msg, HPO_EINVAL,
                         "constraints: give 1 to %d values (got %d)",
                         HPO_MAX_CONSTRAINTS, n);
    for (int i = 0; i < n; i++)
        if (isnan(c[i]))
            return hpo__fail(&t->msg, HPO_EINVAL,
                             "constraint %d is NaN (a constraint is a "
                             "number, <= 0 when satisfied)", i + 1);
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; list && i < n; i++)
        cJSON_AddItemToArray(list, hpo__json_number(c[i], 1));
    char *json = list ? cJSON_PrintUnformatted(list) : NULL;
    cJSON_Delete(list);
    if (!json)
        return hpo__fail(&t->msg, HPO_ENOMEM, "out of memory");
    int rc = HPO__TRIAL_WRITE(t, hpo__st_set_trial_attr(t->study->storage,
                                                         t->rec.id, 1,
                                                         CONSTRAINTS_KEY,
                                                         json));
    if (rc)
        hpo__fail(&t->msg, rc, "%s", hpo_storage_errmsg(t->study->storage));
    else
        rc = hpo__attrs_set(&t->rec.system_attrs, CONSTRAINTS_KEY, json);
    free(json);
    return rc;
}

int hpo_trial_constraints(const hpo_trial *t, double *out, int max)
{
    if (!t)
        return HPO_EMISUSE;
    int n = parse_constraints(&t->rec, out, max > 0 ? max : 0);
    return n < 0 ? HPO_EINVAL : n;
}

int hpo_trial_is_feasible(const hpo_trial *t)
{
    return t && hpo__trial_violation(&t->rec) == 0;
}
