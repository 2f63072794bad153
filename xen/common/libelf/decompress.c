/*
 * Compressed kernel images (see xen/libelf.h): gzip with zlib, xz and
 * lzma with liblzma, zstd with libzstd, lz4's legacy format with liblz4.
 * Output grows in a buffer capped at max_out, so a small hostile stream
 * cannot make us allocate more than the caller allows.
 */
#include <errno.h>
#include <lz4.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <xen/libelf.h>

static const struct {
    enum xen_compression c;
    const char *name;
    uint8_t len;
    uint8_t magic[6];
} formats[] = {
    {XEN_COMP_GZIP, "gzip", 2, {0x1f, 0x8b}},
    {XEN_COMP_XZ, "xz", 6, {0xfd, '7', 'z', 'X', 'Z', 0}},
    {XEN_COMP_ZSTD, "zstd", 4, {0x28, 0xb5, 0x2f, 0xfd}},
    {XEN_COMP_LZ4, "lz4", 4, {0x02, 0x21, 0x4c, 0x18}},
    {XEN_COMP_LZMA, "lzma", 3, {0x5d, 0, 0}},
    {XEN_COMP_BZIP2, "bzip2", 3, {'B', 'Z', 'h'}},
    {XEN_COMP_LZO, "lzo", 4, {0x89, 'L', 'Z', 'O'}},
};
#define NR_FORMATS (sizeof(formats) / sizeof(formats[0]))

enum xen_compression xen_compression_of(const void *buf, size_t len)
{
    for (unsigned int i = 0; i < NR_FORMATS; i++)
        if (len >= formats[i].len &&
            !memcmp(buf, formats[i].magic, formats[i].len))
            return formats[i].c;
    return XEN_COMP_NONE;
}

const char *xen_compression_name(enum xen_compression c)
{
    for (unsigned int i = 0; i < NR_FORMATS; i++)
        if (formats[i].c == c)
            return formats[i].name;
    return "uncompressed";
}

/* The output: len bytes used of cap, never more than max. */
struct outbuf {
    uint8_t *p;
    size_t len, cap, max;
};

/* Make room after len: -EFBIG once the cap is reached, or -ENOMEM. */
static int grow(struct outbuf *o)
{
    size_t cap;
    uint8_t *n;

    if (o->cap - o->len)
        return 0;
    if (o->cap == o->max)
        return -EFBIG;
    cap = o->cap ? o->cap * 2 : 1 << 20;
    cap = cap > o->max || cap < o->cap ? o->max : cap;
    n = realloc(o->p, cap);
    if (!n)
        return -ENOMEM;
    o->p = n;
    o->cap = cap;
    return 0;
}

static int gunzip(const uint8_t *in, size_t len, struct outbuf *o)
{
    z_stream zs = {0};
    int zr, rc;

    if (len > UINT32_MAX || inflateInit2(&zs, 15 + 32) != Z_OK)
        return len > UINT32_MAX ? -EFBIG : -ENOMEM;
    zs.next_in = (uint8_t *)in;
    zs.avail_in = (uInt)len;
    for (;;) {
        rc = grow(o);
        if (rc)
            break;
        zs.next_out = o->p + o->len;
        zs.avail_out =
            (uInt)(o->cap - o->len > UINT32_MAX ? UINT32_MAX : o->cap - o->len);
        zr = inflate(&zs, Z_NO_FLUSH);
        o->len = zs.next_out - o->p;
        if (zr == Z_STREAM_END)
            break;
        /* No progress with room to spare: the input ended early. */
        if ((zr != Z_OK && zr != Z_BUF_ERROR) ||
            (zr == Z_BUF_ERROR && zs.avail_out)) {
            rc = -EINVAL;
            break;
        }
    }
    inflateEnd(&zs);
    return rc;
}

/*
 * What a stream's dictionary may make liblzma allocate: Linux's kernels
 * use 32 MiB; zstd's default window limit is 128 MiB too.
 */
#define XZ_MEMLIMIT (128u << 20)

static int unxz(enum xen_compression c, const uint8_t *in, size_t len,
                struct outbuf *o)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret lr;
    int rc;

    lr = c == XEN_COMP_XZ ? lzma_stream_decoder(&s, XZ_MEMLIMIT, 0)
                          : lzma_alone_decoder(&s, XZ_MEMLIMIT);
    if (lr != LZMA_OK)
        return -ENOMEM;
    s.next_in = in;
    s.avail_in = len;
    for (;;) {
        rc = grow(o);
        if (rc)
            break;
        s.next_out = o->p + o->len;
        s.avail_out = o->cap - o->len;
        lr = lzma_code(&s, LZMA_FINISH);
        o->len = s.next_out - o->p;
        if (lr == LZMA_STREAM_END)
            break;
        if (lr != LZMA_OK) {
            rc = lr == LZMA_MEM_ERROR        ? -ENOMEM
                 : lr == LZMA_MEMLIMIT_ERROR ? -E2BIG
                                             : -EINVAL;
            break;
        }
    }
    lzma_end(&s);
    return rc;
}

