#!/bin/bash
# install_test.sh BUILD_DIR SOURCE_DIR — install a built hpo into a scratch
# prefix and use it the ways another project would:
#
#   1. `cmake --install BUILD --prefix TMP` puts every file in place;
#   2. hpo.pc answers pkg-config with that prefix, the header's version and
#      the static library's dependencies;
#   3. examples/CMakeLists.txt finds it with find_package(hpo) and builds
#      against hpo::hpo and hpo::hpo_static; the programs run;
#   4. examples/Makefile builds with `pkg-config --cflags --libs hpo`, shared
#      (run with LD_LIBRARY_PATH) and --static; the programs run;
#   5. a C++ file includes hpo.h and links;
#   6. the installed `hpo --version` runs, and a DESTDIR install is staged
#      under DESTDIR with the real prefix in hpo.pc;
#   7. the Python package imports from the prefix's dist-packages and loads
#      the prefix's libhpo without HPO_LIBRARY or LD_LIBRARY_PATH.
#
# Environment: CC (default cc), CXX (default c++; step 5 is skipped without
# one), HPO_CONSUMER_FLAGS (extra compile and link flags, e.g. the
# sanitizers the library was built with), HPO_PYTHON3 (step 7 is skipped
# without one).  No network; the scratch directory is removed on exit.
set -euo pipefail

build=$(cd "${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
cc=${CC:-cc}
cxx=${CXX:-c++}
extra=${HPO_CONSUMER_FLAGS:-}
cflags="-Wall -Wextra -Werror $extra"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hpo-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() {
    echo "install_test: FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

# expect_match TEXT REGEX WHAT
expect_match() {
    grep -Eq -- "$2" <<<"$1" || fail "$3: expected /$2/ in:
$1"
}

# run_example BINARY — run one example program and check what it printed.
run_example() {
    local bin=$1 name out
    name=$(basename "$bin")
    name=${name%_static}
    case $name in
    quickstart) out=$("$bin") || fail "$bin exited $?"
        expect_match "$out" '^hpo [0-9.]+: best of 200 trials is trial #[0-9]+, value' "$bin" ;;
    ask_tell) out=$("$bin") || fail "$bin exited $?"
        expect_match "$out" '^pareto front: [1-9][0-9]* of 60 trials' "$bin" ;;
    space_file) out=$("$bin" "$src/examples/space.json") || fail "$bin exited $?"
        expect_match "$out" 'each only with its optimizer: yes' "$bin" ;;
    custom_sampler) out=$("$bin") || fail "$bin exited $?"
        expect_match "$out" 'within 0.01 of the minimum 0 at \(1, -2\): yes' "$bin" ;;
    custom_pruner) out=$("$bin") || fail "$bin exited $?"
        expect_match "$out" '^margin pruner: [1-9][0-9]* complete, [1-9][0-9]* pruned' "$bin" ;;
    hypergrad_ridge) out=$("$bin") || fail "$bin exited $?"
        expect_match "$out" 'best trial #[0-9]+ holds these lambdas: yes' "$bin" ;;
    *) fail "unknown example $bin" ;;
    esac
}

# needs_libhpo BINARY — 0 if the binary loads libhpo.so at run time.
needs_libhpo() {
    local dyn
    dyn=$(readelf -d "$1")
    grep -q 'NEEDED.*libhpo\.so' <<<"$dyn"
}

version=$(sed -n 's/^#define HPO_VERSION_STRING "\(.*\)"$/\1/p' "$src/include/hpo.h")
[ -n "$version" ] || fail "no HPO_VERSION_STRING in hpo.h"

step "1. cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
    fail "cmake --install failed: $(cat "$tmp/install.log")"
