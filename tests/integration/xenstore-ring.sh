#!/bin/sh
# Guests' rings, well-behaved and hostile (xenstore-ring.c), against our
# xenstored and against Xen 4.17's C xenstored.
. "$top_srcdir/tests/integration/xenstore-common.sh"
RING=$top_builddir/tests/integration/xenstore-ring

xs_tmpdir
start_ours "$tmp/ours" "3 4"
failed=0
echo "== our xenstored"
timeout 120 "$RING" "$tmp/ours/socket" "$tmp/ours" 3 4 || failed=1
echo "== Xen's C xenstored"
if ! start_theirs "$tmp/c" "3 4"; then
    echo "(not installed: only our xenstored was tested)"
elif ! timeout 120 "$RING" "$tmp/c/socket" "$tmp/c" 3 4; then
    failed=1
fi
exit $failed
