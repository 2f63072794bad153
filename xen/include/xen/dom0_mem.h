/*
 * dom0_mem=: domain 0's share of the memory budget, in Xen's syntax
 *   dom0_mem=[min:<amt>,][max:<amt>,][<amt>]
 *   <amt> = [-]<size>[+<percent>%] | [-]<percent>%   (e.g. 1G, 10%, 1G+10%)
 * where a leading '-' means "all available memory minus this".
 */
#ifndef XEN_DOM0_MEM_H
#define XEN_DOM0_MEM_H

#include <stdbool.h>
#include <stdint.h>

struct memsize {
    uint64_t pages;
    unsigned int percent;
    bool minus;
    bool set;
};

struct dom0_mem_spec {
    struct memsize size, min, max;
};

/* Parse the option value; 0 or -EINVAL. */
int dom0_mem_parse(const char *s, struct dom0_mem_spec *spec);

/*
 * Pages for domain 0 out of avail pages, as Xen computes it: the amount
 * asked for (default: all but 1/16th, at most 128 MiB, kept back), then
 * clamped to [min, max] and to avail.
 */
uint64_t dom0_mem_compute(const struct dom0_mem_spec *spec, uint64_t avail);

/* The option as given on the command line. */
extern struct dom0_mem_spec dom0_mem_opt;

#endif
