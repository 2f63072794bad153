#!/bin/sh
# Hostile PV kernels (pv/crash.c) crash themselves only: xen exits with
# status 4 (a domain crashed), logs the crash, the hostile domain prints
# no verdict, and a well-behaved PV domain beside it PASSes.

. "$(dirname "$0")/../common.sh"
require_kvm
new_log
good=$GUESTS/pv/hello-pv.elf

for m in no_handler hlt wild_handler noncanonical_handler bad_stack \
    bad_iret; do
    echo "=== pv-crash $m"
    run_xen "$log" \
        "domU=kernel=$GUESTS/pv/crash-pv.elf,memory=32,type=pv,cmdline=$m" \
        "domU=kernel=$good,memory=32,type=pv"
    why=
    [ "$xen_rc" -eq 4 ] || why="xen exit status $xen_rc, expected 4"
    [ "$(verdict_of "$log" 1)" = NONE ] || why="$why; d1 printed a verdict"
    grep -q "^(d1) crash: doing $m" "$log" || why="$why; d1 did not start"
    grep -q "d1: crashed" "$log" || why="$why; xen did not log the crash"
    [ "$(verdict_of "$log" 2)" = PASS ] || why="$why; d2 did not PASS"
    if [ -n "$why" ]; then
        echo "--- FAIL pv-crash $m: ${why#; }"
        failed=1
    else
        echo "--- ok pv-crash $m"
    fi
done
exit $failed
