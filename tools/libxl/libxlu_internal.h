/*
 * libxlutil internals: the config store (libxlu_cfg.c), the xl.cfg lexer
 * (libxlu_cfg_lex.c) and parser (libxlu_cfg_parse.c), the disk
 * specification scanner (libxlu_disk.c) and the vif rate parser
 * (libxlu_vif.c). libxlu_libxl.c puts the last two in libxl's types.
 */
#ifndef LIBXLU_INTERNAL_H
#define LIBXLU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libxlutil.h"

#include "export.h"

struct XLU_ConfigList {
    int nvalues, avalues;
    XLU_ConfigValue **values;
};

/* Numbers are kept as the text the file gave, as Xen does. */
struct XLU_ConfigValue {
    enum XLU_ConfigValueType type;
    union {
        char *string;
        XLU_ConfigList list;
    } u;
    int line;
};

struct xlu__setting {
    struct xlu__setting *next; /* in its hash bucket */
    char *name;
    XLU_ConfigValue *value;
    enum XLU_Operation op; /* of the last statement that set it */
    int line;
};

struct XLU_Config {
    FILE *report;
    char *config_source;
    struct xlu__setting **buckets;
    size_t nbuckets, nsettings;
};

/* Values: made by the parser, owned by the config once stored. */
XLU_ConfigValue *xlu__value_string(char *string, int line);
XLU_ConfigValue *xlu__value_list(int line);
int xlu__list_append(XLU_ConfigValue *list, XLU_ConfigValue *item);
void xlu__value_free(XLU_ConfigValue *value);

/*
 * Store NAME OP VALUE (taking both). Returns 0, ENOMEM, or EINVAL when
 * += mixes a string and a list (VALUE is freed; nothing changes).
 */
int xlu__cfg_store(XLU_Config *cfg, char *name, enum XLU_Operation op,
                   XLU_ConfigValue *value);

/* Parse 'len' bytes of 'buf' into cfg: 0, EINVAL or ENOMEM. */
int xlu__cfg_parse(XLU_Config *cfg, const char *buf, size_t len);

/* --- The lexer (libxlu_cfg_lex.c) --- */

enum xlu__token {
    XLU_TOK_END,
    XLU_TOK_IDENT,
    XLU_TOK_STRING,
    XLU_TOK_NUMBER,
    XLU_TOK_NEWLINE,
    XLU_TOK_OP_ADD,
    XLU_TOK_EQUALS,
    XLU_TOK_SEMICOLON,
    XLU_TOK_COMMA,
    XLU_TOK_LBRACKET,
    XLU_TOK_RBRACKET,
};

/* What one parse shares between lexer and parser. */
struct xlu__parse {
    XLU_Config *cfg;
    const char *buf;
    size_t len, pos;
    int lineno;      /* line at pos */
    int err;         /* first error: EINVAL or ENOMEM */
    int lexerr_line; /* errors on lines up to this one are not reported */
    bool likely_python;

    /* The last token read, and the text an error message quotes. */
    enum xlu__token tok;
    int tok_line;
    const char *text;
    size_t textlen;
    char *value; /* IDENT, STRING (unquoted), NUMBER: malloc'd, or NULL */
};

void xlu__lex_init(struct xlu__parse *p, XLU_Config *cfg, const char *buf,
                   size_t len);
/* Read the next token into p->tok (XLU_TOK_END at the end or on ENOMEM). */
void xlu__lex(struct xlu__parse *p);
const char *xlu__token_name(enum xlu__token tok);
/*
 * Report "config parsing error near `TEXT': MSG" at 'line' for the text
 * of the last token, as Xen words it; sets p->err.
 */
void xlu__parse_error(struct xlu__parse *p, int line, const char *msg);

/* --- Disk specifications (libxlu_disk.c) --- */

/* Values of libxl's enums, which the libxl adapter copies unchanged. */
enum {
    XLU__DISK_FORMAT_UNKNOWN = 0,
    XLU__DISK_FORMAT_QCOW = 1,
    XLU__DISK_FORMAT_QCOW2 = 2,
    XLU__DISK_FORMAT_VHD = 3,
    XLU__DISK_FORMAT_RAW = 4,
    XLU__DISK_FORMAT_EMPTY = 5,
    XLU__DISK_FORMAT_QED = 6,
};
enum {
    XLU__DISK_BACKEND_UNKNOWN = 0,
    XLU__DISK_BACKEND_PHY = 1,
    XLU__DISK_BACKEND_TAP = 2,
    XLU__DISK_BACKEND_QDISK = 3,
    XLU__DISK_BACKEND_STANDALONE = 4,
};
enum {
    XLU__DISK_SPECIFICATION_UNKNOWN = 0,
    XLU__DISK_SPECIFICATION_XEN = 1,
    XLU__DISK_SPECIFICATION_VIRTIO = 2,
};
/* A libxl_defbool's three states. */
enum { XLU__DEFAULT = -1, XLU__FALSE = 0, XLU__TRUE = 1 };

/* What a disk specification says, in libxl_device_disk's terms. */
struct xlu__disk {
    char *pdev_path, *vdev, *backend_domname, *script;
    char *colo_host, *colo_export, *active_disk, *hidden_disk;
    int format, backend, specification;
    int removable, readwrite, is_cdrom, direct_io_safe, colo_port;
    int discard_enable, colo_enable; /* XLU__DEFAULT, _FALSE, _TRUE */
};

void xlu__disk_init(struct xlu__disk *disk);
void xlu__disk_dispose(struct xlu__disk *disk);
/* xlu_disk_parse without libxl: 0, EINVAL (reported on cfg) or ENOMEM. */
int xlu__disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
                    struct xlu__disk *disk);

/* --- Vif rates (libxlu_vif.c) --- */

/* xlu_vif_parse_rate without libxl: 0, EINVAL, EOVERFLOW or ENOMEM. */
int xlu__vif_parse_rate(XLU_Config *cfg, const char *rate,
                        uint64_t *bytes_per_interval_r,
                        uint32_t *interval_usecs_r);

#endif /* LIBXLU_INTERNAL_H */
