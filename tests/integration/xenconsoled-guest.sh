#!/bin/sh
# xenconsoled with guests on their PV console rings (needs KVM): a
# private stack with guest logging, and xenconsoled-guest driving two
# console-ring domains (64- and 32-bit) through their ptys: bogus console
# nodes, output before attach, input, floods and fairness, hostile ring
# indices, a daemon restart, a daemon killed with SIGKILL (and `xl
# console` meanwhile), overflow past the limit, the xenconsole client,
# and the guest logs.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"

require_kvm
export XENCONSOLED_TRACE=guest
stack_start xenconsoled-guest
XENCOMMONS=$XENCOMMONS XL=$XL \
    XENCONSOLE=$top_builddir/tools/xenconsoled/xenconsole \
    timeout 900 "$top_builddir/tests/integration/xenconsoled-guest" \
    "$GUESTS/console-ring-64.elf" "$GUESTS/console-ring-32.elf"
rc=$?
[ "$rc" -eq 0 ] || echo "FAIL: xenconsoled-guest exited $rc"
stack_stop
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
