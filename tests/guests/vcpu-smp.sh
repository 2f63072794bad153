#!/bin/sh
# Secondary vCPUs of a PVH guest (vcpu-smp.c): 4 vCPUs on 2 pCPUs, and
# all 4 on one pCPU. Each run must PASS and power off (xen exits 0).

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    for p in 2 1; do
        echo "=== vcpu-smp-$v vcpus=4 pcpus=$p"
        run_xen "$log" pcpus=$p \
            "domU=kernel=$GUESTS/vcpu-smp-$v.elf,memory=32,vcpus=4"
        case $(verdict_of "$log" 1) in
        SKIP)
            echo "--- skipped"
            continue
            ;;
        PASS)
            if [ "$xen_rc" -ne 0 ]; then
                echo "--- FAIL: xen exit status $xen_rc"
                failed=1
            elif [ "$(grep -c '^(d1) vCPU [123] is up' "$log")" -ne 3 ]; then
                echo "--- FAIL: not every secondary vCPU printed"
                failed=1
            else
                echo "--- ok"
                ran=1
            fi
            ;;
        *)
            echo "--- FAIL: the guest failed (xen exit status $xen_rc)"
            failed=1
            ;;
        esac
    done
done
finish
