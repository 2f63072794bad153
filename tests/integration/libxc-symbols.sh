#!/bin/sh
# libxenctrl and libxenguest export exactly the functions listed in
# libxc-symbols.txt ("soname tag symbol" a line), all tagged VERS_4.17.0,
# under Xen's sonames; the link for the linker is not the soname; and
# they were compiled against this tree's headers, never /usr/include/xen.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/integration/symbols.sh"

libxc=$top_builddir/tools/libxc
SONAME_IS_FILE=1 check_symbols libxc-symbols "$libxc/.deps/*.Plo" \
    "$libxc/.libs/libxenctrl.so.4.17" "$libxc/.libs/libxenguest.so.4.17"
