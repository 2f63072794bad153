/* Boot-time PVH domains from domU= options (see xen/dom0less.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asm-x86/hvm/platform.h>
#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <asm-x86/time.h>
#include <xen/dom0less.h>
#include <xen/libelf.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>

#define MAX_BOOT_DOMAINS 64
#define MAX_IMAGE_BYTES (256u << 20)

struct domU_spec {
    char *kernel, *ramdisk, *name, *cmdline;
    unsigned int memory_mib, vcpus;
    /*
     * type=hvm: the full emulated platform (PIC, IOAPIC, PIT, RTC, HPET,
     * ACPI PM, resets), booted straight at the kernel's PVH entry with
     * no firmware: our direct-kernel-boot HVM.
     */
    bool hvm;
    bool pv; /* type=pv: a classic Xen PV guest (arch/x86/pv/) */
};

static struct domU_spec specs[MAX_BOOT_DOMAINS];
static unsigned int nr_specs;

unsigned int dom0less_count(void)
{
    return nr_specs;
}

static int parse_domU(const char *s)
{
    struct domU_spec sp = {.memory_mib = 64, .vcpus = 1};
    char *copy = strdup(s), *tok, *save = NULL;

    if (!copy || nr_specs == MAX_BOOT_DOMAINS)
        goto bad;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        char *end;

        if (!eq)
            goto bad;
        *eq++ = '\0';
        if (!strcmp(tok, "kernel"))
            sp.kernel = strdup(eq);
        else if (!strcmp(tok, "ramdisk"))
            sp.ramdisk = strdup(eq);
        else if (!strcmp(tok, "name"))
            sp.name = strdup(eq);
        else if (!strcmp(tok, "memory")) {
            sp.memory_mib = strtoul(eq, &end, 0);
            if (*end || !sp.memory_mib)
                goto bad;
        } else if (!strcmp(tok, "vcpus")) {
            sp.vcpus = strtoul(eq, &end, 0);
            if (*end || !sp.vcpus || sp.vcpus > MAX_VIRT_CPUS)
                goto bad;
        } else if (!strcmp(tok, "type")) {
            if (!strcmp(eq, "hvm"))
                sp.hvm = true;
            else if (!strcmp(eq, "pv"))
                sp.pv = true;
            else if (strcmp(eq, "pvh"))
                goto bad;
        } else if (!strcmp(tok, "cmdline")) {
            /* The rest of the option, commas included. */
            const char *rest = s + (eq - copy);
            sp.cmdline = strdup(rest);
            break;
        } else {
            goto bad;
        }
    }
    if (!sp.kernel)
        goto bad;
    free(copy);
    specs[nr_specs++] = sp;
    return 0;
bad:
    free(copy);
    return -EINVAL;
}
custom_param(domU, parse_domU,
             "boot-time PVH domain (repeatable): kernel=PATH[,ramdisk=PATH]"
             ",memory=MiB,vcpus=N,name=NAME,type=pvh|hvm|pv,cmdline=...");

static void *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    uint8_t *buf = NULL;
    size_t got = 0;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) || st.st_size > MAX_IMAGE_BYTES) {
        errno = EFBIG;
        goto out;
    }
    buf = malloc(st.st_size ? st.st_size : 1);
    while (buf && got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, st.st_size - got);
        if (r <= 0) {
            free(buf);
            buf = NULL;
            errno = EIO;
            break;
        }
        got += r;
    }
    *len = got;
out:
    close(fd);
    return buf;
}

