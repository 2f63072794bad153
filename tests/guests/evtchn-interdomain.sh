#!/bin/sh
# Interdomain event channels between two domains (evtchn-peer.c): the
# server (domain 1) allocates a port for the client (domain 2), which
# binds it; they ping-pong, then the server closes its end. Both must
# PASS and xen must exit with status 0. Also run with a 32-bit and a
# 64-bit domain, whose shared_info layouts differ.

. "$(dirname "$0")/common.sh"
require_kvm

log=$(mktemp "${TMPDIR:-/tmp}/guest.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=0
skipped=0
ran=0

# pair SERVER-VARIANT CLIENT-VARIANT
pair()
{
    echo "=== evtchn-interdomain server-$1 client-$2"
    run_xen "$log" \
        "domU=kernel=$GUESTS/evtchn-peer-$1.elf,memory=32,cmdline=server" \
        "domU=kernel=$GUESTS/evtchn-peer-$2.elf,memory=32,cmdline=client"
    v1=$(verdict_of "$log" 1)
    v2=$(verdict_of "$log" 2)
    if [ "$v1" = SKIP ] || [ "$v2" = SKIP ]; then
        echo "--- evtchn-interdomain $1/$2: skipped"
        skipped=$((skipped + 1))
        return
    fi
    ran=$((ran + 1))
    if [ "$v1" = PASS ] && [ "$v2" = PASS ] && [ "$xen_rc" -eq 0 ]; then
        echo "--- ok evtchn-interdomain $1/$2"
    else
        echo "--- FAIL evtchn-interdomain $1/$2: d1 $v1, d2 $v2, xen $xen_rc"
        failed=1
    fi
}

pair 64 64
pair 32 32
pair 32 64
pair pae pae
[ "$failed" -eq 0 ] || exit 1
[ "$ran" -gt 0 ] || exit 77
exit 0
