/* libxl's hand-written base types (libxl_basetypes.h). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "libxl_types_internal.h"

#define DEFBOOL_DEFAULT 0
#define DEFBOOL_TRUE 1
#define DEFBOOL_FALSE -1

static void __attribute__((noreturn)) alloc_failed(size_t nmemb, size_t size)
{
    fprintf(stderr, "libxl: FATAL: cannot allocate %zu x %zu bytes\n", nmemb,
            size);
    _exit(255);
}

void *libxl__types_calloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb, size);

    if (!p && nmemb && size)
        alloc_failed(nmemb, size);
    return p;
}

char *libxl__types_strdup(const char *s)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        alloc_failed(1, strlen(s) + 1);
    return d;
}

bool libxl__string_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

/* ---- libxl_defbool ---- */

XENTOOLS_EXPORT
void libxl_defbool_set(libxl_defbool *db, bool b)
{
    db->val = b ? DEFBOOL_TRUE : DEFBOOL_FALSE;
}

XENTOOLS_EXPORT
void libxl_defbool_unset(libxl_defbool *db)
{
    db->val = DEFBOOL_DEFAULT;
}

XENTOOLS_EXPORT
void libxl_defbool_setdefault(libxl_defbool *db, bool b)
{
    if (db->val == DEFBOOL_DEFAULT)
        libxl_defbool_set(db, b);
}

XENTOOLS_EXPORT
bool libxl_defbool_is_default(libxl_defbool db)
{
    return db.val == DEFBOOL_DEFAULT;
}

XENTOOLS_EXPORT
bool libxl_defbool_val(libxl_defbool db)
{
    assert(!libxl_defbool_is_default(db));
    return db.val > 0;
}

XENTOOLS_EXPORT
const char *libxl_defbool_to_string(libxl_defbool b)
{
    if (b.val == DEFBOOL_DEFAULT)
        return "<default>";
    return b.val > 0 ? "True" : "False";
}

bool libxl__defbool_is_default(const libxl_defbool *db)
{
    return db->val == DEFBOOL_DEFAULT;
}

/* Two set values are equal when they mean the same. */
bool libxl__defbool_equal(const libxl_defbool *a, const libxl_defbool *b)
{
    if (libxl__defbool_is_default(a) || libxl__defbool_is_default(b))
        return a->val == b->val;
    return (a->val > 0) == (b->val > 0);
}

/* ---- Fixed-size arrays ---- */

XENTOOLS_EXPORT
void libxl_mac_copy(libxl_ctx *ctx, libxl_mac *dst, const libxl_mac *src)
{
    (void)ctx;
    memcpy(*dst, *src, sizeof(*dst));
}

bool libxl__mac_is_default(const libxl_mac *mac)
{
    static const libxl_mac zero;

    return !memcmp(*mac, zero, sizeof(zero));
}

XENTOOLS_EXPORT
void libxl_hwcap_copy(libxl_ctx *ctx, libxl_hwcap *dst, const libxl_hwcap *src)
{
    (void)ctx;
    memcpy(*dst, *src, sizeof(*dst));
}

bool libxl__hwcap_is_default(const libxl_hwcap *hwcap)
{
    static const libxl_hwcap zero;

    return !memcmp(*hwcap, zero, sizeof(zero));
}

XENTOOLS_EXPORT
bool libxl_ms_vm_genid_is_zero(const libxl_ms_vm_genid *id)
{
    static const libxl_ms_vm_genid zero;

    return !memcmp(id->bytes, zero.bytes, sizeof(zero.bytes));
}

XENTOOLS_EXPORT
void libxl_ms_vm_genid_copy(libxl_ctx *ctx, libxl_ms_vm_genid *dst,
                            const libxl_ms_vm_genid *src)
{
    (void)ctx;
    *dst = *src;
}

/* ---- String lists ---- */

/* Entries of a NULL-terminated char * array, counted up to the NULL. */
static int strv_len(char *const *v)
{
    int n = 0;

    while (v && v[n])
        n++;
    return n;
}

XENTOOLS_EXPORT
void libxl_string_list_dispose(libxl_string_list *psl)
{
    char **sl = *psl;

    for (int i = 0; sl && sl[i]; i++)
        free(sl[i]);
    free(sl);
    *psl = NULL;
}

XENTOOLS_EXPORT
int libxl_string_list_length(const libxl_string_list *psl)
{
    return strv_len(*psl);
}

