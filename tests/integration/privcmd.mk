# The privcmd socket spoken directly, without the tools libraries:
# privcmd.sh runs privcmd-test against a private xen.
check_PROGRAMS += tests/integration/privcmd-test
tests_integration_privcmd_test_SOURCES = tests/integration/privcmd-test.c
PRIVCMD_TESTS = tests/integration/privcmd.sh
TESTS += $(PRIVCMD_TESTS)
tests/integration/privcmd.log: guest-kernels tests/integration/privcmd-test \
	xen/xen
EXTRA_DIST += $(PRIVCMD_TESTS) tests/integration/privcmd.mk
