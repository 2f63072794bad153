#!/bin/sh
# Two domains (memory-reservation.c with "peer"): each may not touch the
# other's reservation, physmap or HVM parameters (-EPERM, or 0 extents).

. "$(dirname "$0")/common.sh"
require_kvm

log=$(mktemp "${TMPDIR:-/tmp}/guest.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=0
ran=0

for v in 64 32 pae; do
    echo "=== memory-reservation-$v peer"
    k=$GUESTS/memory-reservation-$v.elf
    run_xen "$log" "domU=kernel=$k,memory=32,cmdline=peer" \
        "domU=kernel=$k,memory=32,cmdline=peer"
    d1=$(verdict_of "$log" 1)
    d2=$(verdict_of "$log" 2)
    if [ "$d1" = SKIP ] && [ "$d2" = SKIP ]; then
        echo "--- skipped"
    elif [ "$d1" = PASS ] && [ "$d2" = PASS ] && [ "$xen_rc" -eq 0 ]; then
        echo "--- ok"
        ran=1
    else
        echo "--- FAIL: d1 $d1, d2 $d2, xen exit status $xen_rc"
        failed=1
    fi
done
[ $failed -eq 0 ] && [ $ran -eq 0 ] && exit 77
exit $failed
