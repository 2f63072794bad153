#!/bin/sh
# Two domains map each other's grant and power off still mapping it
# (gnttab-mutual.c). Both must PASS and xen must exit 0: it exits 70 when
# a destroyed domain was never freed.
. "$(dirname "$0")/common.sh"
require_kvm
new_log
run_xen "$log" \
    "domU=kernel=$GUESTS/gnttab-mutual-64.elf,memory=32,cmdline=first" \
    "domU=kernel=$GUESTS/gnttab-mutual-32.elf,memory=32,cmdline=second"
[ "$(verdict_of "$log" 1)" = PASS ] && [ "$(verdict_of "$log" 2)" = PASS ] &&
    [ "$xen_rc" -eq 0 ]
