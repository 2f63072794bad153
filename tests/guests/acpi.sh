#!/bin/sh
# ACPI tables (acpi.c) of a PVH domain and of a type=hvm domain, with 1
# and 2 vCPUs. PVH runs must PASS; HVM runs end with the guest's ACPI
# poweroff through PM1a_CNT: SHUTDOWN_poweroff, xen exits 0.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    for n in 1 2; do
        echo "=== acpi-$v pvh vcpus=$n"
        run_xen "$log" "domU=kernel=$GUESTS/acpi-$v.elf,memory=32,vcpus=$n"
        case $(verdict_of "$log" 1) in
        SKIP) echo "--- skipped"; continue ;;
        PASS)
            if [ "$xen_rc" -ne 0 ]; then
                echo "--- FAIL: xen exit status $xen_rc"
                failed=1
            else
                echo "--- ok"
                ran=1
            fi
            ;;
        *) echo "--- FAIL: the guest failed"; failed=1 ;;
        esac

        echo "=== acpi-$v hvm vcpus=$n"
        run_xen "$log" \
            "domU=kernel=$GUESTS/acpi-$v.elf,memory=32,vcpus=$n,type=hvm,cmdline=hvm"
        if [ "$(verdict_of "$log" 1)" != NONE ]; then
            echo "--- FAIL: a verdict instead of the ACPI poweroff"
            failed=1
        elif ! grep -q '^(d1) acpi: powering off through PM1a_CNT' "$log" ||
            ! grep -q 'd1: ACPI S5 through PM1a_CNT' "$log"; then
            echo "--- FAIL: no ACPI poweroff"
            failed=1
        elif [ "$xen_rc" -ne 0 ]; then
            echo "--- FAIL: xen exit status $xen_rc, expected 0 (poweroff)"
            failed=1
        else
            echo "--- ok"
            ran=1
        fi
    done
done
finish
