/*
 * libxenguest: the domain image (struct xc_dom_image), its kernel and
 * module blobs, logging, and the mapping of guest memory the loader
 * writes through.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xg_private.h"

/* Xen's XC_DOM_DECOMPRESS_MAX: no image may be bigger than this. */
#define DEFAULT_MAX_SIZE (1024UL << 20)

int xg__fail(struct xc_dom_image *dom, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (dom->xch)
        xc__vlog_dombuild(dom->xch, XTL_ERROR, -1, fmt, ap);
    va_end(ap);
    errno = err;
    return -1;
}

void xg__info(struct xc_dom_image *dom, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (dom->xch)
        xc__vlog_dombuild(dom->xch, XTL_DETAIL, -1, fmt, ap);
    va_end(ap);
}

XC_EXPORT
struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
                                     const char *features)
{
    struct xc_dom_image *dom = calloc(1, sizeof(*dom));

    (void)features;
    if (!dom)
        return NULL;
    dom->internal = calloc(1, sizeof(*dom->internal));
    if (!dom->internal)
        goto fail;
    if (cmdline) {
        dom->cmdline = strdup(cmdline);
        if (!dom->cmdline)
            goto fail;
    }
    dom->xch = xch;
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->max_vcpus = 1;
    dom->guest_type = "hvm-3.0-x86_32";
    return dom;

fail:
    free(dom->internal);
    free(dom);
    errno = ENOMEM;
    return NULL;
}

XC_EXPORT
void xc_dom_release(struct xc_dom_image *dom)
{
    if (!dom)
        return;
    xg__unmap_all(dom);
    free(dom->kernel_blob);
    for (unsigned int i = 0; i < dom->num_modules; i++) {
        free(dom->modules[i].blob);
        free(dom->modules[i].cmdline);
    }
    free(dom->cmdline);
    free(dom->internal);
    free(dom);
}

XC_EXPORT
int xc_dom_kernel_max_size(struct xc_dom_image *dom, size_t sz)
{
    dom->max_kernel_size = sz;
    return 0;
}

XC_EXPORT
int xc_dom_module_max_size(struct xc_dom_image *dom, size_t sz)
{
    dom->max_module_size = sz;
    return 0;
}

/* A copy of file @path of at most @max bytes, in *size. NULL/errno. */
static void *read_file(struct xc_dom_image *dom, const char *path, size_t max,
                       size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint8_t *buf = NULL;
    struct stat st;
    size_t got = 0;
    int err = 0;

    if (fd < 0) {
        err = errno;
        xg__fail(dom, err, "cannot open %s: %s", path, strerror(err));
        goto out;
    }
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        err = EFBIG;
        xg__fail(dom, err, "%s: not a regular file of at most %zu bytes", path,
                 max);
        goto out;
    }
    buf = malloc(st.st_size ? st.st_size : 1);
    if (!buf) {
        err = ENOMEM;
        goto out;
    }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, st.st_size - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            err = r ? errno : EIO;
            xg__fail(dom, err, "cannot read %s", path);
            goto out;
        }
        got += r;
    }
    *size = got;
out:
    if (fd >= 0)
        close(fd);
    if (err) {
        free(buf);
        buf = NULL;
        errno = err;
    }
    return buf;
}

/* Take @blob (malloc'd, @size bytes) as the kernel, inflating gzip. */
static int set_kernel(struct xc_dom_image *dom, void *blob, size_t size)
{
    size_t max = dom->max_kernel_size ? dom->max_kernel_size : DEFAULT_MAX_SIZE;
    void *inflated = NULL;
    size_t ilen = 0;
    int rc = xen_decompress(blob, size, max, &inflated, &ilen);

    if (rc) {
        free(blob);
        return xg__fail(dom, -rc, "kernel: corrupt or oversized gzip image");
    }
    if (inflated) {
        free(blob);
        blob = inflated;
        size = ilen;
    }
    free(dom->kernel_blob);
    dom->kernel_blob = blob;
    dom->kernel_size = size;
    dom->internal->parsed = false;
    return 0;
}

XC_EXPORT
int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename)
{
    size_t size = 0;
    void *blob = read_file(
        dom, filename,
        dom->max_kernel_size ? dom->max_kernel_size : DEFAULT_MAX_SIZE, &size);

    return blob ? set_kernel(dom, blob, size) : -1;
}

