/* dom0_mem= parsing and sizing (see xen/dom0_mem.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <xen/dom0_mem.h>
#include <xen/lib.h>
#include <xen/param.h>

struct dom0_mem_spec dom0_mem_opt;

static int parse_amt(const char *s, const char **end, struct memsize *sz)
{
    struct memsize m = {.set = true};
    unsigned int terms = 0;

    if (*s == '-') {
        m.minus = true;
        s++;
    }
    for (;;) {
        char *e;
        uint64_t v;

        if (!isdigit((unsigned char)*s))
            return -EINVAL;
        v = strtoull(s, &e, 0);
        if (*e == '%') {
            if (v > 100 || m.percent)
                return -EINVAL;
            m.percent = v;
            s = e + 1;
        } else {
            if (m.pages)
                return -EINVAL;
            m.pages = parse_size_and_unit(s, &s) >> PAGE_SHIFT;
        }
        if (++terms == 2 || *s != '+')
            break;
        s++;
    }
    *end = s;
    *sz = m;
    return 0;
}

int dom0_mem_parse(const char *s, struct dom0_mem_spec *spec)
{
    struct dom0_mem_spec n = {0};

    do {
        struct memsize *target = &n.size;
        int rc;

        if (!strncmp(s, "min:", 4)) {
            target = &n.min;
            s += 4;
        } else if (!strncmp(s, "max:", 4)) {
            target = &n.max;
            s += 4;
        }
        rc = parse_amt(s, &s, target);
        if (rc)
            return rc;
    } while (*s++ == ',');
    if (s[-1])
        return -EINVAL;
    *spec = n;
    return 0;
}

static uint64_t memsize_pages(const struct memsize *m, uint64_t avail)
{
    uint64_t v = m->pages + avail / 100 * m->percent +
                 avail % 100 * m->percent / 100;

    if (m->minus)
        return v > avail ? 0 : avail - v;
    return v;
}

uint64_t dom0_mem_compute(const struct dom0_mem_spec *spec, uint64_t avail)
{
    uint64_t nr, min = 0, max = UINT64_MAX;

    if (spec->size.set) {
        nr = memsize_pages(&spec->size, avail);
    } else {
        /* Keep 1/16th, at most 128 MiB, for Xen's own needs. */
        nr = avail - MIN(avail / 16, 128ULL << (20 - PAGE_SHIFT));
    }
    if (spec->min.set)
        min = memsize_pages(&spec->min, avail);
    if (spec->max.set)
        max = memsize_pages(&spec->max, avail);
    nr = MIN(nr, max);
    nr = MAX(nr, min);
    return MIN(nr, avail);
}

static int parse_dom0_mem(const char *s)
{
    return dom0_mem_parse(s, &dom0_mem_opt);
}
custom_param(dom0_mem, parse_dom0_mem,
             "domain 0's memory: [min:AMT,][max:AMT,][AMT] with AMT like "
             "1G, 10%, 1G+10%, -512M");
