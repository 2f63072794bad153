#!/bin/sh
# Our libxenstore, every call (xenstore-test.c), against our xenstored and
# against Xen 4.17's own C xenstored.
. "$top_srcdir/tests/integration/xenstore-common.sh"
TEST=$top_builddir/tests/integration/xenstore-test

xs_tmpdir
start_ours "$tmp/ours" "5"
failed=0
echo "== our xenstored"
XENSTORED_PATH=$tmp/ours/socket timeout 120 "$TEST" 5 || failed=1
echo "== Xen's C xenstored"
if ! start_theirs "$tmp/c" "5"; then
    echo "(not installed: only our xenstored was tested)"
elif ! XENSTORED_PATH=$tmp/c/socket timeout 120 "$TEST" 5; then
    failed=1
fi
exit $failed
