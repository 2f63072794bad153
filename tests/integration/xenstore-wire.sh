#!/bin/sh
# The xenstore protocol, message by message: one script (xenstore-wire.txt)
# runs against our xenstored and against Xen 4.17's own C xenstored, and
# the two transcripts must be identical. Guest connections go through
# file-backed rings on both sides (xenstore-cshim.c for Xen's daemon).
. "$top_srcdir/tests/integration/xenstore-common.sh"

xs_tmpdir
start_ours "$tmp/ours" "5 6 7"
start_theirs "$tmp/c" "5 6 7" || exit $?

failed=0
for name in xenstore-wire xenstore-wire-domu; do
    script=$top_srcdir/tests/integration/$name.txt
    "$WIRE" "$tmp/c/socket" "$tmp/c" <"$script" >"$tmp/c.out"
    "$WIRE" "$tmp/ours/socket" "$tmp/ours" <"$script" >"$tmp/ours.out"
    if ! diff -u "$tmp/c.out" "$tmp/ours.out" >"$tmp/diff"; then
        echo "FAIL $name: transcripts differ (- Xen's C xenstored, + ours):"
        cat "$tmp/diff"
        failed=1
    else
        echo "ok   $name: $(grep -vc '^ ' "$tmp/c.out") requests," \
            "same replies and events"
    fi
done
exit $failed
