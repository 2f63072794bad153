#!/bin/sh
# libxenctrl's scheduler and cpupool calls against a private xen with 2
# pCPUs (libxc-sched-test.c); with KVM also a domain in a second pool.
# And the schedulers Xen has but we do not: xen refuses to start.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

dir=$(mktemp -d "${TMPDIR:-/tmp}/libxc-sched.XXXXXX")
out=$(XEN_RUN_DIR=$dir timeout 30 "$XEN" console_to_stderr sched=rtds 2>&1)
rc=$?
rm -rf "$dir"
if [ $rc -eq 0 ] || ! printf '%s\n' "$out" | grep -q 'sched=rtds: not supported'; then
    echo "FAIL: xen sched=rtds: want a refusal, got:"
    printf '%s\n' "$out"
    exit 1
fi
echo "ok   sched=rtds refused"

host_start libxc-sched pcpus=2 sched=credit2
if [ -c /dev/kvm ]; then
    host_run "$top_builddir/tests/integration/libxc-sched-test" kvm
else
    host_run "$top_builddir/tests/integration/libxc-sched-test"
fi
host_stop
exit $failed