# GNUInstallDirs: lib, lib64 or lib/<multiarch> depending on the platform
# and the prefix.  Find where the archive went and expect the rest there.
archive=$(find "$prefix" -name libhpo.a)
[ -n "$archive" ] || fail "no libhpo.a installed; got: $(cd "$prefix" && find . -type f)"
libdir=$(dirname "$archive")
echo "libdir: ${libdir#"$prefix"/}"
major=${version%%.*}
for f in "$libdir/libhpo.so" "$libdir/libhpo.so.$major" "$libdir/libhpo.so.$version" \
    "$prefix/include/hpo.h" "$libdir/pkgconfig/hpo.pc" \
    "$libdir/cmake/hpo/hpoConfig.cmake" "$libdir/cmake/hpo/hpoConfigVersion.cmake" \
    "$libdir/cmake/hpo/hpoTargets.cmake" "$prefix/bin/hpo"; do
    [ -e "$f" ] || fail "missing ${f#"$prefix"/}"
done
[ -x "$prefix/bin/hpo" ] || fail "bin/hpo is not executable"
cmp -s "$prefix/include/hpo.h" "$src/include/hpo.h" || fail "installed hpo.h differs from include/hpo.h"
symbols=$(nm -D --defined-only "$libdir/libhpo.so")
expect_match "$symbols" ' T hpo_study_new$' "libhpo.so exports"
# The static library must not carry a copy of its dependencies.
symbols=$(nm --defined-only "$archive" 2>/dev/null)
if grep -Eq ' T (cJSON_Parse|sqlite3_open)$' <<<"$symbols"; then
    fail "libhpo.a defines cJSON or SQLite symbols"
fi

step "2. pkg-config"
export PKG_CONFIG_PATH=$libdir/pkgconfig
pkg-config --validate hpo || fail "hpo.pc does not validate"
[ "$(pkg-config --modversion hpo)" = "$version" ] || fail "hpo.pc version != $version"
[ "$(pkg-config --variable=prefix hpo)" = "$prefix" ] ||
    fail "hpo.pc prefix is $(pkg-config --variable=prefix hpo), not $prefix"
expect_match "$(pkg-config --cflags hpo)" "^-I$prefix/include *\$" "pkg-config --cflags hpo"
expect_match "$(pkg-config --libs hpo)" "^-L$libdir -lhpo *\$" "pkg-config --libs hpo"
static_libs=$(pkg-config --static --libs hpo)
deps="-lhpo -lcjson -lpthread -lm"
if grep -q 'set(hpo_WITH_SQLITE 1)' "$libdir/cmake/hpo/hpoConfig.cmake"; then
    deps="$deps -lsqlite3"
fi
for lib in $deps; do
    expect_match "$static_libs" "(^| )$lib( |\$)" "pkg-config --static --libs hpo"
done

step "3. find_package(hpo) from examples/CMakeLists.txt"
cmake -S "$src/examples" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$extra" \
    >"$tmp/cmake.log" 2>&1 || fail "consumer configure failed: $(cat "$tmp/cmake.log")"
found=$(sed -n 's/^hpo_DIR:PATH=//p' "$tmp/cmake/CMakeCache.txt")
[ "$found" = "$libdir/cmake/hpo" ] || fail "find_package found hpo in '$found', not the scratch prefix"
cmake --build "$tmp/cmake" -j2 >"$tmp/cmake-build.log" 2>&1 ||
    fail "consumer build failed: $(cat "$tmp/cmake-build.log")"
for name in quickstart ask_tell space_file custom_sampler custom_pruner \
    hypergrad_ridge; do
    needs_libhpo "$tmp/cmake/$name" || fail "cmake $name (hpo::hpo) does not load libhpo.so"
    ! needs_libhpo "$tmp/cmake/${name}_static" || fail "cmake ${name}_static loads libhpo.so"
    run_example "$tmp/cmake/$name"
    run_example "$tmp/cmake/${name}_static"
done

step "4. examples/Makefile with pkg-config, shared and static"
mkdir "$tmp/make"
make -s -C "$src/examples" O="$tmp/make" CC="$cc" CFLAGS="$cflags" LDFLAGS="$extra" \
    all static >"$tmp/make.log" 2>&1 || fail "make failed: $(cat "$tmp/make.log")"
