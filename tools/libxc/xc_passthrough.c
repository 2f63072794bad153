/*
 * libxenctrl: device passthrough (PCI interrupts, MMIO and I/O port
 * ranges, pIRQs). QEMU imports these for passthrough devices only.
 * Xenon gives its core no IOMMU and no host devices, so there is nothing
 * to pass through: each call fails with ENOSYS without a hypercall, as
 * QEMU expects of a hypervisor without the feature.
 */
#include "xc_private.h"

static int no_passthrough(xc_interface *xch, const char *what, uint32_t domid)
{
    DPRINTF("d%u: %s: no device passthrough on this hypervisor", domid, what);
    errno = ENOSYS;
    return -1;
}

XC_EXPORT
int xc_domain_bind_pt_pci_irq(xc_interface *xch, uint32_t domid,
                              uint8_t machine_irq, uint8_t bus, uint8_t device,
                              uint8_t intx)
{
    (void)machine_irq;
    (void)bus;
    (void)device;
    (void)intx;
    return no_passthrough(xch, "bind_pt_pci_irq", domid);
}

XC_EXPORT
int xc_domain_unbind_pt_irq(xc_interface *xch, uint32_t domid,
                            uint8_t machine_irq, uint8_t irq_type, uint8_t bus,
                            uint8_t device, uint8_t intx, uint8_t isa_irq)
{
    (void)machine_irq;
    (void)irq_type;
    (void)bus;
    (void)device;
    (void)intx;
    (void)isa_irq;
    return no_passthrough(xch, "unbind_pt_irq", domid);
}

XC_EXPORT
int xc_domain_update_msi_irq(xc_interface *xch, uint32_t domid, uint32_t gvec,
                             uint32_t pirq, uint32_t gflags, uint64_t gtable)
{
    (void)gvec;
    (void)pirq;
    (void)gflags;
    (void)gtable;
    return no_passthrough(xch, "update_msi_irq", domid);
}

XC_EXPORT
int xc_domain_unbind_msi_irq(xc_interface *xch, uint32_t domid, uint32_t gvec,
                             uint32_t pirq, uint32_t gflags)
{
    (void)gvec;
    (void)pirq;
    (void)gflags;
    return no_passthrough(xch, "unbind_msi_irq", domid);
}

XC_EXPORT
int xc_domain_memory_mapping(xc_interface *xch, uint32_t domid,
                             unsigned long first_gfn, unsigned long first_mfn,
                             unsigned long nr_mfns, uint32_t add_mapping)
{
    (void)first_gfn;
    (void)first_mfn;
    (void)nr_mfns;
    (void)add_mapping;
    return no_passthrough(xch, "memory_mapping", domid);
}

XC_EXPORT
int xc_domain_ioport_mapping(xc_interface *xch, uint32_t domid,
                             uint32_t first_gport, uint32_t first_mport,
                             uint32_t nr_ports, uint32_t add_mapping)
{
    (void)first_gport;
    (void)first_mport;
    (void)nr_ports;
    (void)add_mapping;
    return no_passthrough(xch, "ioport_mapping", domid);
}

XC_EXPORT
int xc_domain_iomem_permission(xc_interface *xch, uint32_t domid,
                               unsigned long first_mfn, unsigned long nr_mfns,
                               uint8_t allow_access)
{
    (void)first_mfn;
    (void)nr_mfns;
    (void)allow_access;
    return no_passthrough(xch, "iomem_permission", domid);
}

XC_EXPORT
int xc_physdev_map_pirq(xc_interface *xch, uint32_t domid, int index, int *pirq)
{
    (void)index;
    (void)pirq;
    return no_passthrough(xch, "physdev_map_pirq", domid);
}

XC_EXPORT
int xc_physdev_map_pirq_msi(xc_interface *xch, uint32_t domid, int index,
                            int *pirq, int devfn, int bus, int entry_nr,
                            uint64_t table_base)
{
    (void)index;
    (void)pirq;
    (void)devfn;
    (void)bus;
    (void)entry_nr;
    (void)table_base;
    return no_passthrough(xch, "physdev_map_pirq_msi", domid);
}

XC_EXPORT
int xc_physdev_unmap_pirq(xc_interface *xch, uint32_t domid, int pirq)
{
    (void)pirq;
    return no_passthrough(xch, "physdev_unmap_pirq", domid);
}
