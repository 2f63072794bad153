/* Copies to and from guest-virtual addresses (see xen/guest_access.h). */
#include <string.h>

#include <asm-x86/paging.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

static int read_pte(void *ctx, uint64_t gpa, unsigned int size, uint64_t *val)
{
    *val = 0;
    return copy_from_gpa(ctx, val, gpa, size);
}

int guest_va_to_gpa(struct vcpu *v, uint64_t gva, int write, uint64_t *gpa)
{
    struct paging_state ps = {
        .cr0 = v->arch.cr0,
        .cr3 = v->arch.cr3,
        .cr4 = v->arch.cr4,
        .efer = v->arch.efer,
    };

    return guest_walk(&ps, gva, write, read_pte, v->domain, gpa);
}

static int copy_guest(struct vcpu *v, uint64_t gva, void *buf, size_t len,
                      bool to_guest)
{
    while (len) {
        size_t chunk = MIN(len, PAGE_SIZE - (gva & ~PAGE_MASK));
        uint64_t gpa;
        int rc = guest_va_to_gpa(v, gva, to_guest, &gpa);

        if (!rc)
            rc = to_guest ? copy_to_gpa(v->domain, gpa, buf, chunk)
                          : copy_from_gpa(v->domain, buf, gpa, chunk);
        if (rc)
            return -EFAULT;
        gva += chunk;
        buf = (uint8_t *)buf + chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return copy_guest(v, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return copy_guest(v, gva, (void *)src, len, true);
}
