# xl as a user runs it, against a private stack (tests/integration/stack.sh):
# xl-cli.sh needs only domain 0; xl-guests.sh runs guests and needs KVM;
# xl-sched.sh (schedulers, cpupools, affinity) runs its guest part with KVM.
XL_TESTS = tests/integration/xl-cli.sh tests/integration/xl-guests.sh \
	tests/integration/xl-sched.sh
TESTS += $(XL_TESTS)
$(XL_TESTS:.sh=.log): tools/xl/xl xen/xen tools/xenstored/xenstored \
	tools/xenconsoled/xenconsoled tools/xenconsoled/xenconsole \
	tools/helpers/xen-init-dom0 tools/hotplug/Linux/xencommons \
	guest-kernels tests/guests/demo.elf
EXTRA_DIST += $(XL_TESTS) tests/integration/xl-common.sh \
	tests/integration/xl.mk
