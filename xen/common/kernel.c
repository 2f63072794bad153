/* Boot option parsing in Xen command-line syntax. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/lib.h>
#include <xen/param.h>

extern const struct kernel_param __start_xen_params[], __stop_xen_params[];

char saved_cmdline[1024];

uint64_t parse_size_and_unit(const char *s, const char **end)
{
    char *e;
    uint64_t v = strtoull(s, &e, 0);

    switch (toupper((unsigned char)*e)) {
    case 'T':
        v <<= 10; /* fallthrough */
    case 'G':
        v <<= 10; /* fallthrough */
    case 'M':
        v <<= 10; /* fallthrough */
    case 'K':
        v <<= 10;
        e++;
        break;
    case 'B':
        e++;
        break;
    }
    if (end)
        *end = e;
    return v;
}

static int parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
    static const char *const no[] = {"0", "no", "off", "false", "disable"};

    for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i]))
            return 1;
        if (!strcmp(s, no[i]))
            return 0;
    }
    return -1;
}

static int apply(const struct kernel_param *p, const char *val, bool negated)
{
    const char *end;
    char *uend;

    switch (p->type) {
    case PARAM_BOOL: {
        int b = val ? parse_bool(val) : 1;

        if (b < 0)
            return -EINVAL;
        *p->var.b = negated ? !b : b;
        return 0;
    }
    case PARAM_UINT:
        if (!val || negated)
            return -EINVAL;
        *p->var.u = strtoul(val, &uend, 0);
        return *uend ? -EINVAL : 0;
    case PARAM_SIZE:
        if (!val || negated)
            return -EINVAL;
        *p->var.sz = parse_size_and_unit(val, &end);
        return *end ? -EINVAL : 0;
    case PARAM_STRING:
        if (!val || negated)
            return -EINVAL;
        if (strlen(val) >= p->var.str.len)
            return -E2BIG;
        strcpy(p->var.str.buf, val);
        return 0;
    case PARAM_CUSTOM:
        if (negated)
            return -EINVAL;
        return p->var.fn(val ? val : "");
    }
    return -EINVAL;
}

int cmdline_apply(const char *opt)
{
    const char *eq = strchr(opt, '=');
    size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
    const char *val = eq ? eq + 1 : NULL;
    bool negated = false;
    const struct kernel_param *p;

    /* Xen accepts both '-' and '_' in names, and "no-" for booleans. */
    for (int pass = 0; pass < 2; pass++) {
        const char *key = opt;
        size_t len = klen;

        if (pass == 1) {
            if (klen <= 3 || strncmp(opt, "no-", 3))
                break;
            key += 3;
            len -= 3;
            negated = true;
        }
        for (p = __start_xen_params; p < __stop_xen_params; p++) {
            size_t i;

            if (strlen(p->name) != len)
                continue;
            for (i = 0; i < len; i++) {
                char a = key[i] == '-' ? '_' : key[i];
                char b = p->name[i] == '-' ? '_' : p->name[i];
                if (a != b)
                    break;
            }
            if (i != len)
                continue;
            if (negated && p->type != PARAM_BOOL)
                return -EINVAL;
            return apply(p, val, negated);
        }
    }
    return -ENOENT;
}

void cmdline_help(void)
{
    for (const struct kernel_param *p = __start_xen_params;
         p < __stop_xen_params; p++)
        printf("  %-22s %s\n", p->name, p->help);
}
