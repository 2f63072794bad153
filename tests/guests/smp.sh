#!/bin/sh
# The runtime's secondary vCPU start-up (smp.c) with two vCPUs, in each
# variant; skipped variants (pae on kvm_pvm) are fine.

dir=$(dirname "$0")
. "$dir/common.sh"
require_kvm

failed=0
ran=0
for v in 64 32 pae; do
    echo "=== smp-$v"
    DOMU_OPTS=,vcpus=2 sh "$dir/run-guest.sh" "$GUESTS/smp-$v.elf"
    case $? in
    0) ran=1 ;;
    77) ;;
    *) failed=1 ;;
    esac
done
[ $failed -eq 0 ] && [ $ran -eq 0 ] && exit 77
exit $failed
