/*
 * Building a boot-time PV domain: RAM as pfns [0, nr_pages) (mfn == pfn),
 * shared_info in the last frame of the guest-physical space (outside
 * RAM, like Xen's own page), the kernel and start of day laid out by the
 * shared loader (libelf/pv.c), then vCPU 0's start state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/e820.h>
#include <asm-x86/pv.h>
#include <xen/libelf.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "pv.h"

int pv_build_domain(struct domain *d, const void *image, size_t len,
                    const struct pv_build_args *a, uint64_t *entry, char *err,
                    size_t errlen)
{
    struct elf_binary elf;
    struct elf_dom_parms parms;
    struct pv_layout l;
    void *unpacked = NULL;
    size_t ulen;
    uint64_t nr_pages = a->mem_bytes >> PAGE_SHIFT;
    uint64_t shinfo_gfn = d->max_gfn - 1;
    int rc;

    rc = xen_kernel_unpack(image, len, PV_MAX_KERNEL_BYTES, &unpacked, &ulen,
                           err, errlen);
    if (rc)
        return rc;
    if (unpacked) {
        image = unpacked;
        len = ulen;
    }
    rc = -EINVAL;
    if (elf_init(&elf, image, len) || elf_parse_dom_parms(&elf, &parms) ||
        elf_check_pv(&elf, &parms, XEN_PV_DOMU_FEATURES)) {
        snprintf(err, errlen, "%s", elf.err);
        goto out;
    }
    rc = physmap_populate(d, 0, nr_pages, false);
    if (rc) {
        snprintf(err, errlen, "cannot allocate %llu MiB: %s",
                 (unsigned long long)(a->mem_bytes >> 20), strerror(-rc));
        goto out;
    }
    rc = shinfo_map(d, shinfo_gfn);
    if (rc) {
        snprintf(err, errlen, "cannot place shared_info: %s", strerror(-rc));
        goto out;
    }
    rc = pv_build_image(&elf, &parms,
                        &(struct pv_layout_in){
                            .mem_bytes = nr_pages << PAGE_SHIFT,
                            .cmdline = a->cmdline,
                            .initrd = a->initrd,
                            .initrd_size = a->initrd_size,
                            .shared_info_mfn = shinfo_gfn,
                        },
                        a->map, d, &l, err, errlen);
    if (rc)
        goto out;
    /* The builder's tables are the first pinned tree. */
    rc = pv_mm_init(d, nr_pages);
    if (!rc)
        rc = pv_pin_l4(d, l.cr3 >> PAGE_SHIFT);
    if (rc) {
        snprintf(err, errlen, "initial page tables: %s", strerror(-rc));
        goto out;
    }
    rc = pv_vcpu_start(d->vcpu[0], &l);
    if (rc) {
        snprintf(err, errlen, "cannot set vCPU 0 up: %s", strerror(-rc));
        goto out;
    }
    /* vCPU 0 has its state; the others wait for VCPUOP_initialise. */
    d->vcpu[0]->is_initialised = true;
    *entry = l.rip;
out:
    free(unpacked);
    return rc;
}
