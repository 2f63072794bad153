#!/bin/sh
# run-guest.sh KERNEL [XEN-ARGS...]: the log compiler of the *.elf tests.
# Boots KERNEL as the only domain (32 MiB) and passes if xen exits with
# status 0, the guest printed a PASS line and no FAIL line. A SKIP line
# from the guest, or no usable /dev/kvm, gives 77 (skipped).
# DOMU_OPTS (e.g. ",vcpus=2,cmdline=x") is appended to the domU= option.

. "$(dirname "$0")/common.sh"

kernel=$1
shift
# Classic PV kernels (tests/guests/pv/*-pv.elf) boot as type=pv.
case $kernel in
*-pv.elf) DOMU_OPTS=",type=pv${DOMU_OPTS:-}" ;;
esac
require_kvm
new_log
run_xen "$log" "domU=kernel=$kernel,memory=32${DOMU_OPTS:-}" "$@"

case $(verdict_of "$log" 1) in
FAIL)
    echo "FAIL: the guest reported a failure"
    exit 1
    ;;
SKIP)
    exit 77
    ;;
PASS)
    if [ "$xen_rc" -ne 0 ]; then
        echo "FAIL: the guest passed but xen exited with status $xen_rc"
        exit 1
    fi
    exit 0
    ;;
*)
    echo "FAIL: no verdict from the guest (xen exit status $xen_rc)"
    exit 1
    ;;
esac
