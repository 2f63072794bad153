#!/bin/sh
# libxenlight and libxentoollog export exactly the functions listed in
# libxl-symbols.txt ("soname tag symbol" a line) under Xen's sonames and
# tags (VERS_4.17.0, VERS_1.0), every one of them a function Xen 4.17's
# libraries export too; and they were compiled against this tree's
# headers, never /usr/include/xen.
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/integration/symbols.sh"

SONAME_IS_FILE=0 check_symbols libxl-symbols \
    "$top_builddir/tools/libxl/.deps/*.Plo" \
    "$top_builddir/tools/libxl/.libs/libxenlight.so.4.17" \
    "$top_builddir/tools/libs/toollog/.libs/libxentoollog.so.1"
