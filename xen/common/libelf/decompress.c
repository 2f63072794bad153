/* gzip/zlib kernel images, inflated with zlib (see xen/libelf.h). */
#include <errno.h>
#include <stdlib.h>
#include <zlib.h>

#include <xen/libelf.h>

int xen_decompress(const void *buf, size_t len, size_t max_out, void **out,
                   size_t *out_len)
{
    const uint8_t *b = buf;
    z_stream zs = {0};
    size_t cap = len * 4 > max_out ? max_out : len * 4;
    uint8_t *dst = NULL;
    int zr, rc = -EINVAL;

    *out = NULL;
    *out_len = 0;
    if (len < 18 || b[0] != 0x1f || b[1] != 0x8b)
        return 0;
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return -ENOMEM;
    zs.next_in = (uint8_t *)b;
    zs.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
    for (;;) {
        if (zs.total_out == cap) {
            uint8_t *n;

            if (cap == max_out) {
                rc = -EFBIG;
                goto out;
            }
            cap = cap * 2 > max_out ? max_out : cap * 2;
            n = realloc(dst, cap);
            if (!n) {
                rc = -ENOMEM;
                goto out;
            }
            dst = n;
        } else if (!dst) {
            dst = malloc(cap);
            if (!dst) {
                rc = -ENOMEM;
                goto out;
            }
        }
        zs.next_out = dst + zs.total_out;
        zs.avail_out = (uInt)(cap - zs.total_out);
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            break;
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            goto out;
        if (zr == Z_BUF_ERROR && zs.avail_out)
            goto out; /* truncated input */
    }
    *out = dst;
    *out_len = zs.total_out;
    dst = NULL;
    rc = 0;
out:
    inflateEnd(&zs);
    free(dst);
    return rc;
}
