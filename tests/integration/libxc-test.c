/*
 * libxenctrl and libxenguest against a live xen (libxc.sh starts a
 * private one with no domains). Domains are created, built, run and
 * destroyed through the libraries only, as a toolstack does.
 *
 * Usage: libxc-test GUESTS-DIR GZIP-KERNEL: the guest test kernels, and
 * hello-64.elf gzip-compressed. Prints "ok"/"FAIL" lines; exits 0 if all
 * passed.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#define TESTLIB_XC
#define TESTLIB_XG
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/grant_table.h>
#include <xen/hvm/save.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#include "testlib.h"

#define MEM_MB 16
#define MAXMEM_KB maxmem_kb(MEM_MB)

/* Read back the reserved grant entries the builder wrote. */
static void check_grants(uint32_t domid, xen_pfn_t console, xen_pfn_t store)
{
    xen_pfn_t scratch = 0;
    grant_entry_v1_t *gt;

    if (!CHECK(xc_domain_maximum_gpfn(xch, domid, &scratch) == 0))
        return;
    scratch++;
    if (!CHECK(xc_domain_add_to_physmap(xch, domid, XENMAPSPACE_grant_table, 0,
                                        scratch) == 0))
        return;
    gt = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ, scratch);
    if (CHECK(gt != NULL)) {
        CHECK(gt[GNTTAB_RESERVED_CONSOLE].flags == GTF_permit_access &&
                  gt[GNTTAB_RESERVED_CONSOLE].domid == 0 &&
                  gt[GNTTAB_RESERVED_CONSOLE].frame == console,
              "console grant %#x d%u frame %#x", gt[0].flags, gt[0].domid,
              gt[0].frame);
        CHECK(gt[GNTTAB_RESERVED_XENSTORE].flags == GTF_permit_access &&
                  gt[GNTTAB_RESERVED_XENSTORE].domid == 0 &&
                  gt[GNTTAB_RESERVED_XENSTORE].frame == store,
              "xenstore grant %#x d%u frame %#x", gt[1].flags, gt[1].domid,
              gt[1].frame);
        munmap(gt, XC_PAGE_SIZE);
    }
    CHECK(xc_domain_remove_from_physmap(xch, domid, scratch) == 0);
}

/* A guest for run_guest. */
struct guest {
    const char *name; /* the section's name */
    const char *path; /* its kernel */
    unsigned int mem_mb, vcpus;
    const char *cmdline; /* may be NULL */
    const char *module;  /* its bytes, may be NULL */
    const char *expect;  /* also wanted on the console, may be NULL */
};

/* Build a guest into a new domain, run it to its PASS, destroy it. */
static void run_guest(const struct guest *g)
{
    int before = failures;
    uint64_t free0 = free_pages(), v = 0;
    struct xc_dom_image *dom = NULL;
    char pass[128];
    xc_dominfo_t info;
    uint32_t domid;

    domid = create_pvh(g->vcpus, g->mem_mb);
    if (!domid)
        goto out;
    dom = build_pvh(domid, g->path, g->cmdline, g->module, g->vcpus,
                    g->mem_mb);
    if (!dom)
        goto destroy;

    /* What the builder recorded. */
    CHECK(dom->lowmem_end == (uint64_t)g->mem_mb << 20 && !dom->highmem_end);
    CHECK(!g->module || (dom->modules[0].seg.vstart >= dom->kernel_seg.vend &&
                         dom->modules[0].seg.vend <= dom->lowmem_end));
    CHECK(dom->console_pfn == special_pfn(SPECIALPAGE_CONSOLE));
    CHECK(dom->xenstore_pfn == special_pfn(SPECIALPAGE_XENSTORE));
    CHECK(dom->console_evtchn > 0 && dom->xenstore_evtchn > 0 &&
          dom->console_evtchn != dom->xenstore_evtchn);
    CHECK(xc_hvm_param_get(xch, domid, HVM_PARAM_STORE_PFN, &v) == 0 &&
              v == dom->xenstore_pfn,
          "store pfn %#llx", (unsigned long long)v);
    CHECK(xc_hvm_param_get(xch, domid, HVM_PARAM_CONSOLE_PFN, &v) == 0 &&
              v == dom->console_pfn,
          "console pfn %#llx", (unsigned long long)v);
    CHECK(xc_hvm_param_get(xch, domid, HVM_PARAM_STORE_EVTCHN, &v) == 0 &&
          v == dom->xenstore_evtchn);
    CHECK(xc_hvm_param_get(xch, domid, HVM_PARAM_CONSOLE_EVTCHN, &v) == 0 &&
          v == dom->console_evtchn);
    check_grants(domid, dom->console_pfn, dom->xenstore_pfn);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.domid == domid);
    CHECK(info.paused && !info.shutdown && info.hvm, "paused %u hvm %u",
          info.paused, info.hvm);
    /* RAM, the special pages and the 4 pages of ACPI tables. */
    CHECK(info.nr_pages == (g->mem_mb << 8) + X86_HVM_NR_SPECIAL_PAGES + 4,
          "%lu pages", info.nr_pages);
    CHECK(info.max_memkb == maxmem_kb(g->mem_mb), "max %lu KiB",
          info.max_memkb);

    CHECK(xc_domain_unpause(xch, domid) == 0);
    snprintf(pass, sizeof(pass), "(d%u) PASS ", domid);
    CHECK(console_wait(pass, 90), "no \"%s\" on the console", pass);
    CHECK(!g->expect || strstr(con.text, g->expect), "no \"%s\"", g->expect);
    CHECK(wait_shutdown(domid, &info, 30));
    CHECK(info.shutdown && !info.crashed &&
              info.shutdown_reason == SHUTDOWN_poweroff,
          "shutdown %u crashed %u reason %u", info.shutdown, info.crashed,
          info.shutdown_reason);
