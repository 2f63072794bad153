/*
 * JSON for libxl's types: a parser that builds a bounded tree with yajl,
 * and the generators and parsers of the hand-written base types.  The
 * generated _libxl_types.c does the rest.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"
#include "libxl_types_internal.h"

struct map_entry {
    char *key;
    libxl__json_object *value;
};

struct libxl__json_object {
    libxl__json_node_type type;
    libxl__json_object *parent;
    union {
        bool b;
        long long i;
        double d;
        char *string; /* JSON_STRING, and JSON_NUMBER's digits */
        struct {
            struct map_entry *items;
            int count, cap;
        } map;
        struct {
            libxl__json_object **items;
            int count, cap;
        } array;
    } u;
};

/* ---- The tree ---- */

void libxl__json_object_free(libxl__json_object *o)
{
    if (!o)
        return;
    switch (o->type) {
    case JSON_STRING:
    case JSON_NUMBER:
        free(o->u.string);
        break;
    case JSON_MAP:
        for (int i = 0; i < o->u.map.count; i++) {
            free(o->u.map.items[i].key);
            libxl__json_object_free(o->u.map.items[i].value);
        }
        free(o->u.map.items);
        break;
    case JSON_ARRAY:
        for (int i = 0; i < o->u.array.count; i++)
            libxl__json_object_free(o->u.array.items[i]);
        free(o->u.array.items);
        break;
    default:
        break;
    }
    free(o);
}

libxl__json_node_type libxl__json_object_type(const libxl__json_object *o)
{
    return o->type;
}

bool libxl__json_object_is_map(const libxl__json_object *o)
{
    return o && o->type == JSON_MAP;
}

const libxl__json_object *libxl__json_map_get(const char *key,
                                              const libxl__json_object *o)
{
    if (!libxl__json_object_is_map(o))
        return NULL;
    for (int i = 0; i < o->u.map.count; i++)
        if (!strcmp(o->u.map.items[i].key, key))
            return o->u.map.items[i].value;
    return NULL;
}

int libxl__json_array_len(const libxl__json_object *o)
{
    if (!o || o->type != JSON_ARRAY)
        return -1;
    return o->u.array.count;
}

const libxl__json_object *libxl__json_array_get(const libxl__json_object *o,
                                                int i)
{
    if (i < 0 || i >= libxl__json_array_len(o))
        return NULL;
    return o->u.array.items[i];
}

const char *libxl__json_object_get_string(const libxl__json_object *o)
{
    if (!o || o->type != JSON_STRING)
        return NULL;
    return o->u.string;
}

/* ---- Parsing: yajl callbacks that build the tree ---- */

struct parse_state {
    libxl__json_object *root;
    libxl__json_object *cur; /* the open map or array */
    char *key;               /* the open map's pending key */
    int depth;
    int rc; /* why a callback stopped the parse */
};

/* Room for one more element in an array of *cap elements of size sz. */
static bool grow(void **items, int count, int *cap, size_t sz)
{
    void *n;
    int ncap;

    if (count < *cap)
        return true;
    if (*cap > INT_MAX / 2)
        return false;
    ncap = *cap ? *cap * 2 : 8;
    n = realloc(*items, (size_t)ncap * sz);
    if (!n)
        return false;
    *items = n;
    *cap = ncap;
    return true;
}

/* Make a node and hang it where the parse stands; NULL stops the parse. */
static libxl__json_object *add_node(struct parse_state *st,
                                    libxl__json_node_type type)
{
    libxl__json_object *o, *c = st->cur;

    o = calloc(1, sizeof(*o));
    if (!o) {
        st->rc = ERROR_NOMEM;
        return NULL;
    }
    o->type = type;
    o->parent = c;
    if (!c) {
        st->root = o;
    } else if (c->type == JSON_MAP) {
        if (!grow((void **)&c->u.map.items, c->u.map.count, &c->u.map.cap,
                  sizeof(*c->u.map.items)))
            goto nomem;
        c->u.map.items[c->u.map.count].key = st->key;
        c->u.map.items[c->u.map.count++].value = o;
        st->key = NULL;
    } else {
        if (!grow((void **)&c->u.array.items, c->u.array.count, &c->u.array.cap,
                  sizeof(*c->u.array.items)))
            goto nomem;
        c->u.array.items[c->u.array.count++] = o;
    }
    return o;
nomem:
    free(o);
    st->rc = ERROR_NOMEM;
    return NULL;
}

