/*
 * libxlutil.h - the xl.cfg parser and device-specification parsers
 * (libxlutil.so.4.17), with Xen 4.17's names and signatures.
 *
 * Unlike Xen's header this one does not include libxl.h, so that it also
 * serves programs that do not use libxl. The functions that take libxl
 * types are declared when libxl.h has been included before this header.
 *
 * Functions returning int return 0 or a positive errno value.
 */
#ifndef LIBXLUTIL_H
#define LIBXLUTIL_H

#include <stdio.h>

enum XLU_ConfigValueType {
    XLU_STRING,
    XLU_LIST,
};

enum XLU_Operation {
    XLU_OP_ASSIGNMENT = 0,
    XLU_OP_ADDITION,
};

typedef struct XLU_Config XLU_Config;
typedef struct XLU_ConfigList XLU_ConfigList;
typedef struct XLU_ConfigValue XLU_ConfigValue;

#ifndef LIBXL_H
/* As libxl_basetypes.h defines it: a NULL-terminated array of strings. */
typedef char **libxl_string_list;
#endif

/*
 * A config collects the settings of every file and buffer read into it;
 * a later setting of a name replaces an earlier one, "NAME += VALUE"
 * appends to it. Problems are reported on 'report' (which must stay
 * open until the config is destroyed) as "REPORT_FILENAME:LINE: ...".
 * Returns NULL if out of memory.
 */
XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename);

/*
 * Parse a file, or 'length' bytes of 'data'. On failure (EINVAL for bad
 * syntax, after reporting every error found; ENOMEM; an errno from
 * opening or reading the file) the settings read so far stay in the
 * config, but a caller should only destroy it.
 */
int xlu_cfg_readfile(XLU_Config *cfg, const char *real_filename);
int xlu_cfg_readdata(XLU_Config *cfg, const char *data, int length);

void xlu_cfg_destroy(XLU_Config *cfg);

/*
 * Getters. They return ESRCH if 'n' is not set, EINVAL for a value of the
 * wrong kind (reported unless dont_warn), ERANGE if a number does not fit
 * a long. Strings and lists returned live as long as the config.
 */
int xlu_cfg_get_string(const XLU_Config *cfg, const char *n,
                       const char **value_r, int dont_warn);
/* Like xlu_cfg_get_string, but frees *value_r and stores a strdup. */
int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n, char **value_r,
                           int dont_warn);
/* Numbers are read with strtol base 0: 10, 010 (octal), 0x10. */
int xlu_cfg_get_long(const XLU_Config *cfg, const char *n, long *value_r,
                     int dont_warn);
int xlu_cfg_get_bounded_long(const XLU_Config *cfg, const char *n, long min,
                             long max, long *value_r, int dont_warn);

/* list_r and entries_r may be NULL. */
int xlu_cfg_get_list(const XLU_Config *cfg, const char *n,
                     XLU_ConfigList **list_r, int *entries_r, int dont_warn);
/*
 * The list's strings, copied, in a NULL-terminated array the caller
 * frees; it ends at the first entry that is itself a list.
 */
int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg, const char *n,
                                    libxl_string_list *sl, int dont_warn);
/* Entry 'entry' if it is a string; NULL if it is a list or out of range. */
const char *xlu_cfg_get_listitem(const XLU_ConfigList *list, int entry);

/* Walking nested lists. */
XLU_ConfigValue *xlu_cfg_get_listitem2(const XLU_ConfigList *list, int entry);
enum XLU_ConfigValueType xlu_cfg_value_type(const XLU_ConfigValue *value);
int xlu_cfg_value_get_string(const XLU_Config *cfg, XLU_ConfigValue *value,
                             char **value_r, int dont_warn);
int xlu_cfg_value_get_list(const XLU_Config *cfg, XLU_ConfigValue *value,
                           XLU_ConfigList **value_r, int dont_warn);

#ifdef LIBXL_H
/* A number setting as a libxl_defbool: 0 false, anything else true. */
int xlu_cfg_get_defbool(const XLU_Config *cfg, const char *n, libxl_defbool *b,
                        int dont_warn);

/*
 * Parse disk specifications (xl-disk-configuration(5)) into 'disk', which
 * must have been initialised. Usually nspecs is 1; several strings are
 * parsed as parts of one specification. Bad specifications give EINVAL
 * after a message on cfg's report (the only use of cfg).
 */
int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
                   libxl_device_disk *disk);

/*
 * A vif's rate= ("10Mb/s", "1GB/s@20ms") into nic's rate fields, which
 * are left alone on error (EINVAL or EOVERFLOW, reported on cfg).
 */
int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate,
                       libxl_device_nic *nic);
#endif

#endif /* LIBXLUTIL_H */
