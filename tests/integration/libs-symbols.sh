#!/bin/sh
# Each tools library exports exactly Xen's functions with Xen's version
# tags and soname (libs-symbols.txt, one "soname tag symbol" a line), and
# was compiled against this tree's public headers, never a system's
# /usr/include/xen.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/integration/symbols.sh"

libs=$top_builddir/tools/libs
check_symbols libs-symbols "$libs/*/.deps/*.Plo" \
    "$libs/call/.libs/libxencall.so" "$libs/evtchn/.libs/libxenevtchn.so" \
    "$libs/foreignmemory/.libs/libxenforeignmemory.so" \
    "$libs/gnttab/.libs/libxengnttab.so" \
    "$libs/toolcore/.libs/libxentoolcore.so"
