#!/bin/sh
# A domain spinning forever on the only pCPU must not starve another
# domain, and SIGTERM stops xen cleanly with both domains destroyed.
. "$(dirname "$0")/common.sh"
require_kvm
new_log
"$XEN" console_to_stderr pcpus=1 \
    "domU=kernel=$GUESTS/spinner-64.elf,memory=16" \
    "domU=kernel=$GUESTS/xen_version-64.elf,memory=16" >"$log" 2>&1 &
pid=$!
for _ in $(seq 600); do
    grep -q "^(d2) PASS" "$log" && break
    sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
rc=$?
cat "$log"
grep -q "^(d1) spinning" "$log" && grep -q "^(d2) PASS xen_version-64" "$log" &&
    grep -q "d1: destroyed" "$log" && grep -q "d2: destroyed" "$log" &&
    [ "$rc" -eq 0 ]
