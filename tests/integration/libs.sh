#!/bin/sh
# The tools libraries against a private xen, as domain 0 processes use
# them (libs-test.c): xen runs three libs-peer domains; libs-test makes
# hypercalls, maps their memory and grants, binds event channels and
# restricts its handles. At the end every domain has passed and xen,
# stopped with SIGTERM, exits with status 0.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

require_kvm
peer=$GUESTS/libs-peer-64.elf
host_start libs "domU=kernel=$peer,memory=16,cmdline=check" \
    "domU=kernel=$peer,memory=16" "domU=kernel=$peer,memory=16"
host_run "$top_builddir/tests/integration/libs-test" "$peer"
host_stop
for d in 1 2 3; do
    v=$(verdict_of "$log" $d)
    if [ "$v" != PASS ]; then
        echo "FAIL: domain $d: $v"
        failed=1
    fi
done
exit $failed
