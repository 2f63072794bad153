#!/bin/sh
# The tools libraries against a private xen, as domain 0 processes use
# them (libs-test.c): xen runs three libs-peer domains; libs-test makes
# hypercalls, maps their memory and grants, binds event channels and
# restricts its handles. At the end every domain has passed and xen,
# stopped with SIGTERM, exits with status 0.
. "$top_srcdir/tests/guests/common.sh"

require_kvm
run=$(mktemp -d "${TMPDIR:-/tmp}/libs.XXXXXX")
log=$run/xen.log
xen_pid=
trap '[ -n "$xen_pid" ] && kill "$xen_pid" 2>/dev/null; rm -rf "$run"' EXIT

peer=$GUESTS/libs-peer-64.elf
XEN_RUN_DIR=$run timeout 300 "$XEN" console_to_stderr \
    "domU=kernel=$peer,memory=16,cmdline=check" \
    "domU=kernel=$peer,memory=16" \
    "domU=kernel=$peer,memory=16" >"$log" 2>&1 &
xen_pid=$!

# The socket appears once xen serves it.
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

XEN_RUN_DIR=$run timeout 120 "$top_builddir/tests/integration/libs-test" \
    "$peer"
test_rc=$?

kill -TERM "$xen_pid"
wait "$xen_pid"
xen_rc=$?
xen_pid=
sed 's/^/    xen: /' "$log"

failed=0
if [ "$test_rc" -ne 0 ]; then
    echo "FAIL: libs-test exited with $test_rc"
    failed=1
fi
if [ "$xen_rc" -ne 0 ]; then
    echo "FAIL: xen exited with $xen_rc after SIGTERM"
    failed=1
fi
for d in 1 2 3; do
    v=$(verdict_of "$log" $d)
    if [ "$v" != PASS ]; then
        echo "FAIL: domain $d: $v"
        failed=1
    fi
done
[ -S "$run/privcmd" ] && { echo "FAIL: xen left its socket behind"; failed=1; }
exit $failed
