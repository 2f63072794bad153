# libxenctrl and libxenguest (tools/libxc) against a live xen, and their
# exported symbols.
check_PROGRAMS += tests/integration/libxc-test
tests_integration_libxc_test_SOURCES = tests/integration/libxc-test.c
tests_integration_libxc_test_CPPFLAGS = $(LIBXC_CPPFLAGS)
tests_integration_libxc_test_LDADD = tools/libxc/libxenguest.la \
	tools/libxc/libxenctrl.la \
	tools/libs/foreignmemory/libxenforeignmemory.la
LIBXC_TESTS = tests/integration/libxc-symbols.sh tests/integration/libxc.sh
TESTS += $(LIBXC_TESTS)
tests/integration/libxc-symbols.log: tools/libxc/libxenctrl.la \
	tools/libxc/libxenguest.la
tests/integration/libxc.log: guest-kernels tests/integration/libxc-test
EXTRA_DIST += $(LIBXC_TESTS) tests/integration/libxc.mk \
	tests/integration/libxc-symbols.txt
