/*
 * xen_version: every sub-op, the zero padding of the string sub-ops,
 * the permission and argument checks, and bad buffers.
 */
#include "guest.h"

/* Guest-physical memory nobody backs: any copy there fails. */
#define UNBACKED 0xe0000000UL

static uint8_t buf[1100];

/* Fill buf with a pattern so we can see what the hypercall wrote. */
static void poison(void)
{
    memset(buf, 0xa5, sizeof(buf));
}

/* A NUL-terminated string in buf[0..size), zeros to the end, untouched after.
 */
static void check_padded(const char *what, size_t size)
{
    size_t len = strnlen((const char *)buf, size);

    check(len < size, "%s: not NUL-terminated", what);
    for (size_t i = len; i < size; i++)
        check(buf[i] == 0, "%s: byte %u is %#x, not zero padding", what,
              (unsigned int)i, buf[i]);
    check(buf[size] == 0xa5, "%s: wrote past %u bytes", what,
          (unsigned int)size);
}

static void test_strings(void)
{
    static const struct {
        int cmd;
        const char *name;
        size_t size;
    } ops[] = {
        {XENVER_extraversion, "extraversion", sizeof(xen_extraversion_t)},
        {XENVER_capabilities, "capabilities", sizeof(xen_capabilities_info_t)},
        {XENVER_changeset, "changeset", sizeof(xen_changeset_info_t)},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        poison();
        check_eq(HYPERVISOR_xen_version(ops[i].cmd, buf), 0);
        check_padded(ops[i].name, ops[i].size);
        printk("%s: \"%s\"\n", ops[i].name, (const char *)buf);
    }
    poison();
    HYPERVISOR_xen_version(XENVER_capabilities, buf);
#ifdef __x86_64__
    check(strstr((const char *)buf, "hvm-3.0-x86_64"), "capabilities");
#else
    check(strstr((const char *)buf, "hvm-3.0-x86_32"), "capabilities");
#endif

    /* Each string field of compile_info is padded on its own. */
    struct xen_compile_info *ci = (void *)buf;
    poison();
    check_eq(HYPERVISOR_xen_version(XENVER_compile_info, buf), 0);
    check(buf[sizeof(*ci)] == 0xa5, "compile_info wrote past the struct");
    const struct {
        const char *f;
        size_t size;
    } fields[] = {
        {ci->compiler, sizeof(ci->compiler)},
        {ci->compile_by, sizeof(ci->compile_by)},
        {ci->compile_domain, sizeof(ci->compile_domain)},
        {ci->compile_date, sizeof(ci->compile_date)},
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++) {
        size_t len = strnlen(fields[i].f, fields[i].size);

        check(len < fields[i].size, "compile_info field %u unterminated", i);
        for (size_t j = len; j < fields[i].size; j++)
            check(fields[i].f[j] == 0, "compile_info field %u not padded", i);
    }
    printk("compiled by %s with %s on %s\n", ci->compile_by, ci->compiler,
           ci->compile_date);
}

static void test_numbers(void)
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    check(v > 0, "version %ld", v);
    check_eq(v >> 16, 4);
    printk("Xen %ld.%ld\n", v >> 16, v & 0xffff);
    check_eq(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);

    /* platform_parameters writes one xen_ulong_t (4 bytes in 32-bit). */
    poison();
    check_eq(HYPERVISOR_xen_version(XENVER_platform_parameters, buf), 0);
    check(buf[sizeof(xen_platform_parameters_t)] == 0xa5,
          "platform_parameters wrote past %u bytes",
          (unsigned int)sizeof(xen_platform_parameters_t));

    /* guest_handle: the 16-byte domain handle. */
    poison();
    check_eq(HYPERVISOR_xen_version(XENVER_guest_handle, buf), 0);
    check(buf[sizeof(xen_domain_handle_t)] == 0xa5,
          "guest_handle wrote past 16 bytes");
}

static void test_features(void)
{
    struct xen_feature_info fi = {.submap_idx = 0, .submap = 0xdeadbeef};

    check_eq(sizeof(fi), 8);
    check_eq(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    check_eq(fi.submap_idx, 0);
    printk("features[0] = %#x\n", fi.submap);
    check(fi.submap & (1U << XENFEAT_hvm_callback_vector),
          "no XENFEAT_hvm_callback_vector");
    check(fi.submap & (1U << XENFEAT_auto_translated_physmap),
          "no XENFEAT_auto_translated_physmap");
    check(!(fi.submap & (1U << XENFEAT_dom0)), "a domU has XENFEAT_dom0");

    for (unsigned int idx = XENFEAT_NR_SUBMAPS; idx < XENFEAT_NR_SUBMAPS + 3;
         idx++) {
        fi = (struct xen_feature_info){.submap_idx = idx, .submap = 0x1234};
        check_eq(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL);
        check_eq(fi.submap, 0x1234);
    }
    fi = (struct xen_feature_info){.submap_idx = ~0U};
    check_eq(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL);
}

static void test_denied(void)
{
    /* Privileged sub-ops: a domU gets -EPERM and nothing written. */
    poison();
    check_eq(HYPERVISOR_xen_version(XENVER_commandline, buf), -EPERM);
    check(buf[0] == 0xa5, "commandline written despite -EPERM");

    struct xen_build_id *id = (void *)buf;
    poison();
    id->len = sizeof(buf) - sizeof(*id);
    check_eq(HYPERVISOR_xen_version(XENVER_build_id, id), -EPERM);
    check(id->buf[0] == 0xa5, "build_id written despite -EPERM");

    /* Unknown sub-ops. */
    check_eq(HYPERVISOR_xen_version(11, buf), -ENOSYS);
    check_eq(HYPERVISOR_xen_version(64, buf), -ENOSYS);
    check_eq(HYPERVISOR_xen_version(0x7fffffff, buf), -ENOSYS);
    check_eq(HYPERVISOR_xen_version(-1, buf), -ENOSYS);
}

static void test_bad_buffers(void)
{
    const void *bad = (const void *)UNBACKED;

    check_eq(HYPERVISOR_xen_version(XENVER_extraversion, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_compile_info, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_capabilities, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_changeset, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_platform_parameters, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_get_features, bad), -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_guest_handle, bad), -EFAULT);
    /* Sub-ops without an argument ignore it. */
    check(HYPERVISOR_xen_version(XENVER_version, bad) > 0, "version");
    check_eq(HYPERVISOR_xen_version(XENVER_pagesize, bad), 4096);

    /* A buffer that runs off the end of RAM. */
    uint64_t ram = ram_bytes();
    if (ram && ram < 0xe0000000ULL) {
        const void *edge = (const void *)(uintptr_t)(ram - 8);
        check_eq(HYPERVISOR_xen_version(XENVER_extraversion, edge), -EFAULT);
    }
#ifdef __x86_64__
    /* Virtual addresses with no mapping, and non-canonical ones. */
    check_eq(
        HYPERVISOR_xen_version(XENVER_extraversion, (void *)0x100000000000UL),
        -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_extraversion,
                                    (void *)0x8000000000000000UL),
             -EFAULT);
    check_eq(HYPERVISOR_xen_version(XENVER_extraversion,
                                    (void *)0xfffffffffffffff8UL),
             -EFAULT);
#endif
}

void test_main(void)
{
    test_numbers();
    test_strings();
    test_features();
    test_denied();
    test_bad_buffers();
}
