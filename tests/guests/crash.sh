#!/bin/sh
# Hostile guests (crash.c) that must end up crashed while xen and a
# second, well-behaved domain carry on: xen exits with status 4 (crash),
# the hostile domain prints no verdict, and the other one PASSes.

. "$(dirname "$0")/common.sh"
require_kvm
new_log
good=$GUESTS/hello-64.elf

# check VARIANT MISDEED EXPECTED-STATUS
check()
{
    echo "=== crash-$1 $2"
    run_xen "$log" "domU=kernel=$GUESTS/crash-$1.elf,memory=32,cmdline=$2" \
        "domU=kernel=$good,memory=32"
    if [ "$(verdict_of "$log" 1)" = SKIP ]; then
        echo "--- crash-$1 $2: skipped"
        return
    fi
    why=
    [ "$xen_rc" -eq "$3" ] || why="xen exit status $xen_rc, expected $3"
    [ "$(verdict_of "$log" 1)" = NONE ] || why="$why; d1 printed a verdict"
    grep -q "^(d1) crash: doing" "$log" || why="$why; d1 did not start"
    [ "$(verdict_of "$log" 2)" = PASS ] || why="$why; d2 did not PASS"
    if [ "$3" -eq 4 ]; then
        grep -q "d1: crashed" "$log" || why="$why; xen did not log the crash"
    fi
    if [ -n "$why" ]; then
        echo "--- FAIL crash-$1 $2: ${why#; }"
        failed=1
    else
        echo "--- ok crash-$1 $2"
    fi
}

for v in 64 32 pae; do
    for m in triple int3 scribble scribble_ud badcr3; do
        check $v $m 4
    done
    check $v cli_hlt 0
done
exit $failed
