/*
 * The config object of libxlutil: reading files and buffers, the settings
 * store, and the getters xl uses. Messages and return values are Xen
 * 4.17's, so that xl's output reads the same.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

XLU_ConfigValue *xlu__value_string(char *string, int line)
{
    XLU_ConfigValue *v = calloc(1, sizeof(*v));

    if (!v)
        return NULL;
    v->type = XLU_STRING;
    v->u.string = string;
    v->line = line;
    return v;
}

XLU_ConfigValue *xlu__value_list(int line)
{
    XLU_ConfigValue *v = calloc(1, sizeof(*v));

    if (!v)
        return NULL;
    v->type = XLU_LIST;
    v->line = line;
    return v;
}

int xlu__list_append(XLU_ConfigValue *list, XLU_ConfigValue *item)
{
    XLU_ConfigList *l = &list->u.list;

    if (l->nvalues == l->avalues) {
        int n = l->avalues ? l->avalues * 2 : 4;
        XLU_ConfigValue **values;

        if (l->avalues > INT_MAX / 2)
            return ENOMEM;
        values = realloc(l->values, n * sizeof(*values));
        if (!values)
            return ENOMEM;
        l->values = values;
        l->avalues = n;
    }
    l->values[l->nvalues++] = item;
    return 0;
}

void xlu__value_free(XLU_ConfigValue *value)
{
    int i;

    if (!value)
        return;
    if (value->type == XLU_STRING) {
        free(value->u.string);
    } else {
        for (i = 0; i < value->u.list.nvalues; i++)
            xlu__value_free(value->u.list.values[i]);
        free(value->u.list.values);
    }
    free(value);
}

XENTOOLS_EXPORT XLU_Config *xlu_cfg_init(FILE *report,
                                         const char *report_filename)
{
    XLU_Config *cfg = calloc(1, sizeof(*cfg));

    if (!cfg)
        return NULL;
    cfg->report = report;
    cfg->config_source = strdup(report_filename);
    cfg->nbuckets = 64;
    cfg->buckets = calloc(cfg->nbuckets, sizeof(*cfg->buckets));
    if (!cfg->config_source || !cfg->buckets) {
        xlu_cfg_destroy(cfg);
        return NULL;
    }
    return cfg;
}

XENTOOLS_EXPORT void xlu_cfg_destroy(XLU_Config *cfg)
{
    struct xlu__setting *s, *next;
    size_t i;

    if (!cfg)
        return;
    for (i = 0; cfg->buckets && i < cfg->nbuckets; i++) {
        for (s = cfg->buckets[i]; s; s = next) {
            next = s->next;
            free(s->name);
            xlu__value_free(s->value);
            free(s);
        }
    }
    free(cfg->buckets);
    free(cfg->config_source);
    free(cfg);
}

/* FNV-1a: configs come from users, but a bad spread only costs time. */
static size_t name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
    return (size_t)h;
}

static struct xlu__setting *find(const XLU_Config *cfg, const char *name)
{
    struct xlu__setting *s;

