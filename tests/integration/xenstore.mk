# xenstored and libxenstore tests (tools/xenstored). Xen's own C xenstored
# (xen-utils-4.17) is the reference; Debian's xenstore-utils are the
# clients for interoperability.
check_PROGRAMS += tests/integration/xenstore-wire
tests_integration_xenstore_wire_SOURCES = tests/integration/xenstore-wire.c
tests_integration_xenstore_wire_CPPFLAGS = $(XENSTORE_INCLUDES) \
	-include $(top_builddir)/config.h

check_PROGRAMS += tests/integration/xenstore-test
tests_integration_xenstore_test_SOURCES = tests/integration/xenstore-test.c
tests_integration_xenstore_test_CPPFLAGS = $(XENSTORE_INCLUDES) \
	-include $(top_builddir)/config.h
tests_integration_xenstore_test_LDADD = tools/xenstored/libxenstore.la \
	-lpthread

check_PROGRAMS += tests/integration/xenstore-ring
tests_integration_xenstore_ring_SOURCES = tests/integration/xenstore-ring.c
tests_integration_xenstore_ring_CPPFLAGS = $(XENSTORE_INCLUDES) \
	-include $(top_builddir)/config.h
tests_integration_xenstore_ring_LDADD = tools/xenstored/libxenstore.la

# The LD_PRELOAD shim that runs Xen's C xenstored without a hypervisor.
check_LTLIBRARIES = tests/integration/xenstore-cshim.la
tests_integration_xenstore_cshim_la_SOURCES = \
	tests/integration/xenstore-cshim.c
tests_integration_xenstore_cshim_la_LDFLAGS = -module -avoid-version \
	-shared -rpath /nowhere
tests_integration_xenstore_cshim_la_LIBADD = -ldl

XENSTORE_TESTS = tests/integration/xenstore-wire.sh \
	tests/integration/xenstore-utils.sh \
	tests/integration/xenstore-lib.sh tests/integration/xenstore-ring.sh \
	tests/integration/xenstore-xen.sh
TESTS += $(XENSTORE_TESTS)
$(XENSTORE_TESTS:.sh=.log): tools/xenstored/xenstored \
	tools/xenstored/libxenstore.la tests/integration/xenstore-wire \
	tests/integration/xenstore-test tests/integration/xenstore-ring \
	tests/integration/xenstore-cshim.la
tests/integration/xenstore-xen.log: guest-kernels tests/guests/demo.elf
EXTRA_DIST += $(XENSTORE_TESTS) tests/integration/xenstore-common.sh \
	tests/integration/xenstore-cxenstored.sh \
	tests/integration/xenstore-wire.txt \
	tests/integration/xenstore-wire-domu.txt