/* Read an image file and inflate it if it is gzip-compressed. */
static void *load_image(const char *path, size_t *len)
{
    void *raw = read_file(path, len), *inflated;
    size_t ilen;
    int rc;

    if (!raw) {
        printk(LOG_ERR, "cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    rc = xen_decompress(raw, *len, MAX_IMAGE_BYTES, &inflated, &ilen);
    if (rc) {
        printk(LOG_ERR, "%s: corrupt or oversized compressed image\n", path);
        free(raw);
        return NULL;
    }
    if (!inflated)
        return raw;
    free(raw);
    *len = ilen;
    return inflated;
}

/* elf_map_fn over a domain's physmap: the whole range must be backed. */
static void *map_domain(void *ctx, uint64_t paddr, size_t len)
{
    struct domain *d = ctx;

    if (!len || paddr + len < paddr)
        return NULL;
    for (uint64_t gfn = paddr >> PAGE_SHIFT; gfn <= (paddr + len - 1) >> PAGE_SHIFT;
         gfn++)
        if (!physmap_is_populated(d, gfn))
            return NULL;
    return d->mem + paddr;
}

static int populate_ram(struct domain *d, uint64_t bytes)
{
    uint64_t low = MIN(bytes, PVH_LOWMEM_END);
    int rc = physmap_populate(d, 0, low >> PAGE_SHIFT, false);

    if (!rc && bytes > low)
        rc = physmap_populate(d, PVH_HIGHMEM_START >> PAGE_SHIFT,
                              (bytes - low) >> PAGE_SHIFT, false);
    /* The ACPI tables' pages: not RAM, so not counted (like shared_info). */
    if (!rc)
        rc = physmap_populate(d, PVH_ACPI_ADDR >> PAGE_SHIFT,
                              PVH_ACPI_SIZE >> PAGE_SHIFT, true);
    return rc;
}

/* A PV domain from its loaded kernel image (see asm-x86/pv.h). */
static int build_pv(const struct domU_spec *sp, domid_t id, const char *name,
                    const void *kernel, size_t klen)
{
    struct domain *d = NULL;
    void *initrd = NULL;
    size_t initrd_size = 0;
    uint64_t entry, mem = (uint64_t)sp->memory_mib << 20;
    char err[160];
    int rc = -EINVAL;

    if (sp->ramdisk && !(initrd = load_image(sp->ramdisk, &initrd_size)))
        goto out;
    d = domain_create(id,
                      &(struct domain_create_args){
                          .name = name,
                          .max_vcpus = sp->vcpus,
                          .max_pages = mem >> PAGE_SHIFT,
                          .pv = true,
                      },
                      &rc);
    if (!d) {
        printk(LOG_ERR, "%s: cannot create domain: %s\n", name, strerror(-rc));
        goto out;
    }
    d->boot_time = true;
    rc = pv_build_domain(d, kernel, klen,
                         &(struct pv_build_args){
                             .mem_bytes = mem,
                             .cmdline = sp->cmdline,
                             .initrd = initrd,
                             .initrd_size = initrd_size,
                             .map = map_domain,
                         },
                         &entry, err, sizeof(err));
    if (rc) {
        printk(LOG_ERR, "%s: %s: %s\n", name, sp->kernel, err);
        goto out;
    }
    update_domain_wallclock_time(d);
    printk(LOG_INFO, "d%u (%s): PV kernel %s, %u MiB, %u vCPUs, entry %#llx\n",
           id, name, sp->kernel, sp->memory_mib, sp->vcpus,
           (unsigned long long)entry);
    domain_start(d);
    d = NULL;
out:
    if (d)
        domain_destroy(d);
    free(initrd);
    return rc;
}

static int build_one(const struct domU_spec *sp, domid_t id)
{
    struct elf_binary elf;
    struct elf_dom_parms parms;
    struct pvh_module mod = {0};
    struct domain *d = NULL;
    void *kernel = NULL;
    size_t klen;
    uint64_t start_info, mem = (uint64_t)sp->memory_mib << 20;
    char name[64], err[160];
    int rc = -EINVAL;

    snprintf(name, sizeof(name), "%s", sp->name ? sp->name : "");
    if (!sp->name)
        snprintf(name, sizeof(name), "domU%u", id);
    kernel = load_image(sp->kernel, &klen);
    if (!kernel)
        goto out;
    if (sp->pv) {
        rc = build_pv(sp, id, name, kernel, klen);
        goto out;
    }
    if (elf_init(&elf, kernel, klen) || elf_parse_dom_parms(&elf, &parms)) {
        printk(LOG_ERR, "%s: %s\n", sp->kernel, elf.err);
        goto out;
    }
    if (!parms.has_phys32_entry) {
        printk(LOG_ERR, "%s: not a PVH kernel (no XEN_ELFNOTE_PHYS32_ENTRY)\n",
               sp->kernel);
        goto out;
    }
    if (sp->ramdisk) {
        mod.data = load_image(sp->ramdisk, &mod.size);
        if (!mod.data)
            goto out;
    }

    d = domain_create(id,
                      &(struct domain_create_args){
                          .name = name,
                          .max_vcpus = sp->vcpus,
                          .max_pages = mem >> PAGE_SHIFT,
                          .emulation_flags =
                              sp->hvm ? HVM_PLATFORM_EMU_FLAGS : 0,
                      },
                      &rc);
    if (!d) {
        printk(LOG_ERR, "%s: cannot create domain: %s\n", name, strerror(-rc));
        goto out;
    }
    d->boot_time = true;
    rc = populate_ram(d, mem);
    if (rc) {
        printk(LOG_ERR, "%s: cannot allocate %u MiB: %s (free: %llu MiB)\n",
               name, sp->memory_mib, strerror(-rc),
               (unsigned long long)(mem_budget_free() >> (20 - PAGE_SHIFT)));
        goto out;
    }
    rc = elf_load(&elf, map_domain, d);
    if (rc) {
        printk(LOG_ERR, "%s: %s\n", sp->kernel, elf.err);
        goto out;
    }
    rc = pvh_build_start_info(
        &(struct pvh_layout_in){
            .mem_bytes = mem,
            .kernel_end = parms.pend,
            .cmdline = sp->cmdline,
            .modules = &mod,
            .nr_modules = sp->ramdisk ? 1 : 0,
            .nr_vcpus = sp->vcpus,
            .hvm_platform = sp->hvm,
        },
        map_domain, d, &start_info, err, sizeof(err));
    if (rc) {
        printk(LOG_ERR, "%s: %s\n", name, err);
        goto out;
    }
    rc = arch_vcpu_pvh_entry(d->vcpu[0], parms.phys32_entry, start_info);
    if (rc)
        goto out;
    /* vCPU 0 has its state; the others wait for VCPUOP_initialise. */
    d->vcpu[0]->is_initialised = true;
    /* XENMEM_memory_map gives the guest the map of its start info. */
    rc = domain_memory_map_from_pvh(d, start_info);
    if (rc)
        goto out;
    update_domain_wallclock_time(d);
    printk(LOG_INFO, "d%u (%s): %s kernel %s, %u MiB, %u vCPUs, entry %#x\n",
           id, name, sp->hvm ? "HVM (direct boot)" : "PVH", sp->kernel,
           sp->memory_mib, sp->vcpus, parms.phys32_entry);
    domain_start(d);
    d = NULL;
    rc = 0;
out:
    if (d)
        domain_destroy(d);
    free(kernel);
    free((void *)mod.data);
    return rc;
}

int dom0less_build_all(void)
{
    for (unsigned int i = 0; i < nr_specs; i++) {
        int rc = build_one(&specs[i], i + 1);
        if (rc)
            return rc;
    }
    return 0;
}
