#!/bin/sh
# libxenctrl and libxenguest against a private xen (libxc-test.c): xen
# starts with no domain; libxc-test creates, builds, runs and destroys
# PVH domains through the libraries alone. At the end xen, stopped with
# SIGTERM, must exit with status 0 (70 would mean a destroyed domain was
# never freed).
. "$top_srcdir/tests/guests/common.sh"

require_kvm
run=$(mktemp -d "${TMPDIR:-/tmp}/libxc.XXXXXX")
log=$run/xen.log
xen_pid=
trap '[ -n "$xen_pid" ] && kill "$xen_pid" 2>/dev/null; rm -rf "$run"' EXIT

gzip -c "$GUESTS/hello-64.elf" >"$run/hello-64.elf.gz" || exit 1
XEN_RUN_DIR=$run timeout 300 "$XEN" console_to_stderr >"$log" 2>&1 &
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

XEN_RUN_DIR=$run timeout 240 "$top_builddir/tests/integration/libxc-test" \
    "$GUESTS" "$run/hello-64.elf.gz"
test_rc=$?

kill -TERM "$xen_pid"
wait "$xen_pid"
xen_rc=$?
xen_pid=
sed 's/^/    xen: /' "$log"

failed=0
if [ "$test_rc" -ne 0 ]; then
    echo "FAIL: libxc-test exited with $test_rc"
    failed=1
fi
if [ "$xen_rc" -ne 0 ]; then
    echo "FAIL: xen exited with $xen_rc after SIGTERM"
    failed=1
fi
exit $failed
