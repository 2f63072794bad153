#!/bin/sh
# The privcmd socket spoken directly (privcmd-test.c): a private xen with
# a 1 GiB budget, 256 MiB of it domain 0's, and one boot-time domain;
# privcmd-test checks hypercalls, domctl/sysctl, foreign maps, event
# channels, grant maps and restriction. xen, stopped with SIGTERM, must
# exit with status 0: every domain freed, nothing left behind.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

require_kvm
kernel=$GUESTS/hello-64.elf
host_start privcmd mem=1G dom0_mem=256M "domU=kernel=$kernel,memory=16"
host_run "$top_builddir/tests/integration/privcmd-test" "$kernel"
host_stop
exit $failed