XENTOOLS_EXPORT
void libxl_string_list_copy(libxl_ctx *ctx, libxl_string_list *dst,
                            const libxl_string_list *src)
{
    int n = strv_len(*src);

    (void)ctx;
    if (!*src) {
        *dst = NULL;
        return;
    }
    *dst = libxl__types_calloc(n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        (*dst)[i] = libxl__types_strdup((*src)[i]);
}

bool libxl__string_list_is_empty(const libxl_string_list *sl)
{
    return !strv_len(*sl);
}

bool libxl__string_list_equal(const libxl_string_list *a,
                              const libxl_string_list *b)
{
    int n = strv_len(*a);

    if (n != strv_len(*b))
        return false;
    for (int i = 0; i < n; i++)
        if (strcmp((*a)[i], (*b)[i]))
            return false;
    return true;
}

/* Keys are at even indices; a value may be NULL, so count by keys. */
static int kvl_pairs(char *const *kvl)
{
    int n = 0;

    while (kvl && kvl[2 * n])
        n++;
    return n;
}

XENTOOLS_EXPORT
void libxl_key_value_list_dispose(libxl_key_value_list *pkvl)
{
    char **kvl = *pkvl;
    int n = kvl_pairs(kvl);

    for (int i = 0; i < 2 * n; i++)
        free(kvl[i]);
    free(kvl);
    *pkvl = NULL;
}

XENTOOLS_EXPORT
int libxl_key_value_list_length(const libxl_key_value_list *pkvl)
{
    return kvl_pairs(*pkvl);
}

XENTOOLS_EXPORT
void libxl_key_value_list_copy(libxl_ctx *ctx, libxl_key_value_list *dst,
                               const libxl_key_value_list *src)
{
    int n = kvl_pairs(*src);

    (void)ctx;
    if (!*src) {
        *dst = NULL;
        return;
    }
    *dst = libxl__types_calloc(2 * n + 1, sizeof(char *));
    for (int i = 0; i < 2 * n; i++)
        (*dst)[i] = libxl__types_strdup((*src)[i]);
}

bool libxl__key_value_list_is_empty(const libxl_key_value_list *kvl)
{
    return !kvl_pairs(*kvl);
}

/* ---- Bitmaps ---- */

XENTOOLS_EXPORT
void libxl_bitmap_init(libxl_bitmap *map)
{
    memset(map, 0, sizeof(*map));
}

XENTOOLS_EXPORT
void libxl_bitmap_dispose(libxl_bitmap *map)
{
    free(map->map);
    libxl_bitmap_init(map);
}

XENTOOLS_EXPORT
int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *bitmap, int n_bits)
{
    uint32_t size;

    (void)ctx;
    if (n_bits < 0)
        return ERROR_INVAL;
    size = ((uint32_t)n_bits + 7) / 8;
    libxl_bitmap_init(bitmap);
    if (!size)
        return 0;
    bitmap->map = calloc(size, 1);
    if (!bitmap->map)
        return ERROR_NOMEM;
    bitmap->size = size;
    return 0;
}

XENTOOLS_EXPORT
void libxl_bitmap_copy_alloc(libxl_ctx *ctx, libxl_bitmap *dptr,
                             const libxl_bitmap *sptr)
{
    (void)ctx;
    libxl_bitmap_init(dptr);
    if (!sptr->map || !sptr->size)
        return;
    dptr->map = libxl__types_calloc(sptr->size, 1);
    memcpy(dptr->map, sptr->map, sptr->size);
    dptr->size = sptr->size;
}

XENTOOLS_EXPORT
void libxl_bitmap_copy(libxl_ctx *ctx, libxl_bitmap *dptr,
                       const libxl_bitmap *sptr)
{
    uint32_t n = dptr->size < sptr->size ? dptr->size : sptr->size;

    (void)ctx;
    if (n)
        memcpy(dptr->map, sptr->map, n);
}

XENTOOLS_EXPORT
int libxl_bitmap_is_full(const libxl_bitmap *bitmap)
{
    for (uint32_t i = 0; i < bitmap->size; i++)
        if (bitmap->map[i] != 0xff)
            return 0;
    return 1;
}

XENTOOLS_EXPORT
int libxl_bitmap_is_empty(const libxl_bitmap *bitmap)
{
    for (uint32_t i = 0; i < bitmap->size; i++)
        if (bitmap->map[i])
            return 0;
    return 1;
}

