#!/bin/sh
# Each tools library exports exactly Xen's functions with Xen's version
# tags and soname (libs-symbols.txt, one "soname tag symbol" a line), and
# was compiled against this tree's public headers, never a system's
# /usr/include/xen.
: "${top_srcdir:=.}" "${top_builddir:=.}"

if ! command -v objdump >/dev/null 2>&1; then
    echo "SKIP: objdump (binutils) is not installed"
    exit 77
fi

want=$top_srcdir/tests/integration/libs-symbols.txt
got=$(mktemp "${TMPDIR:-/tmp}/libs-symbols.XXXXXX")
trap 'rm -f "$got"' EXIT

failed=0
for lib in call evtchn foreignmemory gnttab toolcore; do
    so=$top_builddir/tools/libs/$lib/.libs/libxen$lib.so
    if [ ! -e "$so" ]; then
        echo "FAIL: $so is not built"
        failed=1
        continue
    fi
    soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
    # Defined functions and objects: "... DF .text ... VERS_1.0 name".
    objdump -T "$so" | awk -v so="$soname" \
        '$0 !~ /\*UND\*/ && ($3 == "DF" || $3 == "DO") { print so, $(NF-1), $NF }'
done | sort >"$got"

if ! diff -u "$want" "$got"; then
    echo "FAIL: exported symbols differ from libs-symbols.txt (- want, + got)"
    failed=1
else
    echo "ok   $(wc -l <"$got") symbols, sonames and version tags"
fi

# Dependency files name every header a library was compiled with.
deps=$(ls "$top_builddir"/tools/libs/*/.deps/*.Plo 2>/dev/null)
if [ -n "$deps" ]; then
    if grep -l "/usr/include/xen" $deps; then
        echo "FAIL: compiled against the system's Xen headers (above)"
        failed=1
    else
        echo "ok   no system Xen header used"
    fi
fi
exit $failed