/* A copy of a yajl string; JSON's \u0000 has no place in a C string. */
static char *dup_string(struct parse_state *st, const unsigned char *s,
                        size_t len)
{
    char *d;

    if (memchr(s, 0, len)) {
        st->rc = ERROR_FAIL;
        return NULL;
    }
    d = strndup((const char *)s, len);
    if (!d)
        st->rc = ERROR_NOMEM;
    return d;
}

static int cb_null(void *ctx)
{
    return add_node(ctx, JSON_NULL) != NULL;
}

static int cb_boolean(void *ctx, int b)
{
    libxl__json_object *o = add_node(ctx, JSON_BOOL);

    if (o)
        o->u.b = b;
    return o != NULL;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    struct parse_state *st = ctx;
    char *digits = dup_string(st, (const unsigned char *)s, len);
    libxl__json_object *o;
    long long i;

    if (!digits)
        return 0;
    if (strpbrk(digits, ".eE")) {
        o = add_node(st, JSON_DOUBLE);
        if (o)
            o->u.d = strtod(digits, NULL);
        free(digits);
        return o != NULL;
    }
    /* yajl has checked the syntax; only the range is left to see. */
    errno = 0;
    i = strtoll(digits, NULL, 10);
    if (errno == ERANGE) {
        o = add_node(st, JSON_NUMBER);
        if (!o) {
            free(digits);
            return 0;
        }
        o->u.string = digits;
        return 1;
    }
    free(digits);
    o = add_node(st, JSON_INTEGER);
    if (o)
        o->u.i = i;
    return o != NULL;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    char *d = dup_string(ctx, s, len);
    libxl__json_object *o;

    if (!d)
        return 0;
    o = add_node(ctx, JSON_STRING);
    if (!o) {
        free(d);
        return 0;
    }
    o->u.string = d;
    return 1;
}

static int open_container(struct parse_state *st, libxl__json_node_type type)
{
    libxl__json_object *o;

    if (st->depth >= LIBXL__JSON_MAX_DEPTH) {
        st->rc = ERROR_FAIL;
        return 0;
    }
    o = add_node(st, type);
    if (!o)
        return 0;
    st->depth++;
    st->cur = o;
    return 1;
}

static int close_container(struct parse_state *st)
{
    st->depth--;
    st->cur = st->cur->parent;
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, JSON_MAP);
}

static int cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
    struct parse_state *st = ctx;

    st->key = dup_string(st, s, len);
    return st->key != NULL;
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, JSON_ARRAY);
}

static int cb_end(void *ctx)
{
    return close_container(ctx);
}

static const yajl_callbacks callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_boolean,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

int libxl__json_parse(const char *s, libxl__json_object **out)
{
    struct parse_state st = {.rc = ERROR_FAIL};
    yajl_handle h;
    yajl_status ys;

    *out = NULL;
    if (!s)
        return ERROR_INVAL;
    h = yajl_alloc(&callbacks, NULL, &st);
    if (!h)
        return ERROR_NOMEM;
    ys = yajl_parse(h, (const unsigned char *)s, strlen(s));
    if (ys == yajl_status_ok)
        ys = yajl_complete_parse(h);
    yajl_free(h);
    free(st.key);
    if (ys != yajl_status_ok || !st.root) {
        libxl__json_object_free(st.root);
        return st.rc;
    }
    *out = st.root;
    return 0;
}

/* ---- Generation helpers ---- */

yajl_gen_status libxl__yajl_gen_asciiz(yajl_gen hand, const char *str)
{
    return yajl_gen_string(hand, (const unsigned char *)str, strlen(str));
}

yajl_gen_status libxl__yajl_gen_enum(yajl_gen hand, const char *str)
{
    return str ? libxl__yajl_gen_asciiz(hand, str) : yajl_gen_null(hand);
}

yajl_gen_status libxl__string_gen_json(yajl_gen hand, const char *p)
{
    return libxl__yajl_gen_enum(hand, p);
}

char *libxl__yajl_gen_finish(yajl_gen hand, yajl_gen_status s)
{
    const unsigned char *buf;
    size_t len;
    char *ret = NULL;

    if (s == yajl_gen_status_ok &&
        yajl_gen_get_buf(hand, &buf, &len) == yajl_gen_status_ok)
        ret = strndup((const char *)buf, len);
    yajl_gen_free(hand);
    return ret;
}

