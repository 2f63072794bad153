#!/bin/sh
# Our xenstored on the hypervisor (ring backend "xen": libxenforeignmemory,
# libxenevtchn, libxencall over xen's privcmd socket). A libs-peer domain
# offers domain 0 event channel port 1 and waits for an event on it:
# INTRODUCE maps a page of the domain and binds that port, which wakes
# the domain; it answers and powers off, and VIRQ_DOM_EXC makes xenstored
# report the shutdown with @releaseDomain.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/xenstore-common.sh"

require_kvm
xs_tmpdir
peer=$GUESTS/libs-peer-64.elf
XEN_RUN_DIR=$tmp timeout 120 "$XEN" console_to_stderr \
    "domU=kernel=$peer,memory=16" >"$tmp/xen.log" 2>&1 &
pids="$pids $!"
i=0
while [ ! -S "$tmp/privcmd" ] && [ $i -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ -S "$tmp/privcmd" ] || { echo "FAIL: xen did not start"; cat "$tmp/xen.log"; exit 1; }

mkdir -p "$tmp/xs"
XEN_RUN_DIR=$tmp XENSTORED_PATH=$tmp/xs/socket "$XENSTORED" --no-fork \
    --ring-backend xen 2>"$tmp/xs/xenstored.log" &
pids="$pids $!"
wait_socket "$tmp/xs/socket"

# The ring page: one well inside the domain's 16 MiB, not its kernel's.
{
    printf 'conn 1\nWATCH @releaseDomain r\nconn 0\n'
    printf 'INTRODUCE 1 2048 1\nIS_DOMAIN_INTRODUCED 1\n'
    i=0
    while ! grep -q "d1: shut down" "$tmp/xen.log" && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    printf 'events\nRELEASE 1\nIS_DOMAIN_INTRODUCED 1\n'
} | "$WIRE" "$tmp/xs/socket" >"$tmp/wire.out"
cat "$tmp/wire.out"
# The shutdown event may come before or after IS_DOMAIN_INTRODUCED.
failed=0
expect()
{
    if ! grep -q -- "$1" "$tmp/wire.out"; then
        echo "FAIL: no '$1'"
        failed=1
    fi
}
expect "INTRODUCE OK"
expect "IS_DOMAIN_INTRODUCED T"
expect "RELEASE OK"
expect "IS_DOMAIN_INTRODUCED F"
n=$(grep -c "event WATCH_EVENT @releaseDomain" "$tmp/wire.out")
if [ "$n" -ne 3 ]; then
    echo "FAIL: $n @releaseDomain events, want 3 (set, shutdown, release)"
    failed=1
fi
if [ "$(verdict_of "$tmp/xen.log" 1)" != PASS ]; then
    echo "FAIL: the domain did not get the event"
    failed=1
fi
sed 's/^/    xen: /' "$tmp/xen.log"
sed 's/^/    xenstored: /' "$tmp/xs/xenstored.log"
exit $failed
