# libxlutil: the xl.cfg parser and device-spec parsers, Xen's soname
# libxlutil.so.4.17 (the libxc trick: -avoid-version -shrext) and tag
# VERS_4.17.0. Only the functions marked XENTOOLS_EXPORT and listed in
# the version script are exported.

LIBXLU_CPPFLAGS = -I$(top_srcdir)/tools/libxl \
	-I$(top_srcdir)/tools/libs/common \
	-include $(top_builddir)/config.h
LIBXLU_SOURCES = \
	tools/libxl/libxlu_internal.h \
	tools/libxl/libxlu_cfg.c \
	tools/libxl/libxlu_cfg_lex.c \
	tools/libxl/libxlu_cfg_parse.c \
	tools/libxl/libxlu_disk.c \
	tools/libxl/libxlu_vif.c

lib_LTLIBRARIES += tools/libxl/libxlutil.la
include_HEADERS += tools/libxl/libxlutil.h
EXTRA_DIST += tools/libxl/libxlutil.map

# libxlu_libxl.c holds what takes libxl's types; like Xen's, the library
# links with libxenlight for them.
tools_libxl_libxlutil_la_SOURCES = $(LIBXLU_SOURCES) \
	tools/libxl/libxlu_libxl.c
tools_libxl_libxlutil_la_CPPFLAGS = $(LIBXL_TYPES_CPPFLAGS) \
	$(TOOLS_LIBS_INCLUDES) -include $(top_builddir)/config.h
tools_libxl_libxlutil_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tools_libxl_libxlutil_la_LDFLAGS = -Wl,--no-undefined -avoid-version \
	-shrext .so.4.17 \
	-Wl,--version-script=$(srcdir)/tools/libxl/libxlutil.map
tools_libxl_libxlutil_la_LIBADD = tools/libxl/libxenlight.la
EXTRA_tools_libxl_libxlutil_la_DEPENDENCIES = tools/libxl/libxlutil.map
$(tools_libxl_libxlutil_la_OBJECTS): $(LIBXL_TYPES_GEN)

# The link a linker looks for (-lxlutil), beside the real file.
install-exec-hook: install-libxlutil-dev-link
uninstall-hook: uninstall-libxlutil-dev-link
install-libxlutil-dev-link:
	rm -f "$(DESTDIR)$(libdir)/libxlutil.so" && \
	    $(LN_S) libxlutil.so.4.17 "$(DESTDIR)$(libdir)/libxlutil.so"
uninstall-libxlutil-dev-link:
	rm -f "$(DESTDIR)$(libdir)/libxlutil.so"
.PHONY: install-libxlutil-dev-link uninstall-libxlutil-dev-link

# Unit tests: the parsers compiled from their sources, and the library
# itself through libxl.h and libxlutil.h as xl includes them.
XLU_TESTS = tests/unit/test-xlu-cfg tests/unit/test-xlu-disk \
	tests/unit/test-xlu-libxl
check_PROGRAMS += $(XLU_TESTS)
TESTS += $(XLU_TESTS)
tests_unit_test_xlu_cfg_SOURCES = tests/unit/test-xlu-cfg.c \
	tools/libxl/libxlu_internal.h tools/libxl/libxlu_cfg.c \
	tools/libxl/libxlu_cfg_lex.c tools/libxl/libxlu_cfg_parse.c
tests_unit_test_xlu_cfg_CPPFLAGS = $(LIBXLU_CPPFLAGS)
tests_unit_test_xlu_disk_SOURCES = tests/unit/test-xlu-disk.c \
	$(LIBXLU_SOURCES)
tests_unit_test_xlu_disk_CPPFLAGS = $(LIBXLU_CPPFLAGS)
tests_unit_test_xlu_libxl_SOURCES = tests/unit/test-xlu-libxl.c
tests_unit_test_xlu_libxl_CPPFLAGS = $(LIBXL_TYPES_CPPFLAGS) \
	$(TOOLS_LIBS_INCLUDES) -include $(top_builddir)/config.h
tests_unit_test_xlu_libxl_LDADD = tools/libxl/libxlutil.la \
	tools/libxl/libxenlight.la
$(tests_unit_test_xlu_libxl_OBJECTS): $(LIBXL_TYPES_GEN)
