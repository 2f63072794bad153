# Sourced by libs-symbols.sh and libxc-symbols.sh: one check of what a
# set of shared libraries exports and which headers they were built with.
: "${top_srcdir:=.}" "${top_builddir:=.}"

# check_symbols NAME DEPS SO...: the SOs export exactly the functions and
# objects in tests/integration/NAME.txt ("soname tag symbol" a line), and
# no dependency file matching the glob DEPS names /usr/include/xen. With
# SONAME_IS_FILE=1 each SO's soname must also be its own file name (the
# link for the linker is not the soname). Exits with the test's status.
check_symbols()
{
    name=$1 deps_glob=$2
    shift 2

    if ! command -v objdump >/dev/null 2>&1; then
        echo "SKIP: objdump (binutils) is not installed"
        exit 77
    fi

    want=$top_srcdir/tests/integration/$name.txt
    got=$(mktemp "${TMPDIR:-/tmp}/$name.XXXXXX")
    trap 'rm -f "$got"' EXIT

    failed=0
    for so in "$@"; do
        if [ ! -e "$so" ]; then
            echo "FAIL: $so is not built"
            failed=1
            continue
        fi
        soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
        if [ "${SONAME_IS_FILE:-0}" = 1 ] && [ "$soname" != "${so##*/}" ]; then
            echo "FAIL: $so has soname '$soname', not ${so##*/}"
            failed=1
        fi
        # Defined functions and objects: "... DF .text ... VERS_1.0 name".
        objdump -T "$so" | awk -v so="$soname" \
            '$0 !~ /\*UND\*/ && ($3 == "DF" || $3 == "DO") { print so, $(NF-1), $NF }'
    done | sort >"$got"

    if ! diff -u "$want" "$got"; then
        echo "FAIL: exported symbols differ from $name.txt (- want, + got)"
        failed=1
    else
        echo "ok   $(wc -l <"$got") symbols, sonames and version tags"
    fi

    # Dependency files name every header a library was compiled with.
    deps=$(ls $deps_glob 2>/dev/null)
    if [ -n "$deps" ]; then
        if grep -l "/usr/include/xen" $deps; then
            echo "FAIL: compiled against the system's Xen headers (above)"
            failed=1
        else
            echo "ok   no system Xen header used"
        fi
    fi
    exit $failed
}
