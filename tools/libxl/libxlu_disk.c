/*
 * Disk specifications (xl-disk-configuration(5)), read as Xen 4.17 reads
 * them, into a struct xlu__disk that the libxl adapter copies into a
 * libxl_device_disk.
 *
 * A specification is a comma-separated list of parameters: KEY=VALUE,
 * flags (cdrom, discard, ...), and positional parameters that fill
 * target, format, vdev and access in that order. "target=" takes the
 * rest of the string, commas included. Deprecated prefixes ("phy:",
 * "qcow2:", "iscsi:" ...) may start a parameter; after one, the next
 * positional parameter after the target is the vdev, as in the old
 * "[prefix:]target,vdev[:cdrom],access" form.
 *
 * Xen scans with a flex lexer; this scanner picks between its rules the
 * same way, so that odd strings give the same results: the longest match
 * wins, earlier rules win ties, and the whitespace and prefix rules
 * count as matching the whole rest of the string.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

struct scan {
    XLU_Config *cfg;
    struct xlu__disk *disk;
    const char *spec; /* the one being scanned, for messages */
    int err;
    bool had_depr_prefix, access_set;
};

static void disk_err(struct scan *c, const char *near, const char *msg)
{
    fprintf(c->cfg->report,
            "%s: config parsing error in disk specification: %s%s%s%s "
            "in `%s'\n",
            c->cfg->config_source, msg, near ? ": near `" : "",
            near ? near : "", near ? "'" : "", c->spec);
    if (!c->err)
        c->err = EINVAL;
}

static void no_memory(struct scan *c)
{
    c->err = ENOMEM;
}

/* A string parameter; a second, different non-empty one is an error. */
static void save_string(struct scan *c, char **field, const char *what,
                        const char *value)
{
    char msg[64], *copy;

    if (*field && **field) {
        snprintf(msg, sizeof(msg), "%s respecified", what);
        disk_err(c, value, msg);
        return;
    }
    copy = strdup(value);
    if (!copy) {
        no_memory(c);
        return;
    }
    free(*field);
    *field = copy;
}

/* An enum parameter from one of 'names' (indexed by value, NULL gaps). */
static void set_enum(struct scan *c, int *field, const char *what,
                     const char *respecified, const char *const *names,
                     int count, const char *value)
{
    char msg[64];
    int v;

    for (v = 0; v < count; v++)
        if (names[v] && !strcmp(names[v], value))
            break;
    if (v == count) {
        snprintf(msg, sizeof(msg), "unknown value for %s", what);
        disk_err(c, value, msg);
    } else if (*field && *field != v) {
        snprintf(msg, sizeof(msg), "%s respecified", respecified);
        disk_err(c, value, msg);
    } else {
        *field = v;
    }
}

static void set_format(struct scan *c, const char *value)
{
    static const char *const names[] = {
        [XLU__DISK_FORMAT_QCOW] = "qcow",   [XLU__DISK_FORMAT_QCOW2] = "qcow2",
        [XLU__DISK_FORMAT_VHD] = "vhd",     [XLU__DISK_FORMAT_RAW] = "raw",
        [XLU__DISK_FORMAT_EMPTY] = "empty", [XLU__DISK_FORMAT_QED] = "qed",
    };

    set_enum(c, &c->disk->format, "format", "format", names,
             sizeof(names) / sizeof(names[0]), *value ? value : "raw");
}

static void set_access(struct scan *c, const char *value)
{
    if (!strcmp(value, "") || !strcmp(value, "rw") || !strcmp(value, "w"))
        c->disk->readwrite = 1;
    else if (!strcmp(value, "r") || !strcmp(value, "ro"))
        c->disk->readwrite = 0;
    else
        disk_err(c, value, "unknown value for access");
}

static void set_backendtype(struct scan *c, const char *value)
{
    static const char *const names[] = {
        [XLU__DISK_BACKEND_PHY] = "phy",
        [XLU__DISK_BACKEND_TAP] = "tap",
        [XLU__DISK_BACKEND_QDISK] = "qdisk",
        [XLU__DISK_BACKEND_STANDALONE] = "standalone",
    };

    set_enum(c, &c->disk->backend, "backendtype", "backend", names,
             sizeof(names) / sizeof(names[0]), value);
}

static void set_specification(struct scan *c, const char *value)
{
    static const char *const names[] = {
        [XLU__DISK_SPECIFICATION_XEN] = "xen",
        [XLU__DISK_SPECIFICATION_VIRTIO] = "virtio",
    };

    set_enum(c, &c->disk->specification, "specification", "specification",
             names, sizeof(names) / sizeof(names[0]), value);
}