destroy:
    CHECK(xc_domain_destroy(xch, domid) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) < 1 || info.domid != domid,
          "d%u still listed", domid);
    for (int i = 0; i < 50 && free_pages() != free0; i++)
        sleep_ms(100);
    CHECK(free_pages() == free0, "free pages %llu, were %llu",
          (unsigned long long)free_pages(), (unsigned long long)free0);
out:
    xc_dom_release(dom);
    section(g->name, before);
}

static void test_host(void)
{
    int before = failures, sched = -1, ver;
    xen_extraversion_t extra;
    xen_capabilities_info_t caps;
    xc_physinfo_t info = {0};
    xc_dominfo_t dom0;
    xc_domaininfo_t list[4];
    xc_cpumap_t map;

    CHECK(xc_physinfo(xch, &info) == 0);
    CHECK(info.nr_cpus > 0 && info.max_cpu_id + 1 >= info.nr_cpus);
    CHECK(info.total_pages >= info.free_pages && info.free_pages > 0);
    CHECK(xc_get_max_cpus(xch) == (int)info.max_cpu_id + 1);
    CHECK(xc_get_online_cpus(xch) == (int)info.nr_cpus);
    CHECK(xc_get_cpumap_size(xch) == ((int)info.max_cpu_id + 8) / 8);
    map = xc_cpumap_alloc(xch);
    if (CHECK(map != NULL)) {
        xc_cpumap_setcpu(3, map);
        CHECK(xc_cpumap_testcpu(3, map) && !xc_cpumap_testcpu(2, map));
        xc_cpumap_clearcpu(3, map);
        CHECK(!xc_cpumap_testcpu(3, map));
        free(map);
    }
    /* credit2 (6) once it exists; the round-robin stand-in says 0. */
    CHECK(xc_sched_id(xch, &sched) == 0 && sched >= 0, "sched %d", sched);

    ver = xc_version(xch, XENVER_version, NULL);
    CHECK(ver >= 0x40000, "version %#x", ver);
    CHECK(xc_version(xch, XENVER_extraversion, extra) == 0 &&
          memchr(extra, 0, sizeof(extra)));
    CHECK(xc_version(xch, XENVER_capabilities, caps) == 0 &&
              strstr(caps, "hvm-3.0-x86_32"),
          "capabilities \"%.64s\"", caps);
    CHECK(xc_version(xch, XENVER_pagesize, NULL) == 4096);
    CHECK_ERR(xc_version(xch, 999, NULL), EINVAL);

    /* Domain 0 is listed, privileged, never shut down. */
    CHECK(xc_domain_getinfo(xch, 0, 1, &dom0) == 1 && dom0.domid == 0);
    CHECK(!dom0.shutdown && !dom0.dying && dom0.nr_online_vcpus > 0);
    CHECK(xc_domain_getinfolist(xch, 0, 4, list) >= 1 && list[0].domain == 0);
    section("host: physinfo, cpumaps, sched_id, version, dom0 info", before);
}

