#!/bin/sh
# The platform device tests (pit.c, rtc.c, hpet.c, pmtimer.c) on a
# type=hvm domain, each variant through run-guest.sh.

. "$(dirname "$0")/common.sh"
require_kvm
run_variants ",type=hvm" pit rtc hpet pmtimer
finish
