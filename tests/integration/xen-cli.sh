#!/bin/sh
# The xen command as a user runs it: options, errors that say what is
# wrong, the memory budget, compressed kernels, and several boot-time
# domains with more vCPUs than pCPUs.
. "$top_srcdir/tests/guests/common.sh"

failed=0
log=$(mktemp "${TMPDIR:-/tmp}/xen-cli.XXXXXX")
trap 'rm -f "$log" "$log.gz" "$log.txt"' EXIT

# expect NAME WANT-STATUS PATTERN XEN-ARGS...: xen exits WANT-STATUS and
# its output matches the extended regexp PATTERN.
expect()
{
    name=$1 want=$2 pattern=$3
    shift 3
    timeout 120 "$XEN" console_to_stderr exit_on_shutdown "$@" >"$log" 2>&1
    rc=$?
    if [ "$rc" -ne "$want" ] || ! grep -Eq -- "$pattern" "$log"; then
        echo "FAIL $name: exit $rc (want $want), output:"
        sed 's/^/    /' "$log"
        failed=1
    else
        echo "ok   $name"
    fi
}

hello=$GUESTS/hello-64.elf

out=$("$XEN" --help)
if [ $? -ne 0 ] || ! echo "$out" | grep -q "dom0_mem" ||
    ! echo "$out" | grep -q "domU"; then
    echo "FAIL --help does not list the options"
    failed=1
else
    echo "ok   --help"
fi

expect bad-value 1 "bad value in 'pcpus=many'" pcpus=many
expect bad-dom0-mem 1 "bad value in 'dom0_mem=lots'" dom0_mem=lots
expect bad-domU 1 "bad value in 'domU=memory=8'" domU=memory=8

require_kvm

expect unknown-option 0 "unknown option 'frobnicate=1' ignored" \
    frobnicate=1 "domU=kernel=$hello,memory=16"
expect missing-kernel 1 "cannot read /nonexistent/kernel" \
    "domU=kernel=/nonexistent/kernel,memory=16"
echo "not a kernel" >"$log.txt"
expect not-elf 1 "not an ELF image" "domU=kernel=$log.txt,memory=16"
expect not-pvh 1 "not a PVH kernel" "domU=kernel=$XEN,memory=16"

# 96 MiB in all, 64 MiB firmly domain 0's: a 48 MiB domain cannot fit.
expect budget-exhausted 1 "cannot allocate 48 MiB" \
    mem=96M dom0_mem=64M "domU=kernel=$hello,memory=48"
# Without an explicit size domain 0 lends what new domains need.
expect budget-balloon 0 "PASS hello-64" mem=96M "domU=kernel=$hello,memory=48"

gzip -c "$hello" >"$log.gz"
expect gzip-kernel 0 "PASS hello-64" "domU=kernel=$log.gz,memory=16"

# Three domains, five vCPUs, one pCPU: all finish.
expect overcommit 0 "PASS xen_version-32" pcpus=1 \
    "domU=kernel=$hello,memory=16,vcpus=2" \
    "domU=kernel=$GUESTS/xen_version-32.elf,memory=16,vcpus=2" \
    "domU=kernel=$GUESTS/demo.elf,memory=32,name=demo"
if [ "$(grep -c "PASS" "$log")" -ne 2 ] || ! grep -q "Powering off" "$log"; then
    echo "FAIL overcommit: not every domain finished"
    failed=1
fi

exit $failed
