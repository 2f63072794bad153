# Build rules for the guest test kernels (GNU make).
#
# tests/guests/Makefile.inc runs this as a sub-make from the top of the
# build tree, because automake's own rules would use the host flags and
# cannot express one source built three ways. By hand:
#   make -f ../tests/guests/guest.mk srcdir=.. \
#       GUEST_ELFS="tests/guests/hello-64.elf tests/guests/hello-32.elf" all
#
# tests/guests/NAME-V.elf is NAME.c built for variant V (64, 32, pae)
# and linked with the runtime in lib/ built the same way.

srcdir ?= .
CC ?= gcc
GUEST_LD ?= ld
GUEST_ELFS ?=
V ?= 0

G := tests/guests
S := $(srcdir)/$(G)
VARIANTS := 64 32 pae

GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -nostdlib -mno-sse -mno-mmx -mno-red-zone \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fcf-protection=none -fno-strict-aliasing -fno-common \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -MMD -MP \
	-I$(srcdir)/xen/include -I$(S)/lib
CFLAGS_64 := -m64
CFLAGS_32 := -m32
CFLAGS_pae := -m32 -DGUEST_PAE
LDEMU_64 := elf_x86_64
LDEMU_32 := elf_i386
LDEMU_pae := elf_i386
GUEST_LDFLAGS := -nostdlib -static --build-id=none -z max-page-size=4096 \
	--no-warn-rwx-segments -T $(S)/lib/kernel.lds

LIB := head setup verdict traps console string events smp pvring xenstore pvconsole apic

# Quiet like automake's silent rules unless V=1.
ifeq ($(V),1)
say :=
else
say = @printf '  %-8s %s\n' $(1) $(2);
endif

all: $(GUEST_ELFS)
.PHONY: all

define variant
LIB_OBJS_$(1) := $(foreach f,$(LIB),$(G)/lib/$(f)-$(1).o)

$(G)/lib/%-$(1).o: $(S)/lib/%.c $(S)/guest.mk
	@mkdir -p $$(@D)
	$$(call say,GUESTCC,$$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_$(1)) \
		-DGUEST_VARIANT='"$(1)"' -c -o $$@ $$<

$(G)/lib/%-$(1).o: $(S)/lib/%.S $(S)/guest.mk
	@mkdir -p $$(@D)
	$$(call say,GUESTAS,$$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_$(1)) \
		-D__ASSEMBLY__ -c -o $$@ $$<

$(G)/%-$(1).o: $(S)/%.c $(S)/guest.mk
	@mkdir -p $$(@D)
	$$(call say,GUESTCC,$$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_$(1)) \
		-DGUEST_VARIANT='"$(1)"' -DTEST_NAME='"$$*"' -c -o $$@ $$<

$(G)/%-$(1).elf: $(G)/%-$(1).o $$(LIB_OBJS_$(1)) $(S)/lib/kernel.lds
	$$(call say,GUESTLD,$$@)$(GUEST_LD) -m $(LDEMU_$(1)) $(GUEST_LDFLAGS) \
		-o $$@ $$< $$(LIB_OBJS_$(1))
endef
$(foreach v,$(VARIANTS),$(eval $(call variant,$(v))))

# Classic PV test kernels (tests/guests/pv/): pv/NAME-pv.elf from
# pv/NAME.c, 64-bit only, linked at the kernel's virtual base with the PV
# runtime and the kit's mode-independent files.
CFLAGS_pv := -m64 -mcmodel=kernel -DGUEST_PV
PV_LIB_OBJS := $(G)/pv/head-pv.o $(G)/pv/setup-pv.o \
	$(foreach f,verdict console string,$(G)/lib/$(f)-pv.o)

$(G)/lib/%-pv.o: $(S)/lib/%.c $(S)/guest.mk
	@mkdir -p $(@D)
	$(call say,GUESTCC,$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_pv) \
		-DGUEST_VARIANT='"pv"' -c -o $@ $<

$(G)/pv/%-pv.o: $(S)/pv/%.S $(S)/guest.mk
	@mkdir -p $(@D)
	$(call say,GUESTAS,$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_pv) \
		-D__ASSEMBLY__ -c -o $@ $<

# The runtime, then the tests (which alone get TEST_NAME).
$(G)/pv/setup-pv.o: $(S)/pv/setup.c $(S)/guest.mk
	@mkdir -p $(@D)
	$(call say,GUESTCC,$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_pv) \
		-DGUEST_VARIANT='"pv"' -c -o $@ $<

$(G)/pv/%-pv.o: $(S)/pv/%.c $(S)/guest.mk
	@mkdir -p $(@D)
	$(call say,GUESTCC,$@)$(CC) $(GUEST_CFLAGS) $(CFLAGS_pv) \
		-DGUEST_VARIANT='"pv"' -DTEST_NAME='"$*"' -c -o $@ $<

$(G)/pv/%-pv.elf: $(G)/pv/%-pv.o $(PV_LIB_OBJS) $(S)/pv/kernel.lds
	$(call say,GUESTLD,$@)$(GUEST_LD) -m elf_x86_64 \
		$(subst $(S)/lib/kernel.lds,$(S)/pv/kernel.lds,$(GUEST_LDFLAGS)) \
		-o $@ $< $(PV_LIB_OBJS)

# Keep the objects: they are the dependency cache, not intermediates.
.SECONDARY:

-include $(wildcard $(G)/*.d $(G)/lib/*.d $(G)/pv/*.d)