const char *libxl__enum_to_string(const libxl_enum_string_table *t, int v)
{
    for (; t->s; t++)
        if (t->v == v)
            return t->s;
    return NULL;
}

int libxl__enum_from_string(const libxl_enum_string_table *t, const char *s,
                            int *v)
{
    if (!s)
        return ERROR_INVAL;
    for (; t->s; t++) {
        if (!strcasecmp(t->s, s)) {
            *v = t->v;
            return 0;
        }
    }
    return ERROR_FAIL;
}

/* ---- Base types: generation ---- */

XENTOOLS_EXPORT
yajl_gen_status libxl__uint64_gen_json(yajl_gen hand, uint64_t val)
{
    char buf[24];
    int len = snprintf(buf, sizeof(buf), "%" PRIu64, val);

    return yajl_gen_number(hand, buf, len);
}

XENTOOLS_EXPORT
yajl_gen_status libxl_defbool_gen_json(yajl_gen hand, libxl_defbool *p)
{
    return libxl__yajl_gen_asciiz(hand, libxl_defbool_to_string(*p));
}

XENTOOLS_EXPORT
yajl_gen_status libxl_uuid_gen_json(yajl_gen hand, libxl_uuid *p)
{
    char buf[LIBXL_UUID_FMTLEN + 1];

    snprintf(buf, sizeof(buf), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(*p));
    return libxl__yajl_gen_asciiz(hand, buf);
}

XENTOOLS_EXPORT
yajl_gen_status libxl_mac_gen_json(yajl_gen hand, libxl_mac *p)
{
    char buf[LIBXL_MAC_FMTLEN + 1];

    snprintf(buf, sizeof(buf), LIBXL_MAC_FMT, LIBXL_MAC_BYTES(*p));
    return libxl__yajl_gen_asciiz(hand, buf);
}

/* An array of unsigned integers, each from get(p, i). */
static yajl_gen_status gen_uint_array(yajl_gen hand, const void *p, int n,
                                      long long (*get)(const void *, int))
{
    yajl_gen_status s = yajl_gen_array_open(hand);

    for (int i = 0; i < n && s == yajl_gen_status_ok; i++)
        s = yajl_gen_integer(hand, get(p, i));
    return s == yajl_gen_status_ok ? yajl_gen_array_close(hand) : s;
}

XENTOOLS_EXPORT
yajl_gen_status libxl_bitmap_gen_json(yajl_gen hand, libxl_bitmap *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);
    int i;

    libxl_for_each_set_bit(i, *p)
    {
        s = yajl_gen_integer(hand, i);
        if (s != yajl_gen_status_ok)
            return s;
    }
    return s == yajl_gen_status_ok ? yajl_gen_array_close(hand) : s;
}

XENTOOLS_EXPORT
yajl_gen_status libxl_cpuid_policy_list_gen_json(yajl_gen hand,
                                                 libxl_cpuid_policy_list *p)
{
    (void)p; /* always NULL: libxl_basetypes.h */
    return yajl_gen_null(hand);
}

XENTOOLS_EXPORT
yajl_gen_status libxl_string_list_gen_json(yajl_gen hand, libxl_string_list *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);

    for (int i = 0; *p && (*p)[i] && s == yajl_gen_status_ok; i++)
        s = libxl__yajl_gen_asciiz(hand, (*p)[i]);
    return s == yajl_gen_status_ok ? yajl_gen_array_close(hand) : s;
}

XENTOOLS_EXPORT
yajl_gen_status libxl_key_value_list_gen_json(yajl_gen hand,
                                              libxl_key_value_list *p)
{
    yajl_gen_status s = yajl_gen_map_open(hand);

    for (int i = 0; *p && (*p)[i] && s == yajl_gen_status_ok; i += 2) {
        s = libxl__yajl_gen_asciiz(hand, (*p)[i]);
        if (s == yajl_gen_status_ok)
            s = libxl__string_gen_json(hand, (*p)[i + 1]);
    }
    return s == yajl_gen_status_ok ? yajl_gen_map_close(hand) : s;
}

static long long hwcap_get(const void *p, int i)
{
    return (*(const libxl_hwcap *)p)[i];
}

XENTOOLS_EXPORT
yajl_gen_status libxl_hwcap_gen_json(yajl_gen hand, libxl_hwcap *p)
{
    return gen_uint_array(hand, p, 8, hwcap_get);
}

