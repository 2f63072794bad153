#!/bin/sh
# The service script: xencommons starts xen, xenstored (with domain 0's
# home) and xenconsoled in order, reports their state, is idempotent, and
# stops them all. Needs no KVM: xen runs domain 0 alone where KVM is absent.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"

bad=0
check()
{
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: got '$2', want '$3'"
        bad=1
    else
        echo "ok: $1"
    fi
}

stack_start xencommons
"$XENCOMMONS" status >"$stack/st1" 2>&1
check "status after start" "$?" 0
check "three services running" "$(grep -c ': running (pid' "$stack/st1")" 3

# Domain 0's home, read with Debian's xenstore client as a user would.
check "dom0 name" "$(XENSTORED_PATH=$XENSTORED_RUNDIR/socket xenstore-read /local/domain/0/name 2>&1)" Domain-0
check "dom0 domid" "$(XENSTORED_PATH=$XENSTORED_RUNDIR/socket xenstore-read /local/domain/0/domid 2>&1)" 0

# A second start leaves the running services alone.
pids1=$(cat "$XEN_RUN_DIR"/xen.pid "$XEN_RUN_DIR"/xenstored.pid "$XEN_RUN_DIR"/xenconsoled.pid)
"$XENCOMMONS" start >"$stack/start2" 2>&1
check "second start" "$?" 0
pids2=$(cat "$XEN_RUN_DIR"/xen.pid "$XEN_RUN_DIR"/xenstored.pid "$XEN_RUN_DIR"/xenconsoled.pid)
check "same daemons after a second start" "$pids2" "$pids1"

stack_stop
[ "$failed" -eq 0 ] || bad=1
"$XENCOMMONS" status >"$stack/st2" 2>&1
check "status after stop" "$?" 3
check "nothing running" "$(grep -c ': stopped' "$stack/st2")" 3
check "privcmd socket gone" "$(test -e "$XEN_RUN_DIR/privcmd" && echo present)" ""
"$XENCOMMONS" stop >/dev/null 2>&1
check "stop when stopped" "$?" 0

# A daemon that cannot start is reported with its log, not waited on forever.
XENSTORED=/bin/false XENCOMMONS_WAIT=5 "$XENCOMMONS" start >"$stack/start3" 2>&1
check "start with a failing xenstored" "$?" 1
grep -q "xenstored exited during start-up" "$stack/start3" ||
    { echo "FAIL: no message for the failed xenstored"; cat "$stack/start3"; bad=1; }
"$XENCOMMONS" stop >/dev/null 2>&1

"$XENCOMMONS" bogus >/dev/null 2>&1
check "unknown action" "$?" 2
exit $bad
