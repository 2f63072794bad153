#!/bin/sh
# The privcmd socket spoken directly (privcmd-test.c): a private xen with
# a 1 GiB budget, 256 MiB of it domain 0's, and one boot-time domain;
# privcmd-test checks hypercalls, domctl/sysctl, foreign maps, event
# channels, grant maps and restriction. xen, stopped with SIGTERM, must
# exit with status 0: every domain freed, nothing left behind.
. "$top_srcdir/tests/guests/common.sh"

require_kvm
run=$(mktemp -d "${TMPDIR:-/tmp}/privcmd.XXXXXX")
log=$run/xen.log
xen_pid=
trap '[ -n "$xen_pid" ] && kill "$xen_pid" 2>/dev/null; rm -rf "$run"' EXIT

kernel=$GUESTS/hello-64.elf
XEN_RUN_DIR=$run timeout 300 "$XEN" console_to_stderr mem=1G dom0_mem=256M \
    "domU=kernel=$kernel,memory=16" >"$log" 2>&1 &
xen_pid=$!

tries=0
while [ ! -S "$run/privcmd" ]; do
    if ! kill -0 "$xen_pid" 2>/dev/null || [ $tries -ge 300 ]; then
        echo "FAIL: xen did not serve $run/privcmd"
        cat "$log"
        exit 1
    fi
    sleep 0.1
    tries=$((tries + 1))
done

XEN_RUN_DIR=$run timeout 120 "$top_builddir/tests/integration/privcmd-test" \
    "$kernel"
test_rc=$?

kill -TERM "$xen_pid"
wait "$xen_pid"
xen_rc=$?
xen_pid=
sed 's/^/    xen: /' "$log"

failed=0
if [ "$test_rc" -ne 0 ]; then
    echo "FAIL: privcmd-test exited with $test_rc"
    failed=1
fi
if [ "$xen_rc" -ne 0 ]; then
    echo "FAIL: xen exited with $xen_rc after SIGTERM"
    failed=1
fi
if [ -e "$run/privcmd" ]; then
    echo "FAIL: xen left its socket behind"
    failed=1
fi
exit $failed