static void test_errors(void)
{
    int before = failures;
    xc_dominfo_t info;
    xc_vcpuinfo_t vinfo;
    unsigned long v;

    CHECK_ERR(xc_domain_destroy(xch, 4242), ESRCH);
    CHECK_ERR(xc_domain_pause(xch, 4242), ESRCH);
    CHECK_ERR(xc_domain_unpause(xch, 4242), ESRCH);
    CHECK_ERR(xc_domain_setmaxmem(xch, 4242, 1024), ESRCH);
    CHECK_ERR(xc_vcpu_getinfo(xch, 4242, 0, &vinfo), ESRCH);
    CHECK_ERR(xc_domain_shutdown(xch, 4242, SHUTDOWN_poweroff), ESRCH);
    CHECK_ERR(xc_get_hvm_param(xch, 4242, HVM_PARAM_STORE_PFN, &v), ESRCH);
    CHECK_ERR(xc_evtchn_alloc_unbound(xch, 4242, 0), ESRCH);
    /* No domain at or above it. */
    CHECK_ERR(xc_domain_getinfo(xch, 4242, 1, &info), ESRCH);
    /* No passthrough here, though QEMU imports the calls. */
    CHECK_ERR(xc_domain_memory_mapping(xch, 1, 0xf0000, 0xf0000, 1, 1), ENOSYS);
    section("errors on a missing domain (-1/ESRCH), passthrough (ENOSYS)",
            before);
}

/* A context of one CPU record, as libxenguest writes it. */
struct one_cpu {
    struct hvm_save_descriptor header_d;
    struct hvm_save_header header;
    struct hvm_save_descriptor cpu_d;
    struct hvm_hw_cpu cpu;
    struct hvm_save_descriptor end_d;
};

/* Set @c and expect -1 with @err (0: success). */
static void set_one(uint32_t domid, struct one_cpu *c, int err, int line)
{
    int rc;

    errno = 0;
    rc = xc_domain_hvm_setcontext(xch, domid, (uint8_t *)c, sizeof(*c));
    check_(err ? rc == -1 && errno == err : rc == 0, line,
           "xc_domain_hvm_setcontext", "gave %d, want %s", rc,
           err ? strerror(err) : "0");
}

