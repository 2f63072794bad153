#!/bin/sh
# libxenctrl and libxenguest against a private xen (libxc-test.c): xen
# starts with no domain; libxc-test creates, builds, runs and destroys
# PVH domains through the libraries alone. At the end xen, stopped with
# SIGTERM, must exit with status 0 (70 would mean a destroyed domain was
# never freed).
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/host.sh"

require_kvm
host_start libxc
gzip -c "$GUESTS/hello-64.elf" >"$run/hello-64.elf.gz" || exit 1
host_run "$top_builddir/tests/integration/libxc-test" "$GUESTS" \
    "$run/hello-64.elf.gz"
host_stop
exit $failed
