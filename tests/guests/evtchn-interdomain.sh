#!/bin/sh
# Interdomain event channels between two domains (evtchn-peer.c): the
# server (domain 1) allocates a port for the client (domain 2), which
# binds it; they ping-pong, then the server closes its end. Both must
# PASS and xen must exit with status 0. Also run with a 32-bit and a
# 64-bit domain, whose shared_info layouts differ.

. "$(dirname "$0")/common.sh"
require_kvm
new_log

run_pairs evtchn-interdomain evtchn-peer server client
finish
