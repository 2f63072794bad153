#!/bin/sh
# The local APICs of an SMP PVH guest (lapic-smp.c): 4 vCPUs on 2 pCPUs,
# brought up with VCPUOP_up and then with INIT-SIPI-SIPI, each round with
# IPIs and timers on every vCPU. Each run must PASS and power off.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    echo "=== lapic-smp-$v vcpus=4 pcpus=2"
    run_xen "$log" pcpus=2 \
        "domU=kernel=$GUESTS/lapic-smp-$v.elf,memory=32,vcpus=4"
    case $(verdict_of "$log" 1) in
    SKIP)
        echo "--- skipped"
        ;;
    PASS)
        if [ "$xen_rc" -ne 0 ]; then
            echo "--- FAIL: xen exit status $xen_rc"
            failed=1
        elif [ "$(grep -c '^(d1) round .* ok' "$log")" -ne 2 ]; then
            echo "--- FAIL: not both bring-up rounds ran"
            failed=1
        else
            echo "--- ok"
            ran=1
        fi
        ;;
    *)
        sed -n '/(d1)/p' "$log" | tail -20
        echo "--- FAIL: the guest failed (xen exit status $xen_rc)"
        failed=1
        ;;
    esac
done
finish
