/*
 * The rate= of a vif specification (xl-network-configuration(5)):
 * RATE[@INTERVAL], RATE being N[GMK](B|b)/s and INTERVAL N[s|ms|us]
 * (seconds without a unit, 50ms if absent). Numbers are read as C reads
 * them (010 is 8), and the checks and messages are Xen 4.17's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

static const char digits[] = "0123456789";

static void vif_err(XLU_Config *cfg, const char *near, const char *msg)
{
    fprintf(cfg->report, "%s: config parsing error in vif: %s in `%s'\n",
            cfg->config_source, msg, near);
}

/* N[GMK](B|b)/s */
static bool rate_syntax(const char *s)
{
    size_t n = strspn(s, digits);

    if (!n)
        return false;
    s += n;
    if (*s && strchr("GMK", *s))
        s++;
    return (*s == 'B' || *s == 'b') && !strcmp(s + 1, "/s");
}

/* N[m|u][s] */
static bool interval_syntax(const char *s)
{
    size_t n = strspn(s, digits);

    if (!n)
        return false;
    s += n;
    if (*s == 'm' || *s == 'u')
        s++;
    if (*s == 's')
        s++;
    return !*s;
}

/* The leading number; 0 when it is 0, does not fit 32 bits or is junk. */
static uint64_t number(const char *s, char **end)
{
    unsigned long long v;

    errno = 0;
    v = strtoull(s, end, 0);
    return errno || v > UINT32_MAX ? 0 : v;
}

static int bytes_per_sec(XLU_Config *cfg, const char *s, uint64_t *r)
{
    char *p;
    uint64_t v;

    if (!rate_syntax(s)) {
        vif_err(cfg, s, "invalid rate");
        return EINVAL;
    }
    v = number(s, &p);
    if (!v) {
        vif_err(cfg, s, "rate overflow");
        return EOVERFLOW;
    }
    /* Units are decimal; p may be short of them after an octal number. */
    if (*p == 'G')
        v *= 1000 * 1000 * 1000;
    else if (*p == 'M')
        v *= 1000 * 1000;
    else if (*p == 'K')
        v *= 1000;
    if (*p == 'b' || p[1] == 'b')
        v /= 8;
    *r = v;
    return 0;
}

static int interval_usecs(XLU_Config *cfg, const char *s, uint32_t *r)
{
    char *p;
    uint64_t v;

    if (!interval_syntax(s)) {
        vif_err(cfg, s, "invalid replenishment interval");
        return EINVAL;
    }
    v = number(s, &p);
    if (*p == 's' || !*p)
        v *= 1000 * 1000;
    else if (*p == 'm')
        v *= 1000;
    if (!v || v > UINT32_MAX) {
        vif_err(cfg, s, "replenishment interval overflow");
        return EOVERFLOW;
    }
    *r = v;
    return 0;
}

int xlu__vif_parse_rate(XLU_Config *cfg, const char *rate,
                        uint64_t *bytes_per_interval_r,
                        uint32_t *interval_usecs_r)
{
    uint32_t usecs = 50000;
    uint64_t bytes;
    char *copy = strdup(rate), *interval;
    int e;

    if (!copy)
        return ENOMEM;
    interval = strchr(copy, '@');
    if (interval)
        *interval++ = 0;
    if (!*copy) {
        vif_err(cfg, rate, "no rate specified");
        e = EINVAL;
        goto out;
    }
    e = bytes_per_sec(cfg, copy, &bytes);
    if (!e && interval)
        e = interval_usecs(cfg, interval, &usecs);
    if (e)
        goto out;
    if (bytes > UINT64_MAX / usecs) {
        vif_err(cfg, rate, "rate overflow");
        e = EOVERFLOW;
        goto out;
    }
    *bytes_per_interval_r = bytes * usecs / 1000000;
    *interval_usecs_r = usecs;
out:
    free(copy);
    return e;
}