/* As Xen: atoi's value, 0 (or nothing) being an error. */
static void set_colo_port(struct scan *c, const char *value)
{
    int port = (int)strtol(value, NULL, 10);

    if (!port)
        disk_err(c, value, "unknown value for colo_port");
    else
        c->disk->colo_port = port;
}

enum action {
    A_FORMAT,
    A_CDROM,
    A_DISK,
    A_BADTYPE,
    A_ACCESS,
    A_STRING,
    A_BACKENDTYPE,
    A_DIRECT_IO_SAFE,
    A_DISCARD,
    A_NO_DISCARD,
    A_COLO,
    A_NO_COLO,
    A_COLO_PORT,
    A_SPECIFICATION,
};

enum kind {
    FLAG,  /* the word, and a comma if one follows */
    VALUE, /* the word, anything up to a comma, and the comma */
    REST,  /* the word and the rest of the string */
};

/* The named parameters, in Xen's rule order (it breaks ties). */
static const struct param {
    const char *word;
    enum kind kind;
    enum action action;
    size_t field; /* A_STRING: offset of the char * in struct xlu__disk */
    const char *what;
} params[] = {
    {"format=", VALUE, A_FORMAT, 0, NULL},
    {"cdrom", FLAG, A_CDROM, 0, NULL},
    {"devtype=cdrom", FLAG, A_CDROM, 0, NULL},
    {"devtype=disk", FLAG, A_DISK, 0, NULL},
    {"devtype=", VALUE, A_BADTYPE, 0, NULL},
    {"access=", VALUE, A_ACCESS, 0, NULL},
    {"backend=", VALUE, A_STRING, offsetof(struct xlu__disk, backend_domname),
     "backend"},
    {"backendtype=", VALUE, A_BACKENDTYPE, 0, NULL},
    {"vdev=", VALUE, A_STRING, offsetof(struct xlu__disk, vdev), "vdev"},
    {"script=", VALUE, A_STRING, offsetof(struct xlu__disk, script), "script"},
    {"direct-io-safe", FLAG, A_DIRECT_IO_SAFE, 0, NULL},
    {"discard", FLAG, A_DISCARD, 0, NULL},
    {"no-discard", FLAG, A_NO_DISCARD, 0, NULL},
    {"colo", FLAG, A_COLO, 0, NULL},
    {"no-colo", FLAG, A_NO_COLO, 0, NULL},
    {"colo-host=", VALUE, A_STRING, offsetof(struct xlu__disk, colo_host),
     "colo-host"},
    {"colo-port=", VALUE, A_COLO_PORT, 0, NULL},
    {"colo-export=", VALUE, A_STRING, offsetof(struct xlu__disk, colo_export),
     "colo-export"},
    {"active-disk=", VALUE, A_STRING, offsetof(struct xlu__disk, active_disk),
     "active-disk"},
    {"hidden-disk=", VALUE, A_STRING, offsetof(struct xlu__disk, hidden_disk),
     "hidden-disk"},
    {"specification=", VALUE, A_SPECIFICATION, 0, NULL},
    {"target=", REST, A_STRING, offsetof(struct xlu__disk, pdev_path),
     "target"},
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

/* The deprecated prefixes and what they mean. */
enum prefix_kind { P_FORMAT, P_SCRIPT, P_IGNORED };
static const struct prefix {
    const char *name;
    enum prefix_kind kind;
} prefixes[] = {
    {"raw", P_FORMAT},    {"qcow", P_FORMAT},  {"qcow2", P_FORMAT},
    {"vhd", P_FORMAT},    {"iscsi", P_SCRIPT}, {"nbd", P_SCRIPT},
    {"enbd", P_SCRIPT},   {"drbd", P_SCRIPT},  {"tapdisk", P_IGNORED},
    {"tap", P_IGNORED},   {"tap2", P_IGNORED}, {"aio", P_IGNORED},
    {"ioemu", P_IGNORED}, {"file", P_IGNORED}, {"phy", P_IGNORED},
};
#define NPREFIXES (sizeof(prefixes) / sizeof(prefixes[0]))

static bool is_lower(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

static bool is_alnum(char ch)
{
    return is_lower(ch) || (ch >= '0' && ch <= '9');
}

/* Length of params[i]'s match at s, or 0. */
static size_t param_match(const struct param *pm, const char *s)
{
    size_t n = strlen(pm->word);

    if (strncmp(s, pm->word, n))
        return 0;
    switch (pm->kind) {
    case FLAG:
        return n + (s[n] == ',');
    case VALUE:
        n += strcspn(s + n, ",");
        return n + (s[n] == ',');
    case REST:
        break;
    }
    return strlen(s);
}

/* "[a-z][-a-z0-9]*=[^,],?": a parameter Xen does not know. */
static size_t unknown_param_match(const char *s)
{
    size_t n = 1;

    if (!is_lower(s[0]))
        return 0;
    while (is_alnum(s[n]) || s[n] == '-')
        n++;
    if (s[n] != '=' || !s[n + 1] || s[n + 1] == ',')
        return 0;
    n += 2;
    return n + (s[n] == ',');
}

/* Length of "[a-z][a-z0-9]*:" at s, or 0. */
static size_t prefix_length(const char *s)
{
    size_t n = 1;

    if (!is_lower(s[0]))
        return 0;
    while (is_alnum(s[n]))
        n++;
    return s[n] == ':' ? n + 1 : 0;
}

static char *strip_comma(const char *s, size_t len)
{
    return strndup(s, len && s[len - 1] == ',' ? len - 1 : len);
}

static void do_param(struct scan *c, const struct param *pm, const char *text,
                     size_t len)
{
    struct xlu__disk *d = c->disk;
    char *value;

    if (pm->action == A_BADTYPE) {
        value = strndup(text, len);
        if (value)
            disk_err(c, value, "unknown value for type");
        else
            no_memory(c);
        free(value);
        return;
    }
    value = strip_comma(text + strlen(pm->word), len - strlen(pm->word));
    if (!value) {
        no_memory(c);
        return;
    }
    switch (pm->action) {
    case A_FORMAT:
        set_format(c, value);
        break;
    case A_CDROM:
        d->is_cdrom = 1;
        break;
    case A_DISK:
        d->is_cdrom = 0;
        break;
    case A_ACCESS:
        set_access(c, value);
        break;
    case A_STRING:
        save_string(c, (char **)((char *)d + pm->field), pm->what, value);
        break;
    case A_BACKENDTYPE:
        set_backendtype(c, value);
        break;
    case A_DIRECT_IO_SAFE:
        d->direct_io_safe = 1;
        break;
    case A_DISCARD:
        d->discard_enable = XLU__TRUE;
        break;
    case A_NO_DISCARD:
        d->discard_enable = XLU__FALSE;
        break;
    case A_COLO:
        d->colo_enable = XLU__TRUE;
        break;
    case A_NO_COLO:
        d->colo_enable = XLU__FALSE;
        break;
    case A_COLO_PORT:
        set_colo_port(c, value);
        break;
    case A_SPECIFICATION:
        set_specification(c, value);
        break;
    case A_BADTYPE:
        break;
    }
    free(value);
}

/* A deprecated prefix (name without the colon). */
static void do_prefix(struct scan *c, const struct prefix *px)
{
    char *script;

    c->had_depr_prefix = true;
    switch (px->kind) {
    case P_FORMAT:
        set_format(c, px->name);
        break;
    case P_SCRIPT:
        if (asprintf(&script, "block-%s", px->name) < 0) {
            no_memory(c);
            break;
        }
        save_string(c, &c->disk->script, "script", script);
        free(script);
        break;
    case P_IGNORED:
        break;
    }
}

/* The vdev, with the old ":cdrom" / ":disk" suffix. */
static void set_positional_vdev(struct scan *c, char *value)
{
    char *type = strrchr(value, ':');

    if (type)
        *type++ = 0;
    save_string(c, &c->disk->vdev, "vdev", value);
    if (!type || !strcmp(type, "disk"))
        return;
    if (!strcmp(type, "cdrom"))
        c->disk->is_cdrom = 1;
    else
        disk_err(c, type, "unknown deprecated type");
}

/* Returns false when scanning this specification must stop. */
static bool do_positional(struct scan *c, char *value)
{
    struct xlu__disk *d = c->disk;

    if (c->err) {
        /* After an error more would only be confusing. */
    } else if (!d->pdev_path) {
        save_string(c, &d->pdev_path, "target", value);
    } else if (!c->had_depr_prefix && d->format == XLU__DISK_FORMAT_UNKNOWN) {
        /* ",hdc:cdrom": no target, so the vdev comes early. */
        if (!*d->pdev_path && strchr(value, ':')) {
            set_positional_vdev(c, value);
            d->format = XLU__DISK_FORMAT_EMPTY;
        } else {
            set_format(c, value);
        }
    } else if (!d->vdev) {
        set_positional_vdev(c, value);
    } else if (!c->access_set) {
        c->access_set = true;
        set_access(c, value);
    } else {
        disk_err(c, value, "too many positional parameters");
        return false;
    }
    return true;
}

/* One rule's match at a position: what it compares with, what it takes. */
struct match {
    size_t len, take;
};

static void scan_spec(struct scan *c, const char *s)
{
    while (*s && c->err != ENOMEM) {
        const struct param *param = NULL;
        const struct prefix *px = NULL;
        struct match best = {0, 0}, m;
        size_t i, n;
        char *value;
        bool unknown = false, unknown_prefix = false;

        /* Rules in Xen's order; a later one must be strictly longer. */
        if (strchr(" \t\n", *s)) {
            best.len = strlen(s);
            best.take = strspn(s, " \t\n");
        }
        for (i = 0; i < NPARAMS; i++) {
            m.len = m.take = param_match(&params[i], s);
            if (m.len > best.len) {
                best = m;
                param = &params[i];
            }
        }
        m.len = m.take = unknown_param_match(s);
        if (m.len > best.len) {
            best = m;
            param = NULL;
            unknown = true;
        }
        n = prefix_length(s);
        if (n && strlen(s) > best.len) {
            for (i = 0; i < NPREFIXES; i++)
                if (strlen(prefixes[i].name) == n - 1 &&
                    !strncmp(s, prefixes[i].name, n - 1))
                    px = &prefixes[i];
            /* An unknown one only where it cannot be a host:port. */
            if (px || !is_alnum(s[n])) {
                best.len = strlen(s);
                best.take = n;
                param = NULL;
                unknown = false;
                unknown_prefix = !px;
            }
        }
        m.len = strcspn(s, "=,");
        m.len += s[m.len] == ',';
        if (m.len > best.len) {
            value = strip_comma(s, m.len);
            if (!value) {
                no_memory(c);
                return;
            }
            s += m.len;
            if (!do_positional(c, value)) {
                free(value);
                return;
            }
            free(value);
            continue;
        }
        if (!best.len) {
            /* Only '=' gets here. */
            disk_err(c, s, "bad disk syntax");
            return;
        }

        if (param) {
            do_param(c, param, s, best.take);
        } else if (unknown || unknown_prefix) {
            value = strndup(s, best.take);
            if (!value) {
                no_memory(c);
                return;
            }
            disk_err(c, value,
                     unknown ? "unknown parameter"
                             : "unknown deprecated disk prefix");
            free(value);
            if (unknown_prefix)
                return;
        } else if (px) {
            do_prefix(c, px);
        }
        s += best.take;
    }
}

void xlu__disk_init(struct xlu__disk *disk)
{
    memset(disk, 0, sizeof(*disk));
    disk->discard_enable = XLU__DEFAULT;
    disk->colo_enable = XLU__DEFAULT;
}

void xlu__disk_dispose(struct xlu__disk *disk)
{
    free(disk->pdev_path);
    free(disk->vdev);
    free(disk->backend_domname);
    free(disk->script);
    free(disk->colo_host);
    free(disk->colo_export);
    free(disk->active_disk);
    free(disk->hidden_disk);
    xlu__disk_init(disk);
}

int xlu__disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
                    struct xlu__disk *disk)
{
    struct scan c = {.cfg = cfg, .disk = disk, .spec = ""};
    int i;

    disk->readwrite = 1;
    /* As Xen: every error in a specification, but none after it. */
    for (i = 0; i < nspecs && !c.err; i++) {
        c.spec = specs[i] ? specs[i] : "";
        scan_spec(&c, c.spec);
    }
    if (c.err)
        return c.err;

    if (disk->format == XLU__DISK_FORMAT_UNKNOWN)
        disk->format = XLU__DISK_FORMAT_RAW;
    if (disk->is_cdrom) {
        disk->removable = 1;
        disk->readwrite = 0;
        if (!disk->pdev_path || !*disk->pdev_path)
            disk->format = XLU__DISK_FORMAT_EMPTY;
    }
    if (!disk->vdev) {
        disk_err(&c, NULL, "no vdev specified");
        return c.err;
    }
    if (!disk->pdev_path && !disk->removable) {
        disk_err(&c, NULL, "no target specified (and device not removable)");
        return c.err;
    }
    return 0;
}
