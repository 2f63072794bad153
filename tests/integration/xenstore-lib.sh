#!/bin/sh
# Our libxenstore, every call (xenstore-test.c), against our xenstored and
# against Xen 4.17's own C xenstored.
. "$top_srcdir/tests/integration/xenstore-common.sh"
TEST=$top_builddir/tests/integration/xenstore-test

xs_tmpdir
failed=0

# The library's face: soname and exported symbols (all VERS_4.0) as Xen's.
so=$top_builddir/tools/xenstored/.libs/libxenstore.so.4
if ! objdump -p "$so" | grep -q "SONAME *libxenstore.so.4$"; then
    echo "FAIL: soname of $so"
    failed=1
fi
syms='NF > 1 && $(NF - 1) == "VERS_4.0" && $NF != "VERS_4.0" {print $NF}'
objdump -T "$so" | awk "$syms" | sort >"$tmp/ours.syms"
if [ "$(wc -l <"$tmp/ours.syms")" -ne 37 ]; then
    echo "FAIL: $(wc -l <"$tmp/ours.syms") symbols tagged VERS_4.0, want 37"
    failed=1
fi
xen=/usr/lib/x86_64-linux-gnu/libxenstore.so.4
if [ -e "$xen" ]; then
    objdump -T "$xen" | awk "$syms" | sort >"$tmp/xen.syms"
    if ! diff -u "$tmp/xen.syms" "$tmp/ours.syms"; then
        echo "FAIL: exported symbols differ from Xen's libxenstore.so.4"
        failed=1
    else
        echo "ok   the same 37 symbols as Xen's libxenstore.so.4"
    fi
fi

start_ours "$tmp/ours" "5"
echo "== our xenstored"
XENSTORED_PATH=$tmp/ours/socket timeout 120 "$TEST" 5 || failed=1
echo "== Xen's C xenstored"
if ! start_theirs "$tmp/c" "5"; then
    echo "(not installed: only our xenstored was tested)"
elif ! XENSTORED_PATH=$tmp/c/socket timeout 120 "$TEST" 5; then
    failed=1
fi
exit $failed
