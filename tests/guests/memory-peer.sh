#!/bin/sh
# Two domains (memory-reservation.c with "peer"): each may not touch the
# other's reservation, physmap or HVM parameters (-EPERM, or 0 extents).

. "$(dirname "$0")/common.sh"
require_kvm
new_log

for v in 64 32 pae; do
    run_pair memory-peer memory-reservation peer peer $v $v
done
finish