for name in quickstart ask_tell space_file custom_sampler custom_pruner \
    hypergrad_ridge; do
    needs_libhpo "$tmp/make/$name" || fail "make $name does not load libhpo.so"
    ! needs_libhpo "$tmp/make/${name}_static" || fail "make ${name}_static loads libhpo.so"
    LD_LIBRARY_PATH=$libdir run_example "$tmp/make/$name"
    run_example "$tmp/make/${name}_static"
done
loaded=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/make/quickstart")
expect_match "$loaded" "libhpo\.so\.$major => $libdir/libhpo\.so\.$major" "ldd quickstart"

step "5. C++"
if command -v "$cxx" >/dev/null; then
    cat >"$tmp/version.cpp" <<'EOF'
#include <hpo.h>
#include <cstdio>
#include <cstring>
int main()
{
    hpo_study *study = hpo_study_new();
    int rc = hpo_study_open(study, "cxx", HPO_OPEN_CREATE);
    std::printf("libhpo %s open %s\n", hpo_version(), hpo_errname(rc));
    hpo_study_free(study);
    return std::strcmp(hpo_version(), HPO_VERSION_STRING) != 0 || rc != HPO_OK;
}
EOF
    # shellcheck disable=SC2046,SC2086  # flag lists are meant to be split
    "$cxx" -std=c++11 -pedantic $cflags $(pkg-config --cflags hpo) "$tmp/version.cpp" \
        -o "$tmp/version_cxx" $(pkg-config --libs hpo) ||
        fail "C++ consumer does not build"
    out=$(LD_LIBRARY_PATH=$libdir "$tmp/version_cxx") || fail "C++ consumer exited $?"
    [ "$out" = "libhpo $version open OK" ] || fail "C++ consumer printed '$out'"
else
    echo "no C++ compiler ($cxx): skipped"
fi

step "6. bin/hpo --version; DESTDIR staging"
out=$("$prefix/bin/hpo" --version) || fail "hpo --version exited $?"
[ "$out" = "hpo $version (libhpo $version)" ] || fail "hpo --version printed '$out'"
DESTDIR=$tmp/stage cmake --install "$build" --prefix /opt/hpo-test >"$tmp/stage.log" ||
    fail "DESTDIR install failed: $(cat "$tmp/stage.log")"
staged=$(find "$tmp/stage/opt/hpo-test" -name hpo.pc)
[ -n "$staged" ] || fail "DESTDIR install put no hpo.pc under DESTDIR/opt/hpo-test"
grep -qx 'prefix=/opt/hpo-test' "$staged" || fail "staged hpo.pc: $(head -1 "$staged")"
[ ! -e /opt/hpo-test ] || fail "DESTDIR install wrote outside DESTDIR"

step "7. the Python package (import hpo) beside the installed library"
pkg=$(find "$prefix" -path '*/dist-packages/hpo/__init__.py')
if [ ! -x "${HPO_PYTHON3:-}" ]; then
    echo "no python3: skipped"
elif grep -q sanitize <<<"$extra"; then
    echo "sanitizer build: skipped (python3 cannot load an ASan libhpo)"
else
    [ -n "$pkg" ] || fail "no hpo/__init__.py installed under dist-packages"
    pydir=$(dirname "$(dirname "$pkg")")
    out=$(cd "$tmp" && env -u HPO_LIBRARY PYTHONPATH="$pydir" PYTHONDONTWRITEBYTECODE=1 \
        "$HPO_PYTHON3" -c 'import hpo
s = hpo.create_study(sampler="random", seed=1)
s.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=20)
print(hpo.library_path, len(s.trials))') || fail "import hpo from $pydir failed"
    [ "$out" = "$libdir/libhpo.so.0 20" ] || fail "installed hpo printed '$out'"
fi

echo "install_test: all passed"