/* XEN_DOMCTL_get/sethvmcontext on a new domain (vCPUs down). */
static void check_hvm_context(uint32_t domid)
{
    int n = xc_domain_hvm_getcontext(xch, domid, NULL, 0), found = 0;
    struct hvm_save_descriptor d;
    struct one_cpu c, good;
    xc_vcpuinfo_t vinfo;
    uint8_t *ctx;

    if (!CHECK(n > 0, "context size %d", n))
        return;
    ctx = calloc(1, n);
    if (!CHECK(ctx != NULL))
        return;
    /* Too small a buffer. */
    CHECK_ERR(xc_domain_hvm_getcontext(xch, domid, ctx, 8), ENOSPC);
    n = xc_domain_hvm_getcontext(xch, domid, ctx, n);
    memcpy(&d, ctx, sizeof(d));
    /* Header and end only: every vCPU is down. */
    CHECK(n == (int)(2 * sizeof(d) + HVM_SAVE_LENGTH(HEADER)) &&
              d.typecode == HVM_SAVE_CODE(HEADER),
          "%d bytes, first type %u", n, d.typecode);
    memset(&good, 0, sizeof(good));
    memcpy(&good.header_d, ctx, sizeof(d) + sizeof(good.header));
    CHECK(good.header.magic == HVM_FILE_MAGIC);
    /* Without its END record. */
    CHECK_ERR(xc_domain_hvm_setcontext(xch, domid, ctx,
                                       sizeof(d) + HVM_SAVE_LENGTH(HEADER)),
              ENODATA);

    good.cpu_d = (struct hvm_save_descriptor){HVM_SAVE_CODE(CPU), 1,
                                              HVM_SAVE_LENGTH(CPU)};
    good.cpu.cr0 = 0x11; /* PE, ET */
    good.cpu.rip = 0x1234;
    good.cpu.rflags = 2;
    good.cpu.cs_limit = good.cpu.ds_limit = good.cpu.ss_limit = ~0U;
    good.cpu.es_limit = good.cpu.fs_limit = good.cpu.gs_limit = ~0U;
    good.cpu.cs_arbytes = 0xc9b;
    good.cpu.ds_arbytes = good.cpu.es_arbytes = good.cpu.ss_arbytes = 0xc93;
    good.cpu.fs_arbytes = good.cpu.gs_arbytes = 0xc93;
    good.cpu.tr_limit = 0x67;
    good.cpu.tr_arbytes = 0x8b;
    good.end_d = (struct hvm_save_descriptor){HVM_SAVE_CODE(END), 0, 0};

    c = good;
    c.cpu.cr0 = 1; /* ET clear */
    set_one(domid, &c, EINVAL, __LINE__);
    c = good;
    c.cpu_d.instance = 2; /* no such vCPU */
    set_one(domid, &c, EINVAL, __LINE__);
    c = good;
    c.cpu_d.typecode = 3; /* PIC: not ours */
    set_one(domid, &c, EINVAL, __LINE__);
    c = good;
    c.header.magic = 0;
    set_one(domid, &c, EINVAL, __LINE__);
    c = good;
    c.cpu.flags = XEN_X86_FPU_INITIALISED; /* state not loaded yet */
    set_one(domid, &c, EOPNOTSUPP, __LINE__);

    set_one(domid, &good, 0, __LINE__);
    CHECK(xc_vcpu_getinfo(xch, domid, 1, &vinfo) == 0 && vinfo.online);
    CHECK(xc_vcpu_getinfo(xch, domid, 0, &vinfo) == 0 && !vinfo.online);
    /* It reads back: header, vCPU 1's record, end. */
    n = xc_domain_hvm_getcontext(xch, domid, ctx,
                                 xc_domain_hvm_getcontext(xch, domid, NULL, 0));
    for (int off = 0; n > 0 && off + (int)sizeof(d) <= n;
         off += sizeof(d) + d.length) {
        memcpy(&d, ctx + off, sizeof(d));
        if (d.typecode == HVM_SAVE_CODE(CPU)) {
            struct hvm_hw_cpu cpu;

            memcpy(&cpu, ctx + off + sizeof(d), sizeof(cpu));
            found++;
            CHECK(d.instance == 1 && cpu.rip == 0x1234 && cpu.cr0 == 0x11 &&
                      cpu.cs_arbytes == 0xc9b && cpu.cs_limit == ~0U,
                  "vCPU %u rip %#llx cr0 %#llx cs %#x", d.instance,
                  (unsigned long long)cpu.rip, (unsigned long long)cpu.cr0,
                  cpu.cs_arbytes);
        }
        if (d.typecode == HVM_SAVE_CODE(END))
            break;
    }
    CHECK(found == 1, "%d CPU records", found);
    free(ctx);
}

