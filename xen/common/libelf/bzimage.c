/*
 * Linux bzImages (see xen/libelf.h): a real-mode setup part, then the
 * protected-mode part whose compressed payload is the kernel's ELF image
 * (boot protocol 2.08 and later say where it lies).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/libelf.h>

/* Offsets in the setup header (Documentation/x86/boot.rst). */
#define BZ_SETUP_SECTS 0x1f1
#define BZ_HEADER 0x202 /* "HdrS" */
#define BZ_VERSION 0x206
#define BZ_PAYLOAD_OFFSET 0x248 /* from the protected-mode part */
#define BZ_PAYLOAD_LENGTH 0x24c
#define BZ_HEADER_END 0x250

static int bz_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int bzimage_payload(const void *img, size_t len, const void **payload,
                    size_t *payload_len, char *err, size_t errlen)
{
    const uint8_t *b = img;
    uint64_t pm_start, off, plen;
    unsigned int version;

    *payload = NULL;
    *payload_len = 0;
    if (len < BZ_HEADER_END || memcmp(b + BZ_HEADER, "HdrS", 4))
        return 0;
    version = b[BZ_VERSION] | b[BZ_VERSION + 1] << 8;
    if (version < 0x208)
        return bz_fail(err, errlen, -EINVAL,
                       "bzImage boot protocol %u.%02u is older than 2.08: "
                       "it does not say where its payload is",
                       version >> 8, version & 0xff);
    /* The setup part is setup_sects 512-byte sectors after the boot one. */
    pm_start =
        ((uint64_t)(b[BZ_SETUP_SECTS] ? b[BZ_SETUP_SECTS] : 4) + 1) * 512;
    off = pm_start + le32(b + BZ_PAYLOAD_OFFSET);
    plen = le32(b + BZ_PAYLOAD_LENGTH);
    if (!plen || off > len || plen > len - off)
        return bz_fail(err, errlen, -EINVAL,
                       "bzImage payload (%llu bytes at %llu) is outside the "
                       "%zu-byte file",
                       (unsigned long long)plen, (unsigned long long)off, len);
    *payload = b + off;
    *payload_len = plen;
    return 0;
}

int xen_kernel_unpack(const void *img, size_t len, size_t max_out, void **out,
                      size_t *out_len, char *err, size_t errlen)
{
    const void *data = img;
    size_t data_len = len;
    const char *what = "kernel image";
    enum xen_compression c;
    int rc;

    *out = NULL;
    *out_len = 0;
    rc = bzimage_payload(img, len, &data, &data_len, err, errlen);
    if (rc)
        return rc;
    if (data) {
        what = "bzImage payload";
    } else {
        data = img;
        data_len = len;
    }
    c = xen_compression_of(data, data_len);
    if (c == XEN_COMP_NONE) {
        if (data != img)
            return bz_fail(err, errlen, -EINVAL,
                           "bzImage payload is not compressed in a known "
                           "format");
        return 0;
    }
    rc = xen_decompress_as(c, data, data_len, max_out, out, out_len);
    switch (rc) {
    case 0:
        break;
    case -EFBIG:
        return bz_fail(err, errlen, rc,
                       "%s (%s) decompresses to more than %zu bytes", what,
                       xen_compression_name(c), max_out);
    case -EOPNOTSUPP:
        return bz_fail(err, errlen, rc,
                       "%s is %s-compressed, which is not supported", what,
                       xen_compression_name(c));
    case -E2BIG:
        return bz_fail(err, errlen, rc,
                       "%s (%s) needs more than 128 MiB of memory to "
                       "decompress",
                       what, xen_compression_name(c));
    case -ENOMEM:
        return bz_fail(err, errlen, rc, "out of memory decompressing the %s",
                       what);
    default:
        return bz_fail(err, errlen, rc, "%s (%s) is corrupt or truncated", what,
                       xen_compression_name(c));
    }
    if (data != img && (*out_len < 4 || memcmp(*out,
                                               "\x7f"
                                               "ELF",
                                               4))) {
        free(*out);
        *out = NULL;
        *out_len = 0;
        return bz_fail(err, errlen, -EINVAL,
                       "bzImage payload (%s) is not an ELF image",
                       xen_compression_name(c));
    }
    return 0;
}
