/* Copies to and from guest-virtual addresses (see xen/guest_access.h). */
#include <asm-x86/paging.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/privcmd.h>
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

    /* A dom0 process has no guest-physical memory to translate to. */
    if (v->arena)
        return -EFAULT;
    return guest_walk(&ps, gva, write, read_pte, v->domain, gpa);
}

/* One piece of a copy that stays within a page of guest-virtual space. */
static int copy_gva_page(void *v, uint64_t gva, void *buf, size_t len,
                         bool to_guest)
{
    struct domain *d = ((struct vcpu *)v)->domain;
    uint64_t gpa;
    int rc = guest_va_to_gpa(v, gva, to_guest, &gpa);

    if (!rc)
        rc = to_guest ? copy_to_gpa(d, gpa, buf, len)
                      : copy_from_gpa(d, buf, gpa, len);
    return rc ? -EFAULT : 0;
}

/* A dom0 process's hypercall (privcmd): addresses lie in its arena. */
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    if (v->arena)
        return privcmd_arena_copy(v->arena, gva, dst, len, false);
    return copy_by_page(v, copy_gva_page, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    if (v->arena)
        return privcmd_arena_copy(v->arena, gva, (void *)src, len, true);
    return copy_by_page(v, copy_gva_page, gva, (void *)src, len, true);
}