/* A domain that is never built: the calls on its own. */
static void test_fresh_domain(void)
{
    int before = failures, port;
    uint64_t free0 = free_pages(), v = 0;
    xen_pfn_t gfns[16], dec[4], max_gpfn = 0;
    xc_cpumap_t hard = NULL, soft = NULL;
    xc_domaininfo_t list[8];
    xc_vcpuinfo_t vinfo;
    xc_dominfo_t info;
    uint32_t domid;
    uint8_t *p;
    int err[2];
    int n;

    domid = create_pvh(2, MEM_MB);
    if (!domid)
        goto out;
    CHECK_ERR(xc_domain_max_vcpus(xch, domid, 3), EINVAL);

    /* Info of a new domain: paused, no memory, vCPUs down. */
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.domid == domid);
    CHECK(info.paused && info.nr_pages == 0 && info.max_vcpu_id == 1 &&
              info.max_memkb == MAXMEM_KB,
          "paused %u pages %lu max vcpu %u max %lu", info.paused, info.nr_pages,
          info.max_vcpu_id, info.max_memkb);
    CHECK(xc_vcpu_getinfo(xch, domid, 1, &vinfo) == 0 && !vinfo.online);
    CHECK_ERR(xc_vcpu_getinfo(xch, domid, 2, &vinfo), EINVAL);
    n = xc_domain_getinfolist(xch, 0, 8, list);
    CHECK(n >= 2 && list[0].domain == 0);
    for (int i = 0; i < n; i++)
        if (list[i].domain == domid)
            CHECK(list[i].max_pages == MAXMEM_KB / 4);

    /* Affinity round trip. */
    hard = xc_cpumap_alloc(xch);
    soft = xc_cpumap_alloc(xch);
    if (CHECK(hard && soft)) {
        xc_cpumap_setcpu(0, hard);
        xc_cpumap_setcpu(0, soft);
        CHECK(xc_vcpu_setaffinity(xch, domid, 1, hard, soft,
                                  XEN_VCPUAFFINITY_HARD |
                                      XEN_VCPUAFFINITY_SOFT) == 0);
        memset(hard, 0xff, xc_get_cpumap_size(xch));
        memset(soft, 0xff, xc_get_cpumap_size(xch));
        CHECK(xc_vcpu_getaffinity(xch, domid, 1, hard, soft,
                                  XEN_VCPUAFFINITY_HARD |
                                      XEN_VCPUAFFINITY_SOFT) == 0);
        CHECK(xc_cpumap_testcpu(0, hard) && xc_cpumap_testcpu(0, soft));
        for (int c = 1; c < xc_get_max_cpus(xch); c++)
            CHECK(!xc_cpumap_testcpu(c, hard) && !xc_cpumap_testcpu(c, soft),
                  "cpu %d still in the map", c);
        /* Only the hard map asked for: the soft one may be NULL. */
        CHECK(xc_vcpu_getaffinity(xch, domid, 0, hard, NULL,
                                  XEN_VCPUAFFINITY_HARD) == 0);
        CHECK(xc_cpumap_testcpu(0, hard));
        memset(hard, 0, xc_get_cpumap_size(xch));
        CHECK_ERR(xc_vcpu_setaffinity(xch, domid, 1, hard, NULL,
                                      XEN_VCPUAFFINITY_HARD),
                  EINVAL);
    }

    /* HVM params. */
    CHECK(xc_hvm_param_set(xch, domid, HVM_PARAM_STORE_EVTCHN, 5) == 0);
    CHECK(xc_hvm_param_get(xch, domid, HVM_PARAM_STORE_EVTCHN, &v) == 0 &&
          v == 5);
    CHECK(xc_set_hvm_param(xch, domid, HVM_PARAM_CONSOLE_EVTCHN, 6) == 0);
    {
        unsigned long ul = 0;

        CHECK(xc_get_hvm_param(xch, domid, HVM_PARAM_CONSOLE_EVTCHN, &ul) ==
                  0 &&
              ul == 6);
    }
    CHECK_ERR(xc_hvm_param_set(xch, domid, HVM_NR_PARAMS, 1), EINVAL);

    /* Memory: populate, map, release, the limit. */
    for (int i = 0; i < 16; i++)
        gfns[i] = 0x100 + i;
    CHECK(xc_domain_populate_physmap_exact(xch, domid, 16, 0, 0, gfns) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.nr_pages == 16,
          "%lu pages", info.nr_pages);
    CHECK(xc_domain_maximum_gpfn(xch, domid, &max_gpfn) == 0 &&
              max_gpfn == 0x10f,
          "max gpfn %#llx", (unsigned long long)max_gpfn);
    p = xc_map_foreign_range(xch, domid, 2 * XC_PAGE_SIZE,
                             PROT_READ | PROT_WRITE, 0x104);
    if (CHECK(p != NULL)) {
        memcpy(p + XC_PAGE_SIZE - 3, "xenon!", 7);
        munmap(p, 2 * XC_PAGE_SIZE);
    }
    p = xc_map_foreign_bulk(xch, domid, PROT_READ, gfns + 4, err, 2);
    if (CHECK(p != NULL)) {
        CHECK(err[0] == 0 && err[1] == 0);
        CHECK(!memcmp(p + XC_PAGE_SIZE - 3, "xenon!", 7));
        munmap(p, 2 * XC_PAGE_SIZE);
    }
    p = xc_map_foreign_pages(xch, domid, PROT_READ, gfns + 5, 1);
    if (CHECK(p != NULL)) {
        CHECK(!memcmp(p, "on!", 4));
        munmap(p, XC_PAGE_SIZE);
    }
    for (int i = 0; i < 4; i++)
        dec[i] = 0x100 + i;
    CHECK(xc_domain_decrease_reservation_exact(xch, domid, 4, 0, dec) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.nr_pages == 12,
          "%lu pages", info.nr_pages);
    /* Already released: nothing done, EINVAL from the _exact form. */
    CHECK_ERR(xc_domain_decrease_reservation_exact(xch, domid, 1, 0, dec),
              EINVAL);
    CHECK(xc_domain_populate_physmap(xch, domid, 4, 0, 0, dec) == 4);
    /* Beyond max_mem: the hypervisor stops short, _exact says EBUSY. */
    CHECK(xc_domain_setmaxmem(xch, domid, 16 * 4) == 0);
    gfns[0] = 0x200;
    CHECK_ERR(xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, gfns),
              EBUSY);
    CHECK(xc_domain_setmaxmem(xch, domid, MAXMEM_KB) == 0);
    CHECK(xc_domain_increase_reservation_exact(xch, domid, 2, 0, 0, NULL) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.nr_pages == 18,
          "%lu pages", info.nr_pages);

    /* Event channels, time, HVM context. */
    port = xc_evtchn_alloc_unbound(xch, domid, 0);
    CHECK(port > 0, "port %d", port);
    CHECK(xc_evtchn_reset(xch, domid) == 0);
    CHECK(xc_domain_set_time_offset(xch, domid, 3600) == 0);
    check_hvm_context(domid);

    /* Pause nesting, shutdown by the toolstack. */
    CHECK(xc_domain_pause(xch, domid) == 0);
    CHECK(xc_domain_unpause(xch, domid) == 0);
    CHECK(xc_domain_shutdown(xch, domid, SHUTDOWN_reboot) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.shutdown &&
              info.shutdown_reason == SHUTDOWN_reboot,
          "shutdown %u reason %u", info.shutdown, info.shutdown_reason);

    CHECK(xc_domain_destroy(xch, domid) == 0);
    CHECK_ERR(xc_domain_destroy(xch, domid), ESRCH);
    for (int i = 0; i < 50 && free_pages() != free0; i++)
        sleep_ms(100);
    CHECK(free_pages() == free0, "free pages %llu, were %llu",
          (unsigned long long)free_pages(), (unsigned long long)free0);
