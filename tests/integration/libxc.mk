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

# The scheduler and cpupool calls (no guest needed).
check_PROGRAMS += tests/integration/libxc-sched-test
tests_integration_libxc_sched_test_SOURCES = \
	tests/integration/libxc-sched-test.c
tests_integration_libxc_sched_test_CPPFLAGS = $(LIBXC_CPPFLAGS)
tests_integration_libxc_sched_test_LDADD = tools/libxc/libxenctrl.la
TESTS += tests/integration/libxc-sched.sh
tests/integration/libxc-sched.log: tests/integration/libxc-sched-test \
	xen/xen
EXTRA_DIST += tests/integration/libxc-sched.sh

# The schedulers with real guests (KVM), also bench/sched's driver.
check_PROGRAMS += tests/integration/sched-system-test
tests_integration_sched_system_test_SOURCES = \
	tests/integration/sched-system-test.c
tests_integration_sched_system_test_CPPFLAGS = $(LIBXC_CPPFLAGS)
tests_integration_sched_system_test_LDADD = tools/libxc/libxenguest.la \
	tools/libxc/libxenctrl.la
TESTS += tests/integration/sched-system.sh
tests/integration/sched-system.log: guest-kernels \
	tests/integration/sched-system-test xen/xen
EXTRA_DIST += tests/integration/sched-system.sh
