#!/bin/sh
# Grants between two domains (gnttab-peer.c): the granter (domain 1)
# grants a page read-write and one read-only to the mapper (domain 2),
# which maps, copies, unmaps and maps again; the granter then shuts down
# while the mapper still maps its page, and the mapper keeps using it.
# Both must PASS and xen must exit with status 0 after tearing down a
# domain whose page the other still maps.

. "$(dirname "$0")/common.sh"
require_kvm

log=$(mktemp "${TMPDIR:-/tmp}/guest.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=0
skipped=0
ran=0

# pair GRANTER-VARIANT MAPPER-VARIANT
pair()
{
    echo "=== gnttab-interdomain granter-$1 mapper-$2"
    run_xen "$log" \
        "domU=kernel=$GUESTS/gnttab-peer-$1.elf,memory=32,cmdline=granter" \
        "domU=kernel=$GUESTS/gnttab-peer-$2.elf,memory=32,cmdline=mapper"
    v1=$(verdict_of "$log" 1)
    v2=$(verdict_of "$log" 2)
    if [ "$v1" = SKIP ] || [ "$v2" = SKIP ]; then
        echo "--- gnttab-interdomain $1/$2: skipped"
        skipped=$((skipped + 1))
        return
    fi
    ran=$((ran + 1))
    if [ "$v1" = PASS ] && [ "$v2" = PASS ] && [ "$xen_rc" -eq 0 ]; then
        echo "--- ok gnttab-interdomain $1/$2"
    else
        echo "--- FAIL gnttab-interdomain $1/$2: d1 $v1, d2 $v2, xen $xen_rc"
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