static int unzstd(const uint8_t *in, size_t len, struct outbuf *o)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_inBuffer ib = {in, len, 0};
    size_t zr;
    int rc;

    if (!ds)
        return -ENOMEM;
    for (;;) {
        ZSTD_outBuffer ob;

        rc = grow(o);
        if (rc)
            break;
        ob = (ZSTD_outBuffer){o->p + o->len, o->cap - o->len, 0};
        zr = ZSTD_decompressStream(ds, &ob, &ib);
        o->len += ob.pos;
        if (ZSTD_isError(zr)) {
            rc = -EINVAL;
            break;
        }
        if (zr == 0) /* the frame is complete */
            break;
        /* Input used up with room left and the frame unfinished. */
        if (ib.pos == ib.size && ob.pos < ob.size) {
            rc = -EINVAL;
            break;
        }
    }
    ZSTD_freeDStream(ds);
    return rc;
}

/*
 * lz4 legacy: the magic, then blocks of a 32-bit little-endian length and
 * that many compressed bytes, each at most 8 MiB uncompressed. Linux
 * appends the 32-bit uncompressed size, which we step over.
 */
#define LZ4_LEGACY_BLOCK (8u << 20)
static const uint8_t lz4_legacy_magic[4] = {0x02, 0x21, 0x4c, 0x18};

static int unlz4(const uint8_t *in, size_t len, struct outbuf *o)
{
    size_t pos = 4, blocks = 0;
    char *block;
    int rc = 0;

    if (len < 4 || memcmp(in, lz4_legacy_magic, 4))
        return -EINVAL;
    block = malloc(LZ4_LEGACY_BLOCK);
    if (!block)
        return -ENOMEM;
    while (len - pos >= 4) {
        uint32_t csize;
        int n;

        memcpy(&csize, in + pos, 4);
        pos += 4;
        if (!memcmp(in + pos - 4, lz4_legacy_magic, 4))
            continue; /* a concatenated archive */
        if (csize > len - pos) {
            /* Only the trailing size may stand where a block does not fit. */
            if (!blocks || pos != len)
                rc = -EINVAL;
            break;
        }
        if (csize > (size_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
            rc = -EINVAL;
            break;
        }
        n = LZ4_decompress_safe((const char *)in + pos, block, (int)csize,
                                LZ4_LEGACY_BLOCK);
        if (n < 0) {
            rc = -EINVAL;
            break;
        }
        pos += csize;
        blocks++;
        if ((size_t)n > o->max - o->len) {
            rc = -EFBIG;
            break;
        }
        while (o->cap - o->len < (size_t)n) {
            uint8_t *p;
            size_t cap = o->len + n > o->cap * 2 ? o->len + n : o->cap * 2;

            cap = cap > o->max ? o->max : cap;
            p = realloc(o->p, cap);
            if (!p) {
                rc = -ENOMEM;
                goto out;
            }
            o->p = p;
            o->cap = cap;
        }
        memcpy(o->p + o->len, block, n);
        o->len += n;
    }
    if (!rc && (!blocks || len - pos))
        rc = -EINVAL; /* empty, or a torn block length at the end */
out:
    free(block);
    return rc;
}

int xen_decompress_as(enum xen_compression c, const void *buf, size_t len,
                      size_t max_out, void **out, size_t *out_len)
{
    struct outbuf o = {.max = max_out};
    int rc;

    *out = NULL;
    *out_len = 0;
    switch (c) {
    case XEN_COMP_GZIP:
        rc = gunzip(buf, len, &o);
        break;
    case XEN_COMP_XZ:
    case XEN_COMP_LZMA:
        rc = unxz(c, buf, len, &o);
        break;
    case XEN_COMP_ZSTD:
        rc = unzstd(buf, len, &o);
        break;
    case XEN_COMP_LZ4:
        rc = unlz4(buf, len, &o);
        break;
    default:
        return -EOPNOTSUPP;
    }
    if (rc) {
        free(o.p);
        return rc;
    }
    *out = o.p;
    *out_len = o.len;
    return 0;
}

int xen_decompress(const void *buf, size_t len, size_t max_out, void **out,
                   size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len < 18 || xen_compression_of(buf, len) != XEN_COMP_GZIP)
        return 0;
    return xen_decompress_as(XEN_COMP_GZIP, buf, len, max_out, out, out_len);
}
