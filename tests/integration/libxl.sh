#!/bin/sh
# libxenlight against a private stack with domain 0 only (no guest runs):
# libxl-test's "host" checks, libxl-layout (the xenstore trees of
# creation and destruction), and libxl-test's "nohv" checks with no
# hypervisor at all. The guest life cycles are libxl-guest.sh (needs KVM).
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"

TEST=$top_builddir/tests/integration/libxl-test
LAYOUT=$top_builddir/tests/integration/libxl-layout
for p in "$XEN" "$TEST" "$LAYOUT"; do
    if [ ! -x "$p" ]; then
        echo "FAIL: $p is not built"
        exit 1
    fi
done

echo "=== no hypervisor"
nohv=$(mktemp -d "${TMPDIR:-/tmp}/libxl-nohv.XXXXXX")
XEN_RUN_DIR=$nohv timeout 60 "$TEST" nohv
nohv_rc=$?
rm -rf "$nohv"

echo "=== domain 0 only"
stack_start libxl
timeout 240 "$TEST" host "$GUESTS/hello-64.elf"
host_rc=$?
echo "=== xenstore trees"
# A xenstored of its own whose file ring backend makes domain 31000 exist
# (the hypervisor has no such domain): permissions may then name it.
rings=$stack/rings
mkdir -p "$rings"
head -c 4096 /dev/zero >"$rings/ring-31000"
XENSTORED_PATH=$rings/socket "$top_builddir/tools/xenstored/xenstored" \
    --no-fork --test-rings "$rings" 2>"$rings/xenstored.log" &
rings_pid=$!
tries=0
while [ ! -S "$rings/socket" ] && [ $tries -lt 200 ]; do
    sleep 0.05
    tries=$((tries + 1))
done
XENSTORED_PATH=$rings/socket timeout 60 "$LAYOUT" "$GUESTS/hello-64.elf"
layout_rc=$?
kill "$rings_pid"
wait "$rings_pid"
stack_stop

[ "$nohv_rc" -eq 0 ] || echo "FAIL: libxl-test nohv exited with $nohv_rc"
[ "$host_rc" -eq 0 ] || echo "FAIL: libxl-test host exited with $host_rc"
[ "$layout_rc" -eq 0 ] || echo "FAIL: libxl-layout exited with $layout_rc"
[ "$nohv_rc" -eq 0 ] && [ "$host_rc" -eq 0 ] && [ "$layout_rc" -eq 0 ] &&
    [ "$failed" -eq 0 ]
