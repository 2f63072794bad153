#!/bin/sh
# A type=hvm domain resets through 0xcf9 and through port 0x92
# (reset.c): the domain shuts down with SHUTDOWN_reboot, so xen exits
# with 1 + SHUTDOWN_reboot = 2 and the guest gave no verdict.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    for port in cf9 92; do
        echo "=== reset-$v $port"
        run_xen "$log" \
            "domU=kernel=$GUESTS/reset-$v.elf,memory=32,type=hvm,cmdline=$port"
        case $(verdict_of "$log" 1) in
        SKIP) echo "--- skipped"; continue ;;
        NONE) ;;
        *) echo "--- FAIL: the guest failed"; failed=1; continue ;;
        esac
        if ! grep -q "^(d1) reset: through $port" "$log" ||
            ! grep -q 'd1: platform reset -- rebooting' "$log"; then
            echo "--- FAIL: no platform reset"
            failed=1
        elif [ "$xen_rc" -ne 2 ]; then
            echo "--- FAIL: xen exit status $xen_rc, expected 2 (reboot)"
            failed=1
        else
            echo "--- ok"
            ran=1
        fi
    done
done
finish
