#!/bin/sh
# The PV loader on a real Debian kernel (tests/guests/debian-kernel.sh):
# test-libelf-pv --kernel unpacks the bzImage, reads and checks the Xen
# notes, and lays out a 256 MiB domain with a 4 MiB initrd.
. "$top_srcdir/tests/guests/debian-kernel.sh"
exec "$top_builddir/tests/unit/test-libelf-pv" --kernel "$DEBIAN_KERNEL"
