/*
 * Boot options in Xen command-line syntax: `key=value`, `key` or `no-key`
 * for booleans, sizes with K/M/G/T suffixes. Each option registers itself
 * with one of the macros below; the table is collected by the linker.
 */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <stdbool.h>
#include <stdint.h>

enum param_type {
    PARAM_BOOL,
    PARAM_UINT,
    PARAM_SIZE,
    PARAM_STRING,
    PARAM_CUSTOM,
};

struct kernel_param {
    const char *name;
    enum param_type type;
    const char *help;
    union {
        bool *b;
        unsigned int *u;
        uint64_t *sz;
        struct {
            char *buf;
            unsigned int len;
        } str;
        /* Returns 0 or a negative errno; may be called several times. */
        int (*fn)(const char *value);
    } var;
};

#define __param_entry(_name, _type, _help, _field, ...)                       \
    static const struct kernel_param __param_##_name                           \
        __attribute__((used, section("xen_params"), aligned(8))) = {           \
            #_name, _type, _help, { ._field = __VA_ARGS__ }                    \
    }

#define boolean_param(n, v, h) __param_entry(n, PARAM_BOOL, h, b, &(v))
#define integer_param(n, v, h) __param_entry(n, PARAM_UINT, h, u, &(v))
#define size_param(n, v, h) __param_entry(n, PARAM_SIZE, h, sz, &(v))
#define string_param(n, v, h)                                                  \
    __param_entry(n, PARAM_STRING, h, str, { (v), sizeof(v) })
#define custom_param(n, f, h) __param_entry(n, PARAM_CUSTOM, h, fn, (f))

/*
 * Parse "123", "512M", "1G" ...: a number with an optional K/M/G/T suffix
 * (bytes if none). *end points after what was parsed.
 */
uint64_t parse_size_and_unit(const char *s, const char **end);

/* Apply one "key[=value]" option. Returns 0, -ENOENT if unknown, or error. */
int cmdline_apply(const char *opt);

/* Print every registered option with its help text. */
void cmdline_help(void);

/* The full command line, as `xl info` and XENVER_commandline show it. */
extern char saved_cmdline[1024];

#endif