out:
    free(hard);
    free(soft);
    section("a fresh domain: info, affinity, params, memory, mapping, "
            "channels, shutdown",
            before);
}

static void test_console(void)
{
    int before = failures;
    char buf[256];
    unsigned int n = sizeof(buf);
    uint32_t index = 0;

    /* Incremental reads: the index moves on by what was read. */
    CHECK(xc_readconsolering(xch, buf, &n, 0, 1, &index) == 0);
    CHECK(index >= n);
    {
        uint32_t i2 = index;

        n = sizeof(buf);
        CHECK(xc_readconsolering(xch, buf, &n, 0, 1, &i2) == 0);
    }
    /* Clear: a read after it has nothing older than the clear. */
    n = sizeof(buf);
    CHECK(xc_readconsolering(xch, buf, &n, 1, 0, NULL) == 0);
    n = sizeof(buf);
    CHECK(xc_readconsolering(xch, buf, &n, 0, 0, NULL) == 0);
    CHECK(n == 0, "%u bytes after a clear", n);
    con.index = 0;
    con.len = 0;
    section("readconsolering: incremental, clear", before);
}

/* Kernels under GUESTS-DIR; "/" stands for the gzip-compressed one. */
static const struct guest guests[] = {
    {"build and run hello-64 through libxenguest", "hello-64.elf", 16, 1,
     "libxc-test", NULL, "cmdline \"libxc-test\""},
    {"build and run xen_version-32 through libxenguest", "xen_version-32.elf",
     16, 1, NULL, NULL, NULL},
    {"build and run a gzip-compressed kernel", "/", 16, 1, NULL, NULL, NULL},
    {"start info: module and command line (start_info-64)", "start_info-64.elf",
     24, 1, "start-info a,b,c 3", "XENON-MODULE-1234", NULL},
    {"secondary vCPUs of a built domain (vcpu-smp-64, 4 vCPUs)",
     "vcpu-smp-64.elf", 32, 4, NULL, NULL, "vCPU 3 is up"},
};

int main(int argc, char **argv)
{
    char path[4096];

    if (argc != 3) {
        fprintf(stderr, "usage: %s GUESTS-DIR GZIP-KERNEL\n", argv[0]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        printf("FAIL xc_interface_open: %s\n", strerror(errno));
        return 1;
    }
    test_host();
    test_errors();
    test_console();
    test_fresh_domain();
    for (unsigned int i = 0; i < sizeof(guests) / sizeof(guests[0]); i++) {
        struct guest g = guests[i];

        snprintf(path, sizeof(path), "%s/%s", argv[1], g.path);
        g.path = g.path[0] == '/' ? argv[2] : path;
        run_guest(&g);
    }
    CHECK(xc_interface_close(xch) == 0);
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
