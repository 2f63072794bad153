#!/bin/sh
# libxenctrl and libxenguest export exactly the functions listed in
# libxc-symbols.txt ("soname tag symbol" a line), all tagged VERS_4.17.0,
# under Xen's sonames; the link for the linker is not the soname; and
# they were compiled against this tree's headers, never /usr/include/xen.
: "${top_srcdir:=.}" "${top_builddir:=.}"

if ! command -v objdump >/dev/null 2>&1; then
    echo "SKIP: objdump (binutils) is not installed"
    exit 77
fi

want=$top_srcdir/tests/integration/libxc-symbols.txt
got=$(mktemp "${TMPDIR:-/tmp}/libxc-symbols.XXXXXX")
trap 'rm -f "$got"' EXIT

failed=0
for lib in xenctrl xenguest; do
    so=$top_builddir/tools/libxc/.libs/lib$lib.so.4.17
    if [ ! -e "$so" ]; then
        echo "FAIL: $so is not built"
        failed=1
        continue
    fi
    soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
    if [ "$soname" != "lib$lib.so.4.17" ]; then
        echo "FAIL: $so has soname '$soname', not lib$lib.so.4.17"
        failed=1
    fi
    objdump -T "$so" | awk -v so="$soname" \
        '$0 !~ /\*UND\*/ && ($3 == "DF" || $3 == "DO") { print so, $(NF-1), $NF }'
done | sort >"$got"

if ! diff -u "$want" "$got"; then
    echo "FAIL: exported symbols differ from libxc-symbols.txt (- want, + got)"
    failed=1
else
    echo "ok   $(wc -l <"$got") symbols, sonames and version tags"
fi

deps=$(ls "$top_builddir"/tools/libxc/.deps/*.Plo 2>/dev/null)
if [ -n "$deps" ]; then
    if grep -l "/usr/include/xen" $deps; then
        echo "FAIL: compiled against the system's Xen headers (above)"
        failed=1
    else
        echo "ok   no system Xen header used"
    fi
fi
exit $failed
