/*
 * What the C integration tests share: the failure counter and the two
 * ways of reporting a check, and, with TESTLIB_XC defined before the
 * include, libxenctrl helpers on a global xch (console, free memory,
 * domain creation and shutdown); with TESTLIB_XG too, the libxenguest
 * PVH build.
 *
 * Each test is one source file, so the definitions live here as statics.
 */
#ifndef TESTS_INTEGRATION_TESTLIB_H
#define TESTS_INTEGRATION_TESTLIB_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int failures;

/* One "ok"/"FAIL" line per check, whichever way it went. */
static inline void __attribute__((format(printf, 2, 3)))
check(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    failures += !ok;
}

/*
 * CHECK(cond[, fmt, ...]): silent when cond holds, else a "FAIL line N"
 * with errno; whether it held. section() then sums a group up.
 */
#define CHECK(cond, ...) check_((cond), __LINE__, #cond, "" __VA_ARGS__)

static inline int check_(int ok, int line, const char *what, const char *fmt,
                         ...)
{
    va_list ap;

    if (ok)
        return 1;
    failures++;
    printf("FAIL line %d: %s (errno %d %s)", line, what, errno,
           strerror(errno));
    if (*fmt) {
        printf(": ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    fflush(stdout);
    return 0;
}

/* -1/errno from a call: both must be what Xen gives. */
#define CHECK_ERR(call, err)                                                   \
    do {                                                                       \
        errno = 0;                                                             \
        int r_ = (call);                                                       \
        CHECK(r_ == -1 && errno == (err), "%s gave %d, want -1/%s", #call, r_, \
              #err);                                                           \
    } while (0)

static inline void section(const char *name, int failures_before)
{
    printf("%s %s\n", failures == failures_before ? "ok  " : "FAIL", name);
    fflush(stdout);
}

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

#ifdef TESTLIB_XC
#include <xenctrl.h>

/* The RAM plus libxl's slack (LIBXL_MAXMEM_CONSTANT), in KiB. */
#define maxmem_kb(mb) (((mb) << 10) + 1024)

static xc_interface *xch;

static inline uint64_t free_pages(void)
{
    xc_physinfo_t info = {0};

    return xc_physinfo(xch, &info) ? 0 : info.free_pages;
}

/* A PVH domain as a toolstack makes one: LAPIC only, HAP, v1 grants. */
static inline uint32_t create_pvh(unsigned int vcpus, unsigned int mem_mb)
{
    struct xen_domctl_createdomain config = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = vcpus,
        .max_evtchn_port = 1023,
        .max_grant_frames = -1,
        .max_maptrack_frames = -1,
        .grant_opts = XEN_DOMCTL_GRANT_version(1),
        .arch = {.emulation_flags = XEN_X86_EMU_LAPIC},
    };
    uint32_t domid = 0;

    if (!CHECK(xc_domain_create(xch, &domid, &config) == 0) ||
        !CHECK(domid > 0 && domid < DOMID_FIRST_RESERVED, "domid %u", domid))
        return 0;
    CHECK(xc_domain_max_vcpus(xch, domid, vcpus) == 0);
    CHECK(xc_domain_setmaxmem(xch, domid, maxmem_kb(mem_mb)) == 0);
    return domid;
}

/* Wait up to @secs for the domain to shut down; its info. */
static inline int wait_shutdown(uint32_t domid, xc_dominfo_t *info, int secs)
{
    for (int i = 0; i < secs * 10; i++) {
        if (xc_domain_getinfo(xch, domid, 1, info) != 1 || info->domid != domid)
            return 0;
        if (info->shutdown || info->crashed)
            return 1;
        sleep_ms(100);
    }
    return 0;
}

/* The hypervisor console, read incrementally. */
static struct {
    char text[1 << 18];
    size_t len;
    uint32_t index;
} con;

static inline void console_poll(void)
{
    char buf[4096];
    unsigned int n;
    int full;

    do {
        n = sizeof(buf);
        if (xc_readconsolering(xch, buf, &n, 0, 1, &con.index))
            return;
        full = n == sizeof(buf);
        if (n > sizeof(con.text) - 1 - con.len) {
            /* Keep the newer half. */
            memmove(con.text, con.text + con.len / 2, con.len - con.len / 2);
            con.len -= con.len / 2;
        }
        if (n > sizeof(con.text) - 1 - con.len)
            n = sizeof(con.text) - 1 - con.len;
        memcpy(con.text + con.len, buf, n);
        con.len += n;
        con.text[con.len] = '\0';
    } while (full);
}

/* Wait up to @secs for @needle on the console; whether it came. */
static inline int console_wait(const char *needle, int secs)
{
    for (int i = 0; i < secs * 10; i++) {
        console_poll();
        if (strstr(con.text, needle))
            return 1;
        sleep_ms(100);
    }
    return 0;
}

#ifdef TESTLIB_XG
#include <xenguest.h>

/*
 * Build @kernel (with @cmdline and a @module, either may be NULL) into
 * @domid as libxl would, console and xenstore served by domain 0: the
 * image for the caller to read and xc_dom_release, or NULL (released)
 * after a failed check.
 */
static inline struct xc_dom_image *build_pvh(uint32_t domid, const char *kernel,
                                             const char *cmdline,
                                             const char *module,
                                             unsigned int vcpus,
                                             unsigned int mem_mb)
{
    struct xc_dom_image *dom = xc_dom_allocate(xch, cmdline, NULL);

    if (!CHECK(dom != NULL))
        return NULL;
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->max_vcpus = vcpus;
    dom->console_domid = 0;
    dom->xenstore_domid = 0;
    if (CHECK(xc_dom_kernel_file(dom, kernel) == 0) &&
        CHECK(!module ||
              xc_dom_module_mem(dom, module, strlen(module), NULL) == 0) &&
        CHECK(xc_dom_boot_xen_init(dom, xch, domid) == 0) &&
        CHECK(xc_dom_parse_image(dom) == 0) &&
        CHECK(xc_dom_mem_init(dom, mem_mb) == 0) &&
        CHECK(xc_dom_boot_mem_init(dom) == 0) &&
        CHECK(xc_dom_build_image(dom) == 0) &&
        CHECK(xc_dom_boot_image(dom) == 0) &&
        CHECK(xc_dom_gnttab_init(dom) == 0))
        return dom;
    xc_dom_release(dom);
    return NULL;
}
#endif /* TESTLIB_XG */
#endif /* TESTLIB_XC */

#endif /* TESTS_INTEGRATION_TESTLIB_H */