static long long genid_get(const void *p, int i)
{
    return ((const libxl_ms_vm_genid *)p)->bytes[i];
}

XENTOOLS_EXPORT
yajl_gen_status libxl_ms_vm_genid_gen_json(yajl_gen hand, libxl_ms_vm_genid *p)
{
    return gen_uint_array(hand, p, LIBXL_MS_VM_GENID_LEN, genid_get);
}

/* ---- Base types: parsing ---- */

/* o as an integer in [min, max]. */
static int get_ranged(const libxl__json_object *o, long long min, long long max,
                      long long *v)
{
    if (!o || o->type != JSON_INTEGER || o->u.i < min || o->u.i > max)
        return ERROR_FAIL;
    *v = o->u.i;
    return 0;
}

int libxl__int_parse_json(const libxl__json_object *o, int *p)
{
    long long v;
    int rc = get_ranged(o, INT_MIN, INT_MAX, &v);

    if (!rc)
        *p = v;
    return rc;
}

int libxl__bool_parse_json(const libxl__json_object *o, bool *p)
{
    if (!o || o->type != JSON_BOOL)
        return ERROR_FAIL;
    *p = o->u.b;
    return 0;
}

int libxl__uint8_parse_json(const libxl__json_object *o, uint8_t *p)
{
    long long v;
    int rc = get_ranged(o, 0, UINT8_MAX, &v);

    if (!rc)
        *p = v;
    return rc;
}

int libxl__uint16_parse_json(const libxl__json_object *o, uint16_t *p)
{
    long long v;
    int rc = get_ranged(o, 0, UINT16_MAX, &v);

    if (!rc)
        *p = v;
    return rc;
}

int libxl__uint32_parse_json(const libxl__json_object *o, uint32_t *p)
{
    long long v;
    int rc = get_ranged(o, 0, UINT32_MAX, &v);

    if (!rc)
        *p = v;
    return rc;
}

/* Values above LLONG_MAX (LIBXL_MEMKB_DEFAULT among them) are JSON_NUMBERs. */
int libxl__uint64_parse_json(const libxl__json_object *o, uint64_t *p)
{
    unsigned long long v;
    char *end;

    if (o && o->type == JSON_INTEGER && o->u.i >= 0) {
        *p = o->u.i;
        return 0;
    }
    if (!o || o->type != JSON_NUMBER || o->u.string[0] == '-')
        return ERROR_FAIL;
    errno = 0;
    v = strtoull(o->u.string, &end, 10);
    if (errno || *end)
        return ERROR_FAIL;
    *p = v;
    return 0;
}

int libxl__string_parse_json(const libxl__json_object *o, char **p)
{
    char *s = NULL;

    if (!o)
        return ERROR_FAIL;
    if (o->type == JSON_STRING) {
        s = strdup(o->u.string);
        if (!s)
            return ERROR_NOMEM;
    } else if (o->type != JSON_NULL) {
        return ERROR_FAIL;
    }
    free(*p);
    *p = s;
    return 0;
}

int libxl__defbool_parse_json(const libxl__json_object *o, libxl_defbool *p)
{
    const char *s = libxl__json_object_get_string(o);

    if (!s)
        return ERROR_FAIL;
    if (!strcmp(s, "<default>"))
        libxl_defbool_unset(p);
    else if (!strcmp(s, "True"))
        libxl_defbool_set(p, true);
    else if (!strcmp(s, "False"))
        libxl_defbool_set(p, false);
    else
        return ERROR_FAIL;
    return 0;
}

