/*
 * PV page-table updates by hypercall: mmu_update, update_va_mapping and
 * mmuext_op (pin an L4 tree, new kernel and user base pointers, TLB ops).
 *
 * The guest's page tables are the real ones KVM walks, and the guest maps
 * them read-only: every change comes through here and is checked first.
 * A new PTE may name only a RAM frame of the domain or its shared_info,
 * never writably a frame that is a page table, and never with PSE; the
 * hypervisor slot is out of reach (its frames are no guest frames). Each
 * RAM frame has a page-table level (1-4) once a pinned tree (or the
 * builder's) uses it as one; unpinning is not there yet, so a frame stays
 * a page table once it was one.
 *
 * Visibility: on kvm_pvm a host write that makes a not-present PTE
 * present is seen by the guest, but a change to a present PTE is not,
 * even after invlpg or a CR3 reload: KVM keeps its shadow of the old
 * entry. Deleting a memory slot makes KVM drop every shadow page, so a
 * change of a present entry is followed by deleting and re-adding a
 * one-page slot of ours (measured ~140 us; a not-present entry made
 * present costs nothing extra).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "pv.h"

#define PTE_P 0x001ULL
#define PTE_RW 0x002ULL
#define PTE_US 0x004ULL
#define PTE_A 0x020ULL
#define PTE_D 0x040ULL
#define PTE_PS 0x080ULL
#define PTE_ADDR 0x000ffffffffff000ULL

int pv_mm_init(struct domain *d, uint64_t nr_pages)
{
    d->pv->pt_level = calloc(nr_pages, 1);
    d->pv->nr_ram_pages = nr_pages;
    return d->pv->pt_level ? 0 : -ENOMEM;
}

/* The level (1-4) of a page-table frame, 0 for any other. */
static unsigned int pt_level(const struct pv_domain *pv, uint64_t pfn)
{
    return pfn < pv->nr_ram_pages ? pv->pt_level[pfn] : 0;
}

static bool is_page_table(const struct pv_domain *pv, uint64_t pfn)
{
    return pt_level(pv, pfn) != 0;
}

/* Make KVM forget its shadow of every guest page table. */
static int flush_shadows(struct domain *d)
{
    struct pv_domain *pv = d->pv;
    int rc;

    rc = kvm_set_memslot(d, PV_FLUSH_KVM_SLOT, 0, 0, NULL);
    if (!rc)
        rc = kvm_set_memslot(d, PV_FLUSH_KVM_SLOT, pv_flush_gpa(d), PAGE_SIZE,
                             pv->flush_page);
    return rc;
}

/* Host pointer to the L1 entry of va under the vCPU's current L4. */
static uint64_t *l1e_of(struct vcpu *v, uint64_t va)
{
    struct domain *d = v->domain;
    uint64_t table = v->arch.cr3 & PTE_ADDR;

    for (int level = 4; level > 1; level--) {
        uint64_t *t = gfn_to_virt(d, table >> PAGE_SHIFT);
        uint64_t e;

        if (!t || pt_level(d->pv, table >> PAGE_SHIFT) != (unsigned int)level)
            return NULL;
        e = t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & PTE_P) || (e & PTE_PS))
            return NULL;
        table = e & PTE_ADDR;
    }
    if (pt_level(d->pv, table >> PAGE_SHIFT) != 1)
        return NULL;
    return (uint64_t *)gfn_to_virt(d, table >> PAGE_SHIFT) + ((va >> 12) & 511);
}

/* Xen's checks of a new L1 entry (get_page_from_l1e). */
static bool l1e_ok(struct domain *d, uint64_t e)
{
    uint64_t pfn = (e & PTE_ADDR) >> PAGE_SHIFT;

    if (!(e & PTE_P))
        return true;
    if (e & PTE_PS)
        return false;
    if (pfn == d->shared_info_gfn)
        return true;
    if (pfn >= d->pv->nr_ram_pages || !physmap_is_populated(d, pfn))
        return false;
    return !((e & PTE_RW) && is_page_table(d->pv, pfn));
}

/* HYPERVISOR_update_va_mapping(va, new PTE, flags). */
static long do_update_va_mapping(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;
    uint64_t va = arg[0], e = arg[1], old, *l1e;

    if (!d->pv)
        return -ENOSYS;
    /* Canonical, and not the hypervisor's slot. */
    if (!pv_canonical(va) || ((va >> 39) & 511) == PV_HYP_SLOT)
        return -EINVAL;
    if (arg[2] & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL))
        return -EINVAL;
    l1e = l1e_of(v, va);
    if (!l1e || !l1e_ok(d, e))
        return -EINVAL;
    /* The guest kernel runs at CPL 3: its mappings are user ones (Xen). */
    if (e & PTE_P)
        e |= PTE_US;
    old = __atomic_exchange_n(l1e, e, __ATOMIC_SEQ_CST);
    if ((old & PTE_P) && old != e && flush_shadows(d)) {
        domain_crash(d, "cannot flush KVM's page-table shadows");
        return -EIO;
    }
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_update_va_mapping, do_update_va_mapping);