XC_EXPORT
int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem, size_t memsize)
{
    void *blob = malloc(memsize ? memsize : 1);

    if (!blob) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(blob, mem, memsize);
    return set_kernel(dom, blob, memsize);
}

static int add_module(struct xc_dom_image *dom, void *blob, size_t size,
                      const char *cmdline)
{
    struct xc_dom_module *m;

    if (dom->num_modules == XG_MAX_MODULES) {
        free(blob);
        return xg__fail(dom, E2BIG, "at most %d modules", XG_MAX_MODULES);
    }
    m = &dom->modules[dom->num_modules];
    memset(m, 0, sizeof(*m));
    if (cmdline) {
        m->cmdline = strdup(cmdline);
        if (!m->cmdline) {
            free(blob);
            errno = ENOMEM;
            return -1;
        }
    }
    m->blob = blob;
    m->size = size;
    dom->num_modules++;
    return 0;
}

XC_EXPORT
int xc_dom_module_file(struct xc_dom_image *dom, const char *filename,
                       const char *cmdline)
{
    size_t size = 0;
    void *blob = read_file(
        dom, filename,
        dom->max_module_size ? dom->max_module_size : DEFAULT_MAX_SIZE, &size);

    return blob ? add_module(dom, blob, size, cmdline) : -1;
}

XC_EXPORT
int xc_dom_module_mem(struct xc_dom_image *dom, const void *module,
                      size_t memsize, const char *cmdline)
{
    void *blob = malloc(memsize ? memsize : 1);

    if (!blob) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(blob, module, memsize);
    return add_module(dom, blob, memsize, cmdline);
}

/* ---- Guest memory ---- */

/* Whether [paddr, end) lies in what the builder has populated. */
static bool backed(const struct xc_dom_image *dom, uint64_t paddr, uint64_t end)
{
    const struct xc_dom_internal *in = dom->internal;
    uint64_t special = (uint64_t)special_pfn(0) << XC_PAGE_SHIFT;
    uint64_t special_end = (uint64_t)X86_HVM_END_SPECIAL_REGION
                           << XC_PAGE_SHIFT;

    if (in->ram_populated &&
        (end <= dom->lowmem_end ||
         (paddr >= PVH_HIGHMEM_START && end <= dom->highmem_end)))
        return true;
    if (in->acpi_populated && paddr >= PVH_ACPI_ADDR &&
        end <= PVH_ACPI_ADDR + PVH_ACPI_SIZE)
        return true;
    return in->special_populated && paddr >= special && end <= special_end;
}

void *xg__map_guest(void *ctx, uint64_t paddr, size_t len)
{
    struct xc_dom_image *dom = ctx;
    uint64_t end = paddr + len, first, nr;
    struct xg_map *m = NULL;
    xen_pfn_t *gfns = NULL;
    void *addr = NULL;

    if (!len || end < paddr || !backed(dom, paddr, end))
        return NULL;
    first = paddr >> XC_PAGE_SHIFT;
    nr = ((end - 1) >> XC_PAGE_SHIFT) - first + 1;
    gfns = malloc(nr * sizeof(*gfns));
    m = malloc(sizeof(*m));
    if (!gfns || !m)
        goto out;
    for (uint64_t i = 0; i < nr; i++)
        gfns[i] = first + i;
    addr = xenforeignmemory_map(dom->xch->fmem, dom->guest_domid,
                                PROT_READ | PROT_WRITE, nr, gfns, NULL);
    if (!addr) {
        xg__fail(dom, errno, "cannot map d%u gfns %#llx+%llu: %s",
                 dom->guest_domid, (unsigned long long)first,
                 (unsigned long long)nr, strerror(errno));
        goto out;
    }
    m->addr = addr;
    m->pages = nr;
    m->next = dom->internal->maps;
    dom->internal->maps = m;
    m = NULL;
    addr = (uint8_t *)addr + (paddr & (XC_PAGE_SIZE - 1));
out:
    free(m);
    free(gfns);
    return addr;
}

void xg__unmap_all(struct xc_dom_image *dom)
{
    struct xg_map *m;

    while ((m = dom->internal->maps)) {
        dom->internal->maps = m->next;
        xenforeignmemory_unmap(dom->xch->fmem, m->addr, m->pages);
        free(m);
    }
}
