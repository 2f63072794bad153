#!/bin/sh
# The schedulers with real guests (sched-system-test.c, needs KVM): a
# private xen with 3 pCPUs; weights, caps, hard affinity, null without
# overcommit and cpupool moves, each in a pool of its own.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

require_kvm
host_start sched-system pcpus=3
host_run "$top_builddir/tests/integration/sched-system-test" "$GUESTS" test
host_stop
exit $failed
