# libxenlight (tools/libxl) and libxentoollog: their exported symbols, and
# libxl-test, a program that drives domains through libxl's API as an
# orchestrator would, against a private xen + xenstored + xenconsoled.
check_PROGRAMS += tests/integration/libxl-test
tests_integration_libxl_test_SOURCES = tests/integration/libxl-test.c \
	tests/integration/testlib.h
tests_integration_libxl_test_CPPFLAGS = $(LIBXL_CPPFLAGS)
tests_integration_libxl_test_LDADD = tools/libxl/libxenlight.la \
	tools/libxc/libxenctrl.la tools/xenstored/libxenstore.la \
	tools/libs/toollog/libxentoollog.la
$(tests_integration_libxl_test_OBJECTS): $(LIBXL_TYPES_GEN)
# The xenstore side of creation and destruction without a guest: it
# includes libxl_create.c and compiles the rest of libxl's sources too,
# so that their hidden functions are within reach.
check_PROGRAMS += tests/integration/libxl-layout
tests_integration_libxl_layout_SOURCES = tests/integration/libxl-layout.c \
	tests/integration/testlib.h $(LIBXL_TYPES_SOURCES) \
	$(LIBXL_SOURCES_BUT_CREATE)
nodist_tests_integration_libxl_layout_SOURCES = $(LIBXL_TYPES_GEN)
tests_integration_libxl_layout_CPPFLAGS = $(LIBXL_CPPFLAGS)
tests_integration_libxl_layout_CFLAGS = $(AM_CFLAGS) -pthread
tests_integration_libxl_layout_LDADD = tools/libxc/libxenguest.la \
	tools/libxc/libxenctrl.la tools/xenstored/libxenstore.la \
	tools/libs/toollog/libxentoollog.la $(LIBXL_TYPES_LIBS) -lpthread
$(tests_integration_libxl_layout_OBJECTS): $(LIBXL_TYPES_GEN)
LIBXL_TESTS = tests/integration/libxl-symbols.sh tests/integration/libxl.sh \
	tests/integration/libxl-guest.sh
TESTS += $(LIBXL_TESTS)
tests/integration/libxl-symbols.log: tools/libxl/libxenlight.la \
	tools/libs/toollog/libxentoollog.la
# What stack.sh starts, and the test kernels.
LIBXL_STACK = guest-kernels tests/integration/libxl-test \
	tests/integration/libxl-layout xen/xen \
	tools/xenstored/xenstored tools/xenconsoled/xenconsoled \
	tools/xenconsoled/xenconsole tools/helpers/xen-init-dom0 \
	tools/hotplug/Linux/xencommons
tests/integration/libxl.log: $(LIBXL_STACK)
tests/integration/libxl-guest.log: $(LIBXL_STACK)
EXTRA_DIST += $(LIBXL_TESTS) tests/integration/libxl.mk \
	tests/integration/libxl-symbols.txt
