#!/bin/sh
# SCHEDOP_shutdown_code(reboot) then SCHEDOP_shutdown(poweroff): the
# recorded code wins, so xen exits with 1 + SHUTDOWN_reboot = 2.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    echo "=== sched_op-$v shutdown_code"
    run_xen "$log" \
        "domU=kernel=$GUESTS/sched_op-$v.elf,memory=32,cmdline=shutdown_code"
    case $(verdict_of "$log" 1) in
    SKIP)
        echo "--- skipped"
        continue
        ;;
    FAIL)
        echo "--- FAIL: the guest failed"
        failed=1
        continue
        ;;
    esac
    if ! grep -q "^(d1) shutdown_code reboot set" "$log"; then
        echo "--- FAIL: the guest did not get to the shutdown"
        failed=1
    elif [ "$xen_rc" -ne 2 ]; then
        echo "--- FAIL: xen exit status $xen_rc, expected 2 (reboot)"
        failed=1
    else
        echo "--- ok"
    fi
done
exit $failed