/* A bit outside the map reads as clear and cannot be changed. */
static bool bit_in_map(const libxl_bitmap *bitmap, int bit)
{
    return bit >= 0 && (uint32_t)bit / 8 < bitmap->size;
}

XENTOOLS_EXPORT
int libxl_bitmap_test(const libxl_bitmap *bitmap, int bit)
{
    if (!bit_in_map(bitmap, bit))
        return 0;
    return (bitmap->map[bit / 8] >> (bit & 7)) & 1;
}

XENTOOLS_EXPORT
void libxl_bitmap_set(libxl_bitmap *bitmap, int bit)
{
    if (bit_in_map(bitmap, bit))
        bitmap->map[bit / 8] |= 1 << (bit & 7);
}

XENTOOLS_EXPORT
void libxl_bitmap_reset(libxl_bitmap *bitmap, int bit)
{
    if (bit_in_map(bitmap, bit))
        bitmap->map[bit / 8] &= ~(1 << (bit & 7));
}

XENTOOLS_EXPORT
int libxl_bitmap_count_set(const libxl_bitmap *bitmap)
{
    int n = 0;

    for (uint32_t i = 0; i < bitmap->size; i++)
        n += __builtin_popcount(bitmap->map[i]);
    return n;
}

XENTOOLS_EXPORT
void libxl_bitmap_set_any(libxl_bitmap *bitmap)
{
    if (bitmap->size)
        memset(bitmap->map, 0xff, bitmap->size);
}

XENTOOLS_EXPORT
void libxl_bitmap_set_none(libxl_bitmap *bitmap)
{
    if (bitmap->size)
        memset(bitmap->map, 0, bitmap->size);
}

XENTOOLS_EXPORT
int libxl_bitmap_equal(const libxl_bitmap *ba, const libxl_bitmap *bb,
                       int nr_bits)
{
    /* Bits beyond either map read as clear. */
    if (nr_bits <= 0)
        nr_bits = ba->size * 8;
    for (int i = 0; i < nr_bits; i++)
        if (libxl_bitmap_test(ba, i) != libxl_bitmap_test(bb, i))
            return 0;
    return 1;
}

/* Combine two maps byte by byte into a new map of size bytes. */
static int bitmap_combine(libxl_bitmap *out, const libxl_bitmap *m1,
                          const libxl_bitmap *m2, uint32_t size, bool or)
{
    int rc = libxl_bitmap_alloc(NULL, out, (int)(size * 8));

    if (rc)
        return rc;
    for (uint32_t i = 0; i < size; i++) {
        uint8_t a = i < m1->size ? m1->map[i] : 0;
        uint8_t b = i < m2->size ? m2->map[i] : 0;

        out->map[i] = or ? a | b : a & b;
    }
    return 0;
}

XENTOOLS_EXPORT
int libxl_bitmap_or(libxl_ctx *ctx, libxl_bitmap *or_map,
                    const libxl_bitmap *map1, const libxl_bitmap *map2)
{
    (void)ctx;
    return bitmap_combine(or_map, map1, map2,
                          map1->size > map2->size ? map1->size : map2->size,
                          true);
}

XENTOOLS_EXPORT
int libxl_bitmap_and(libxl_ctx *ctx, libxl_bitmap *and_map,
                     const libxl_bitmap *map1, const libxl_bitmap *map2)
{
    (void)ctx;
    return bitmap_combine(and_map, map1, map2,
                          map1->size < map2->size ? map1->size : map2->size,
                          false);
}

/* ---- CPUID policy lists: always NULL for now (libxl_basetypes.h) ---- */

XENTOOLS_EXPORT
void libxl_cpuid_dispose(libxl_cpuid_policy_list *cpuid_list)
{
    *cpuid_list = NULL;
}

XENTOOLS_EXPORT
int libxl_cpuid_policy_list_length(const libxl_cpuid_policy_list *l)
{
    (void)l;
    return 0;
}

XENTOOLS_EXPORT
void libxl_cpuid_policy_list_copy(libxl_ctx *ctx, libxl_cpuid_policy_list *dst,
                                  const libxl_cpuid_policy_list *src)
{
    (void)ctx;
    (void)src;
    *dst = NULL;
}

bool libxl__cpuid_policy_is_empty(const libxl_cpuid_policy_list *pl)
{
    return !*pl;
}