/* ---- Pinning: a tree of page tables validated and marked ---- */

/* Frames a validation marked, to undo it if the tree is refused. */
struct marks {
    uint64_t *pfn;
    size_t nr, cap;
};

static int mark(struct pv_domain *pv, struct marks *m, uint64_t pfn,
                unsigned int level)
{
    if (m->nr == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        uint64_t *n = realloc(m->pfn, cap * sizeof(*n));

        if (!n)
            return -ENOMEM;
        m->pfn = n;
        m->cap = cap;
    }
    m->pfn[m->nr++] = pfn;
    pv->pt_level[pfn] = level;
    return 0;
}

/*
 * Validate the level-`level` table at pfn and everything below it: own
 * RAM frames only, no large pages, L1 entries as l1e_ok, and in an L4
 * nothing but ours in the hypervisor slot. A table already validated at
 * this level is shared as is. The guest does not set _PAGE_USER on its
 * kernel mappings; its kernel runs at CPL 3, so (as Xen does) we set it
 * here, in tables KVM has never walked.
 */
static int validate(struct domain *d, struct marks *m, uint64_t pfn,
                    unsigned int level)
{
    struct pv_domain *pv = d->pv;
    uint64_t *t;
    int rc;

    if (pfn >= pv->nr_ram_pages || !(t = gfn_to_virt(d, pfn)))
        return -EINVAL;
    if (pv->pt_level[pfn])
        return pv->pt_level[pfn] == level ? 0 : -EINVAL;
    /* Marked first: a table naming itself below is refused above. */
    rc = mark(pv, m, pfn, level);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < 512; i++) {
        uint64_t e = t[i];

        if (!(e & PTE_P))
            continue;
        if (level == 4 && i == PV_HYP_SLOT) {
            if (e != pv->l4e)
                return -EINVAL;
            continue;
        }
        if (level == 1) {
            /* Writable maps of page tables are checked once all are known. */
            if (!l1e_ok(d, e & ~PTE_RW))
                return -EINVAL;
        } else {
            if (e & PTE_PS)
                return -EINVAL;
            rc = validate(d, m, (e & PTE_ADDR) >> PAGE_SHIFT, level - 1);
            if (rc)
                return rc;
        }
        if (!(e & PTE_US))
            t[i] = e | PTE_US;
    }
    if (level == 4)
        t[PV_HYP_SLOT] = pv->l4e;
    return 0;
}

/* No L1 of the domain maps a page table writable. */
static bool no_writable_tables(struct domain *d)
{
    struct pv_domain *pv = d->pv;

    for (uint64_t pfn = 0; pfn < pv->nr_ram_pages; pfn++) {
        const uint64_t *t;

        if (pv->pt_level[pfn] != 1)
            continue;
        t = gfn_to_virt(d, pfn);
        for (unsigned int i = 0; i < 512; i++)
            if ((t[i] & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW) &&
                is_page_table(pv, (t[i] & PTE_ADDR) >> PAGE_SHIFT))
                return false;
    }
    return true;
}

/* Make the tree at pfn a validated level-`level` table (or refuse it). */
static int pin(struct domain *d, uint64_t pfn, unsigned int level)
{
    struct marks m = {0};
    int rc;

    if (pt_level(d->pv, pfn) == level)
        return 0;
    rc = validate(d, &m, pfn, level);
    if (!rc && !no_writable_tables(d))
        rc = -EINVAL;
    if (rc)
        for (size_t i = 0; i < m.nr; i++)
            d->pv->pt_level[m.pfn[i]] = 0;
    free(m.pfn);
    return rc;
}

