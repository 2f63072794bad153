#!/bin/sh
# libxenlight's guest life cycles on a private stack: libxl-test creates
# PVH domains from configurations built in C, follows them with the event
# API and checks that destroying them returns everything. Needs KVM.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"

require_kvm
stack_start libxl-guest
timeout 300 "$top_builddir/tests/integration/libxl-test" guest \
    "$GUESTS/hello-64.elf" "$GUESTS/spinner-64.elf"
rc=$?
stack_stop
[ "$rc" -eq 0 ] || echo "FAIL: libxl-test guest exited with $rc"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
