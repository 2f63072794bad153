# libxl's types, generated from tools/libxl/libxl_types.idl by
# tools/libxl/idl/gentypes.py, and the hand-written base types and JSON
# they build on.  libxenlight takes them with
#   xxx_SOURCES += $(LIBXL_TYPES_SOURCES)
#   nodist_xxx_SOURCES += $(LIBXL_TYPES_GEN)
#   xxx_CPPFLAGS += $(LIBXL_TYPES_CPPFLAGS)   xxx_LIBADD += $(LIBXL_TYPES_LIBS)
#   $(xxx_OBJECTS): $(LIBXL_TYPES_GEN)     (so that "make xxx" works alone)
# and its version script takes the names in tools/libxl/libxl_types.sym
# (generated next to the code: every exported function and table).

LIBXL_TYPES_SOURCES = \
	tools/libs/common/export.h \
	tools/libxl/libxl_basetypes.c tools/libxl/libxl_basetypes.h \
	tools/libxl/libxl_json.c tools/libxl/libxl_json.h \
	tools/libxl/libxl_types_internal.h \
	tools/libxl/libxl_uuid.c tools/libxl/libxl_uuid.h
LIBXL_TYPES_GEN = \
	tools/libxl/_libxl_types.c tools/libxl/_libxl_types.h \
	tools/libxl/_libxl_types_json.h tools/libxl/_libxl_types_private.h
# The generated headers come from the build tree, so first.
LIBXL_TYPES_CPPFLAGS = \
	-I$(top_builddir)/tools/libxl \
	-I$(top_srcdir)/tools/libxl \
	-I$(top_srcdir)/tools/libs/common
LIBXL_TYPES_LIBS = -lyajl -luuid

# Generated before anything compiles: libxl.h users need the headers.
# (Makefile.am does not set BUILT_SOURCES; a fragment after this may +=.)
BUILT_SOURCES = $(LIBXL_TYPES_GEN) tools/libxl/libxl_types.sym
CLEANFILES += $(LIBXL_TYPES_GEN) tools/libxl/libxl_types.sym \
	tools/libxl/types.stamp
EXTRA_DIST += tools/libxl/libxl_types.idl tools/libxl/idl/gentypes.py

# One generator run writes every output; the stamp orders it once.
LIBXL_TYPES_EXPORTERS = \
	$(srcdir)/tools/libxl/libxl_basetypes.c \
	$(srcdir)/tools/libxl/libxl_json.c \
	$(srcdir)/tools/libxl/libxl_uuid.c
tools/libxl/types.stamp: $(srcdir)/tools/libxl/libxl_types.idl \
		$(srcdir)/tools/libxl/idl/gentypes.py $(LIBXL_TYPES_EXPORTERS)
	@$(MKDIR_P) tools/libxl
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/tools/libxl/idl/gentypes.py \
		$(srcdir)/tools/libxl/libxl_types.idl tools/libxl \
		--sym tools/libxl/libxl_types.sym $(LIBXL_TYPES_EXPORTERS)
	@touch $@
$(LIBXL_TYPES_GEN) tools/libxl/libxl_types.sym: tools/libxl/types.stamp
	@test -f $@ || { rm -f tools/libxl/types.stamp; \
		$(MAKE) $(AM_MAKEFLAGS) tools/libxl/types.stamp; }

# The types against the real base-type sources: init/dispose/copy, JSON.
check_PROGRAMS += tests/unit/test-libxl-types
TESTS += tests/unit/test-libxl-types
tests_unit_test_libxl_types_SOURCES = tests/unit/test-libxl-types.c \
	tests/unit/unit.h $(LIBXL_TYPES_SOURCES)
nodist_tests_unit_test_libxl_types_SOURCES = $(LIBXL_TYPES_GEN)
tests_unit_test_libxl_types_CPPFLAGS = $(AM_CPPFLAGS) $(LIBXL_TYPES_CPPFLAGS)
tests_unit_test_libxl_types_LDADD = $(LIBXL_TYPES_LIBS)
$(tests_unit_test_libxl_types_OBJECTS): $(LIBXL_TYPES_GEN)

# The generator on its own small IDL: layout, defaults and JSON shape
# compiled and run, and its refusals of broken IDL.  The test's generated
# headers come first so that they, not libxl's, are the ones included.
IDL_TEST_GEN = \
	tools/libxl/idl/test/_libxl_types.c tools/libxl/idl/test/_libxl_types.h \
	tools/libxl/idl/test/_libxl_types_json.h \
	tools/libxl/idl/test/_libxl_types_private.h
CLEANFILES += $(IDL_TEST_GEN) tools/libxl/idl/test/stamp
EXTRA_DIST += tools/libxl/idl/test.idl tools/libxl/idl/test-gentypes-errors.sh
tools/libxl/idl/test/stamp: $(srcdir)/tools/libxl/idl/test.idl \
		$(srcdir)/tools/libxl/idl/gentypes.py
	@$(MKDIR_P) tools/libxl/idl/test
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/tools/libxl/idl/gentypes.py \
		$(srcdir)/tools/libxl/idl/test.idl tools/libxl/idl/test
	@touch $@
$(IDL_TEST_GEN): tools/libxl/idl/test/stamp
	@test -f $@ || { rm -f tools/libxl/idl/test/stamp; \
		$(MAKE) $(AM_MAKEFLAGS) tools/libxl/idl/test/stamp; }

check_PROGRAMS += tools/libxl/idl/test-gentypes
TESTS += tools/libxl/idl/test-gentypes tools/libxl/idl/test-gentypes-errors.sh
tools_libxl_idl_test_gentypes_SOURCES = tools/libxl/idl/test-gentypes.c \
	tests/unit/unit.h $(LIBXL_TYPES_SOURCES)
nodist_tools_libxl_idl_test_gentypes_SOURCES = $(IDL_TEST_GEN)
tools_libxl_idl_test_gentypes_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_builddir)/tools/libxl/idl/test $(LIBXL_TYPES_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
tools_libxl_idl_test_gentypes_LDADD = $(LIBXL_TYPES_LIBS)
$(tools_libxl_idl_test_gentypes_OBJECTS): $(IDL_TEST_GEN)