    for (s = cfg->buckets[name_hash(name) & (cfg->nbuckets - 1)]; s;
         s = s->next)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

/* Keep chains short as settings are added; failure just keeps them long. */
static void maybe_grow(XLU_Config *cfg)
{
    size_t n = cfg->nbuckets * 2, i;
    struct xlu__setting **b, *s, *next;

    if (cfg->nsettings < cfg->nbuckets || n > SIZE_MAX / sizeof(*b))
        return;
    b = calloc(n, sizeof(*b));
    if (!b)
        return;
    for (i = 0; i < cfg->nbuckets; i++) {
        for (s = cfg->buckets[i]; s; s = next) {
            next = s->next;
            s->next = b[name_hash(s->name) & (n - 1)];
            b[name_hash(s->name) & (n - 1)] = s;
        }
    }
    free(cfg->buckets);
    cfg->buckets = b;
    cfg->nbuckets = n;
}

/* old += add: strings concatenate, lists take add's entries. */
static int add_to(XLU_ConfigValue *old, XLU_ConfigValue *add)
{
    int i, e;

    if (old->type == XLU_STRING) {
        size_t a = strlen(old->u.string), b = strlen(add->u.string);
        char *s = realloc(old->u.string, a + b + 1);

        if (!s)
            return ENOMEM;
        memcpy(s + a, add->u.string, b + 1);
        old->u.string = s;
        xlu__value_free(add);
        return 0;
    }
    for (i = 0; i < add->u.list.nvalues; i++) {
        e = xlu__list_append(old, add->u.list.values[i]);
        if (e) {
            /* The entries moved so far belong to old now. */
            memmove(add->u.list.values, add->u.list.values + i,
                    (add->u.list.nvalues - i) * sizeof(*add->u.list.values));
            add->u.list.nvalues -= i;
            return e;
        }
    }
    add->u.list.nvalues = 0;
    xlu__value_free(add);
    return 0;
}

int xlu__cfg_store(XLU_Config *cfg, char *name, enum XLU_Operation op,
                   XLU_ConfigValue *value)
{
    struct xlu__setting *s = find(cfg, name);
    int e, line = value->line;
    size_t b;

    if (s && op == XLU_OP_ADDITION) {
        if (s->value->type != value->type) {
            e = EINVAL;
            goto fail;
        }
        e = add_to(s->value, value);
        if (e)
            goto fail; /* value holds what was not moved */
        free(name);
    } else if (s) {
        xlu__value_free(s->value);
        s->value = value;
        free(name);
    } else {
        s = calloc(1, sizeof(*s));
        if (!s) {
            e = ENOMEM;
            goto fail;
        }
        s->name = name;
        s->value = value;
        b = name_hash(name) & (cfg->nbuckets - 1);
        s->next = cfg->buckets[b];
        cfg->buckets[b] = s;
        cfg->nsettings++;
        maybe_grow(cfg);
    }
    s->op = op;
    s->line = line;
    return 0;

fail:
    free(name);
    xlu__value_free(value);
    return e;
}

/* Read all of a stream: files are small, and the parser wants one buffer. */
static int read_all(FILE *f, char **buf_r, size_t *len_r)
{
    size_t len = 0, size = 0, got;
    char *buf = NULL, *n;

    for (;;) {
        if (len == size) {
            size = size ? size * 2 : 4096;
            if (size > INT_MAX) {
                free(buf);
                return EFBIG;
            }
            n = realloc(buf, size);
            if (!n) {
                free(buf);
                return ENOMEM;
            }
            buf = n;
        }
        got = fread(buf + len, 1, size - len, f);
        len += got;
        if (got)
            continue;
        if (ferror(f)) {
            free(buf);
            return errno ? errno : EIO;
        }
        break;
    }
    *buf_r = buf;
    *len_r = len;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_readfile(XLU_Config *cfg, const char *real_filename)
{
    FILE *f = fopen(real_filename, "r");
    char *buf;
    size_t len;
    int e;

    if (!f) {
        e = errno;
        fprintf(cfg->report, "%s: unable to open configuration file: %s\n",
                real_filename, strerror(e));
        return e;
    }
    e = read_all(f, &buf, &len);
    fclose(f);
    if (e) {
        fprintf(cfg->report, "%s: unable to read configuration file: %s\n",
                real_filename, strerror(e));
        return e;
    }
    e = xlu__cfg_parse(cfg, buf, len);
    free(buf);
    return e;
}

XENTOOLS_EXPORT int xlu_cfg_readdata(XLU_Config *cfg, const char *data,
                                     int length)
{
    if (length < 0 || (length && !data))
        return EINVAL;
    return xlu__cfg_parse(cfg, data, length);
}

/* The setting 'n' if it is a single value. */
static int find_atom(const XLU_Config *cfg, const char *n,
                     struct xlu__setting **set_r, int dont_warn)
{
    struct xlu__setting *s = find(cfg, n);

    if (!s)
        return ESRCH;
    if (s->value->type != XLU_STRING) {
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: parameter `%s' is a list but should be "
                    "a single value\n",
                    cfg->config_source, s->line, n);
        return EINVAL;
    }
    *set_r = s;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_get_string(const XLU_Config *cfg, const char *n,
                                       const char **value_r, int dont_warn)
{
    struct xlu__setting *s;
    int e = find_atom(cfg, n, &s, dont_warn);

    if (e)
        return e;
    *value_r = s->value->u.string;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n,
                                           char **value_r, int dont_warn)
{
    struct xlu__setting *s;
    int e = find_atom(cfg, n, &s, dont_warn);
    char *copy;

    if (e)
        return e;
    copy = strdup(s->value->u.string);
    if (!copy)
        return ENOMEM;
    free(*value_r);
    *value_r = copy;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_get_long(const XLU_Config *cfg, const char *n,
                                     long *value_r, int dont_warn)
{
    struct xlu__setting *s;
    int e = find_atom(cfg, n, &s, dont_warn);
    const char *str;
    char *end;
    long l;

    if (e)
        return e;
    /* "1" += "2" is the string "12", not a sum: refuse to guess. */
    if (s->op == XLU_OP_ADDITION) {
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: can't use += with numbers for "
                    "parameter `%s'\n",
                    cfg->config_source, s->line, n);
        return EINVAL;
    }
    str = s->value->u.string;
    errno = 0;
    l = strtol(str, &end, 0);
    if (errno) {
        e = errno;
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: parameter `%s' could not be parsed as "
                    "a number: %s\n",
                    cfg->config_source, s->line, n, strerror(e));
        return e;
    }
    if (end == str || *end) {
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: parameter `%s' is not a valid number\n",
                    cfg->config_source, s->line, n);
        return EINVAL;
    }
    *value_r = l;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_get_bounded_long(const XLU_Config *cfg,
                                             const char *n, long min, long max,
                                             long *value_r, int dont_warn)
{
    long l;
    int e = xlu_cfg_get_long(cfg, n, &l, dont_warn);

    if (e)
        return e;
    if (l < min || l > max) {
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: value `%ld' is %s bound '%ld'\n",
                    cfg->config_source, find(cfg, n)->line, l,
                    l < min ? "smaller than minimum" : "greater than maximum",
                    l < min ? min : max);
        return EINVAL;
    }
    *value_r = l;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_get_list(const XLU_Config *cfg, const char *n,
                                     XLU_ConfigList **list_r, int *entries_r,
                                     int dont_warn)
{
    struct xlu__setting *s = find(cfg, n);

    if (!s)
        return ESRCH;
    if (s->value->type != XLU_LIST) {
        if (!dont_warn)
            fprintf(cfg->report,
                    "%s:%d: warning: parameter `%s' is a single value but "
                    "should be a list\n",
                    cfg->config_source, s->line, n);
        return EINVAL;
    }
    if (list_r)
        *list_r = &s->value->u.list;
    if (entries_r)
        *entries_r = s->value->u.list.nvalues;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg,
                                                    const char *n,
                                                    libxl_string_list *sl,
                                                    int dont_warn)
{
    XLU_ConfigList *list;
    const char *item;
    char **strings;
    int e, count, i;

    e = xlu_cfg_get_list(cfg, n, &list, &count, dont_warn);
    if (e)
        return e;
    strings = calloc((size_t)count + 1, sizeof(*strings));
    if (!strings)
        return ENOMEM;
    for (i = 0; i < count && (item = xlu_cfg_get_listitem(list, i)); i++) {
        strings[i] = strdup(item);
        if (!strings[i]) {
            while (i--)
                free(strings[i]);
            free(strings);
            return ENOMEM;
        }
    }
    *sl = strings;
    return 0;
}

