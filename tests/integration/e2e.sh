#!/bin/sh
# The "done when" scenario: a private xen, our xenstored on it (ring
# backend xen), and e2e-test as the toolstack running the xenstore-guest
# kernel (64- then 32-bit) through its whole life cycle. xen must then
# exit 0 on SIGTERM (no domain leaked).
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

require_kvm
host_start e2e
xsdir=$run/xs
mkdir -p "$xsdir"
XEN_RUN_DIR=$run XENSTORED_RUNDIR=$xsdir XENSTORED_PATH=$xsdir/socket \
    "$top_builddir/tools/xenstored/xenstored" --no-fork --ring-backend xen \
    2>"$xsdir/xenstored.log" &
xs_pid=$!
tries=0
while [ ! -S "$xsdir/socket" ] && [ $tries -lt 200 ]; do
    sleep 0.05
    tries=$((tries + 1))
done
if [ -S "$xsdir/socket" ]; then
    export XENSTORED_PATH=$xsdir/socket
    host_run \
        "$top_builddir/tests/integration/e2e-test" \
        "$GUESTS/xenstore-guest-64.elf" "$GUESTS/xenstore-guest-32.elf"
else
    echo "FAIL: xenstored did not start"
    test_rc=1
    test_name=xenstored
fi
kill "$xs_pid" 2>/dev/null
wait "$xs_pid"
sed 's/^/    xenstored: /' "$xsdir/xenstored.log"
host_stop
exit $failed
