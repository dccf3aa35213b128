/*
 * nd_staircase.h — a set of mutually non-dominated 2-D points kept as a
 * sorted staircase (nd_staircase.c): "does some point lie below-left of
 * (a, b)?" in O(log size).  nondominated.c keeps one per front to sort
 * three objectives.
 */
#ifndef HPO_ND_STAIRCASE_H
#define HPO_ND_STAIRCASE_H

/* Points pt[2i], pt[2i + 1]: the first coordinate strictly ascending, the
 * second strictly descending.  All zero is the empty staircase. */
typedef struct hpo__stair {
    double *pt;
    int len, cap;
} hpo__stair;

/* Is some point of s <= (a, b) in both coordinates? */
int hpo__stair_covers(const hpo__stair *s, double a, double b);

/* Add (a, b), which s does not cover, dropping the points it covers.
 * HPO_OK or HPO_ENOMEM (s unchanged). */
int hpo__stair_add(hpo__stair *s, double a, double b);

void hpo__stair_free(hpo__stair *s);

#endif