XENTOOLS_EXPORT XLU_ConfigValue *
xlu_cfg_get_listitem2(const XLU_ConfigList *list, int entry)
{
    if (entry < 0 || entry >= list->nvalues)
        return NULL;
    return list->values[entry];
}

XENTOOLS_EXPORT const char *xlu_cfg_get_listitem(const XLU_ConfigList *list,
                                                 int entry)
{
    XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, entry);

    if (!v || v->type != XLU_STRING)
        return NULL;
    return v->u.string;
}

XENTOOLS_EXPORT enum XLU_ConfigValueType
xlu_cfg_value_type(const XLU_ConfigValue *value)
{
    return value->type;
}

/*
 * Xen's parser keeps no columns: its messages say column 0, and ours
 * keep that shape for anything that reads them.
 */
static int wrong_type(const XLU_Config *cfg, const XLU_ConfigValue *value,
                      const char *want, int dont_warn)
{
    if (!dont_warn)
        fprintf(cfg->report, "%s:%d:0: warning: value is not a %s\n",
                cfg->config_source, value->line, want);
    return EINVAL;
}

XENTOOLS_EXPORT int xlu_cfg_value_get_string(const XLU_Config *cfg,
                                             XLU_ConfigValue *value,
                                             char **value_r, int dont_warn)
{
    if (value->type != XLU_STRING)
        return wrong_type(cfg, value, "string", dont_warn);
    *value_r = value->u.string;
    return 0;
}

XENTOOLS_EXPORT int xlu_cfg_value_get_list(const XLU_Config *cfg,
                                           XLU_ConfigValue *value,
                                           XLU_ConfigList **value_r,
                                           int dont_warn)
{
    if (value->type != XLU_LIST)
        return wrong_type(cfg, value, "list", dont_warn);
    *value_r = &value->u.list;
    return 0;
}
