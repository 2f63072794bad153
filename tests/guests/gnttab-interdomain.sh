#!/bin/sh
# Grants between two domains (gnttab-peer.c): the granter (domain 1)
# grants a page read-write and one read-only to the mapper (domain 2),
# which maps, copies, unmaps and maps again; the granter then shuts down
# while the mapper still maps its page, and the mapper keeps using it.
# Both must PASS and xen must exit with status 0 after tearing down a
# domain whose page the other still maps.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

run_pairs gnttab-interdomain gnttab-peer granter mapper
finish