int pv_pin_l4(struct domain *d, uint64_t pfn)
{
    return pin(d, pfn, 4);
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    struct domain *d = v->domain;
    struct pv_vcpu *pv = &d->pv->vcpus[v->vcpu_id];

    switch (op->cmd) {
    case MMUEXT_PIN_L4_TABLE:
        return pv_pin_l4(d, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        if (pt_level(d->pv, op->arg1.mfn) != 4)
            return -EINVAL;
        pv->kernel_cr3 = op->arg1.mfn << PAGE_SHIFT;
        if (!pv->user_mode)
            pv_set_cr3(v, pv->kernel_cr3);
        return 0;
    case MMUEXT_NEW_USER_BASEPTR:
        if (op->arg1.mfn && pt_level(d->pv, op->arg1.mfn) != 4)
            return -EINVAL;
        pv->user_cr3 = op->arg1.mfn << PAGE_SHIFT;
        return 0;
    /*
     * Every update of a present entry already made KVM drop its shadows
     * (flush_shadows), so the guest has no stale translation to flush.
     */
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        return 0;
    default:
        return -ENOSYS;
    }
}

/* HYPERVISOR_mmuext_op(ops, count, pdone, foreigndom): one op at a time. */
static long do_mmuext_op(struct vcpu *v, const uint64_t arg[5])
{
    struct mmuext_op op;
    unsigned int done = 0;
    long rc = 0;

    if (!v->domain->pv)
        return -ENOSYS;
    if ((domid_t)arg[3] != DOMID_SELF)
        return -EPERM;
    for (; done < (unsigned int)arg[1]; done++) {
        if (copy_from_guest(v, &op, arg[0] + done * sizeof(op), sizeof(op))) {
            rc = -EFAULT;
            break;
        }
        rc = mmuext_one(v, &op);
        if (rc)
            break;
    }
    if (arg[2] && copy_to_guest(v, arg[2], &done, sizeof(done)))
        return -EFAULT;
    return rc;
}
DEFINE_HYPERCALL(__HYPERVISOR_mmuext_op, do_mmuext_op);

/* One mmu_update request: *ptr = val, checked as an entry of ptr's table. */
static long mmu_update_one(struct domain *d, uint64_t ptr, uint64_t val)
{
    struct pv_domain *pv = d->pv;
    uint64_t pfn = ptr >> PAGE_SHIFT, old, *slot;
    unsigned int idx = (ptr & ~PAGE_MASK) / 8, level;
    long rc;

    switch (ptr & 3) {
    case MMU_MACHPHYS_UPDATE:
        /* pfn == mfn here: the identity is the only m2p there is. */
        return val == pfn ? 0 : -EINVAL;
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
        break;
    default:
        return -ENOSYS;
    }
    if (pfn >= pv->nr_ram_pages || !(slot = gfn_to_virt(d, pfn)))
        return -EINVAL;
    slot += idx;
    level = pt_level(pv, pfn);
    /* Not a page table: a plain write, as Xen does to a writable page. */
    if (!level) {
        __atomic_store_n(slot, val, __ATOMIC_SEQ_CST);
        return 0;
    }
    if (level == 4 && idx == PV_HYP_SLOT)
        return -EINVAL;
    if (val & PTE_P) {
        if (level == 1 && !l1e_ok(d, val))
            return -EINVAL;
        if (level > 1 && (val & PTE_PS))
            return -EINVAL;
        if (level > 1 &&
            (rc = pin(d, (val & PTE_ADDR) >> PAGE_SHIFT, level - 1)))
            return rc;
        val |= PTE_US;
    }
    if ((ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD)
        val = (val & ~(PTE_A | PTE_D)) |
              (__atomic_load_n(slot, __ATOMIC_SEQ_CST) & (PTE_A | PTE_D));
    old = __atomic_exchange_n(slot, val, __ATOMIC_SEQ_CST);
    if ((old & PTE_P) && old != val && flush_shadows(d)) {
        domain_crash(d, "cannot flush KVM's page-table shadows");
        return -EIO;
    }
    return 0;
}

/* HYPERVISOR_mmu_update(reqs, count, pdone, foreigndom): one at a time. */
static long do_mmu_update(struct vcpu *v, const uint64_t arg[5])
{
    struct mmu_update req;
    unsigned int done = 0;
    long rc = 0;

    if (!v->domain->pv)
        return -ENOSYS;
    if ((domid_t)arg[3] != DOMID_SELF)
        return -EPERM;
    for (; done < (unsigned int)arg[1]; done++) {
        if (copy_from_guest(v, &req, arg[0] + done * sizeof(req),
                            sizeof(req))) {
            rc = -EFAULT;
            break;
        }
        rc = mmu_update_one(v->domain, req.ptr, req.val);
        if (rc)
            break;
    }
    if (arg[2] && copy_to_guest(v, arg[2], &done, sizeof(done)))
        return -EFAULT;
    return rc;
}
DEFINE_HYPERCALL(__HYPERVISOR_mmu_update, do_mmu_update);
