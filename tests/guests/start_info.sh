#!/bin/sh
# PVH start info with a module (ramdisk=) and a command line holding
# commas (start_info.c), in each variant.
. "$(dirname "$0")/common.sh"
require_kvm

log=$(mktemp "${TMPDIR:-/tmp}/guest.XXXXXX")
trap 'rm -f "$log" "$log.mod"' EXIT
printf 'XENON-MODULE-1234' >"$log.mod"
failed=0
for v in 64 32; do
    run_xen "$log" "domU=kernel=$GUESTS/start_info-$v.elf,memory=24,ramdisk=$log.mod,cmdline=start-info a,b,c 3"
    if [ "$(verdict_of "$log" 1)" != PASS ] || [ "$xen_rc" -ne 0 ]; then
        echo "--- FAIL start_info-$v"
        failed=1
    fi
done
exit $failed