int libxl__uuid_parse_json(const libxl__json_object *o, libxl_uuid *p)
{
    const char *s = libxl__json_object_get_string(o);

    if (!s || libxl_uuid_from_string(p, s))
        return ERROR_FAIL;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int libxl__mac_parse_json(const libxl__json_object *o, libxl_mac *p)
{
    const char *s = libxl__json_object_get_string(o);
    libxl_mac mac;

    if (!s || strlen(s) != LIBXL_MAC_FMTLEN)
        return ERROR_FAIL;
    for (int i = 0; i < 6; i++) {
        const char *b = s + 3 * i;
        int hi = hexval(b[0]), lo = hexval(b[1]);

        if (hi < 0 || lo < 0 || (i < 5 && b[2] != ':'))
            return ERROR_FAIL;
        mac[i] = hi << 4 | lo;
    }
    memcpy(*p, mac, sizeof(mac));
    return 0;
}

int libxl__bitmap_parse_json(const libxl__json_object *o, libxl_bitmap *p)
{
    int n = libxl__json_array_len(o), max = -1, bit, rc;

    if (n < 0)
        return ERROR_FAIL;
    for (int i = 0; i < n; i++) {
        rc = libxl__int_parse_json(libxl__json_array_get(o, i), &bit);
        if (rc || bit < 0 || bit >= LIBXL__BITMAP_JSON_MAX_BITS)
            return ERROR_FAIL;
        if (bit > max)
            max = bit;
    }
    libxl_bitmap_dispose(p);
    rc = libxl_bitmap_alloc(NULL, p, max + 1);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++) {
        libxl__int_parse_json(libxl__json_array_get(o, i), &bit);
        libxl_bitmap_set(p, bit);
    }
    return 0;
}

int libxl__cpuid_policy_list_parse_json(const libxl__json_object *o,
                                        libxl_cpuid_policy_list *p)
{
    /* Only "no policy" is representable: libxl_basetypes.h. */
    if (!o || o->type != JSON_NULL)
        return ERROR_NI;
    *p = NULL;
    return 0;
}

int libxl__string_list_parse_json(const libxl__json_object *o,
                                  libxl_string_list *p)
{
    int n = libxl__json_array_len(o);
    char **sl;

    if (n < 0)
        return ERROR_FAIL;
    for (int i = 0; i < n; i++)
        if (!libxl__json_object_get_string(libxl__json_array_get(o, i)))
            return ERROR_FAIL;
    sl = calloc((size_t)n + 1, sizeof(*sl));
    if (!sl)
        return ERROR_NOMEM;
    libxl_string_list_dispose(p);
    *p = sl;
    for (int i = 0; i < n; i++) {
        sl[i] =
            strdup(libxl__json_object_get_string(libxl__json_array_get(o, i)));
        if (!sl[i])
            return ERROR_NOMEM;
    }
    return 0;
}

int libxl__key_value_list_parse_json(const libxl__json_object *o,
                                     libxl_key_value_list *p)
{
    char **kvl;
    int n;

    if (!libxl__json_object_is_map(o))
        return ERROR_FAIL;
    n = o->u.map.count;
    for (int i = 0; i < n; i++) {
        libxl__json_node_type t = o->u.map.items[i].value->type;

        if (t != JSON_STRING && t != JSON_NULL)
            return ERROR_FAIL;
    }
    kvl = calloc(2 * (size_t)n + 1, sizeof(*kvl));
    if (!kvl)
        return ERROR_NOMEM;
    libxl_key_value_list_dispose(p);
    *p = kvl;
    /* Fill pair by pair so that a failure leaves a list dispose can free. */
    for (int i = 0; i < n; i++) {
        const libxl__json_object *v = o->u.map.items[i].value;
        char *key = strdup(o->u.map.items[i].key), *val = NULL;

        if (key && v->type == JSON_STRING)
            val = strdup(v->u.string);
        if (!key || (v->type == JSON_STRING && !val)) {
            free(key);
            free(val);
            return ERROR_NOMEM;
        }
        kvl[2 * i] = key;
        kvl[2 * i + 1] = val;
    }
    return 0;
}

int libxl__hwcap_parse_json(const libxl__json_object *o, libxl_hwcap *p)
{
    int n = libxl__json_array_len(o);
    libxl_hwcap cap = {0};

    if (n < 0 || n > 8)
        return ERROR_FAIL;
    for (int i = 0; i < n; i++)
        if (libxl__uint32_parse_json(libxl__json_array_get(o, i), &cap[i]))
            return ERROR_FAIL;
    memcpy(*p, cap, sizeof(cap));
    return 0;
}

int libxl__ms_vm_genid_parse_json(const libxl__json_object *o,
                                  libxl_ms_vm_genid *p)
{
    libxl_ms_vm_genid id;

    if (libxl__json_array_len(o) != LIBXL_MS_VM_GENID_LEN)
        return ERROR_FAIL;
    for (int i = 0; i < LIBXL_MS_VM_GENID_LEN; i++)
        if (libxl__uint8_parse_json(libxl__json_array_get(o, i), &id.bytes[i]))
            return ERROR_FAIL;
    *p = id;
    return 0;
}
