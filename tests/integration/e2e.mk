# A toolstack's whole domain life cycle: libxenctrl, libxenguest and our
# xenstored against a private xen, with a guest using its xenstore ring.
check_PROGRAMS += tests/integration/e2e-test
tests_integration_e2e_test_SOURCES = tests/integration/e2e-test.c
tests_integration_e2e_test_CPPFLAGS = $(LIBXC_CPPFLAGS) $(XENSTORE_INCLUDES)
tests_integration_e2e_test_LDADD = tools/libxc/libxenguest.la \
	tools/libxc/libxenctrl.la tools/xenstored/libxenstore.la \
	tools/libs/call/libxencall.la -lpthread
TESTS += tests/integration/e2e.sh
tests/integration/e2e.log: guest-kernels tests/integration/e2e-test \
	tools/xenstored/xenstored
EXTRA_DIST += tests/integration/e2e.sh tests/integration/e2e.mk
