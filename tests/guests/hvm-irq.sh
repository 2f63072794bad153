#!/bin/sh
# The platform's interrupts on a type=hvm domain: pic.c (PIT IRQ 0 and
# RTC IRQ 8 through the 8259s to vCPU 0's LVT0) and ioapic.c (RTC and
# HPET through the IOAPIC to the LAPIC), each variant through
# run-guest.sh.

. "$(dirname "$0")/common.sh"
require_kvm
run_variants ",type=hvm" pic ioapic
finish
