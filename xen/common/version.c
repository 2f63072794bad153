/* The xen_version hypercall: what Xen this is and what it offers. */
#include <stdio.h>
#include <string.h>

#include <public/features.h>
#include <public/version.h>
#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/version.h>

#define HYPERVISOR_VIRT_START_64 0xffff800000000000ULL

/* Copy a string into a fixed-size, zero-padded guest buffer. */
static long copy_padded(struct vcpu *v, uint64_t arg, const char *s,
                        size_t size)
{
    char buf[1024] = {0};

    snprintf(buf, MIN(size, sizeof(buf)), "%s", s);
    return copy_to_guest(v, arg, buf, size) ? -EFAULT : 0;
}

/* XENFEAT_* word 0 for a PVH/HVM domain without PIRQs, as Xen 4.12. */
static uint32_t feature_submap0(const struct domain *d)
{
    uint32_t f = (1U << XENFEAT_memory_op_vnode_supported) |
                 (1U << XENFEAT_writable_page_tables) |
                 (1U << XENFEAT_auto_translated_physmap) |
                 (1U << XENFEAT_hvm_safe_pvclock) |
                 (1U << XENFEAT_hvm_callback_vector);

    if (d->is_privileged)
        f |= 1U << XENFEAT_dom0;
    return f;
}

static long do_xen_version(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;

    switch ((int)arg[0]) { /* cmd is an int in Xen */
    case XENVER_version:
        return (XEN_VERSION << 16) | XEN_SUBVERSION;
    case XENVER_extraversion:
        return copy_padded(v, arg[1], XEN_EXTRAVERSION,
                           sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info ci = {0};

        strncpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler) - 1);
        strncpy(ci.compile_by, "xenon", sizeof(ci.compile_by) - 1);
        strncpy(ci.compile_domain, "xenproject.org",
                sizeof(ci.compile_domain) - 1);
        strncpy(ci.compile_date, __DATE__, sizeof(ci.compile_date) - 1);
        return copy_to_guest_obj(v, arg[1], &ci) ? -EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_padded(v, arg[1],
                           "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64",
                           sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_padded(v, arg[1], "xenon", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
        /* HVM domains have no compat hypervisor hole: 0 for 32-bit. */
        if (hypercall_is_compat(v)) {
            uint32_t start = 0;
            return copy_to_guest_obj(v, arg[1], &start) ? -EFAULT : 0;
        } else {
            uint64_t start = HYPERVISOR_VIRT_START_64;
            return copy_to_guest_obj(v, arg[1], &start) ? -EFAULT : 0;
        }
    case XENVER_get_features: {
        struct xen_feature_info fi;

        if (copy_from_guest_obj(v, &fi, arg[1]))
            return -EFAULT;
        if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
            return -EINVAL;
        fi.submap = feature_submap0(d);
        return copy_to_guest_obj(v, arg[1], &fi) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(v, arg[1], d->handle, sizeof(d->handle)) ? -EFAULT
                                                                      : 0;
    case XENVER_commandline:
        if (!d->is_privileged)
            return -EPERM;
        return copy_padded(v, arg[1], saved_cmdline, sizeof(xen_commandline_t));
    case XENVER_build_id:
        /* Privileged, and we carry no build id. */
        return d->is_privileged ? -ENODATA : -EPERM;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_xen_version, do_xen_version);
