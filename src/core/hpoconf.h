/*
 * hpoconf.h — every limit and default of libhpo in one place (as Lua's
 * luaconf.h).  Change a number here, not in the code that uses it.
 */
#ifndef HPO_CONF_H
#define HPO_CONF_H

/* Longest parameter, attribute or study name (Optuna's columns: 512). */
#define HPO_MAX_NAME 512
/* Largest magnitude of an int parameter's bounds: 2^53 - 1, the last
 * integer from which a double holds every smaller one exactly (internal
 * values are doubles, as Optuna's param_value column).  Also the most
 * values a stepped float axis may have. */
#define HPO_MAX_EXACT_INT 9007199254740991.0
/* Deepest nesting of arrays and objects in JSON text hpo reads or keeps
 * (cJSON's own limit is 1000). */
#define HPO_MAX_JSON_DEPTH 512
/* Most parameters in a declared space. */
#define HPO_MAX_PARAMS 4096
/* Parameters a trial record holds before it indexes them by name (below,
 * a linear search is as fast as hashing). */
#define HPO_NAME_INDEX_FROM 16
/* Most points a grid may enumerate. */
#define HPO_MAX_GRID_POINTS 100000000.0
/* Points per continuous float axis of a grid when none are given. */
#define HPO_GRID_DEFAULT_POINTS 5
/* Dimensions the Sobol table covers. */
#define HPO_SOBOL_MAX_DIM 1111

/* A data set (src/ml/data.c) is held dense: at most this many features
 * and rows x features values (2^28 doubles, 2 GiB).  A libsvm file names
 * features by index, so without a bound a 14-byte file ("1 300000000:1")
 * asks for gigabytes and hundreds of millions of feature names. */
#define HPO_MAX_FEATURES (1 << 20)
#define HPO_MAX_DATA_CELLS ((size_t)1 << 28)
/* A categorical CSV column (src/ml/csv.c) is one-hot encoded: at most
 * this many distinct values (levels) per column, text class labels of a
 * target included.  More is an identifier or free text, not a category,
 * and would make thousands of nearly empty features. */
#define HPO_MAX_LEVELS 1000
/* Longest CSV field, in bytes: a longer one (an unterminated quote read
 * to the end of the file, a binary file) is refused with its line. */
#define HPO_MAX_CSV_FIELD (1 << 20)

/* Most values (points x objectives) one call for NSGA-III reference
 * points (src/samplers/reference_points.c) may make, 128 MiB: 15
 * objectives with 8 divisions (319,770 points) fit.  It also bounds the
 * objectives to 4,096 (at least m points of m values each). */
#define HPO_MAX_REFERENCE_VALUES (1L << 24)

/* Parameter importance (src/analysis; the cap on fANOVA's trials,
 * HPO_IMPORTANCE_MAX_TRIALS, is public: hpo.h).  HPO_FANOVA_TREES trees by
 * default, as Optuna's evaluator.  PED-ANOVA cuts a numeric axis into at
 * most HPO_PED_GRID cells (Optuna's 50 steps) and widens no kernel below
 * HPO_PED_MIN_BANDWIDTH cells (Optuna's 0.5 / 1.64). */
#define HPO_FANOVA_TREES 64
#define HPO_PED_GRID 50
#define HPO_PED_MIN_BANDWIDTH (0.5 / 1.64)

#endif
