/*
 * xl: mem-set (the balloon target) and mem-max (the reservation ceiling).
 * Sizes are megabytes unless suffixed b, k, m, g or t.
 */
#include <stdlib.h>

#include <libxl.h>

#include "xl.h"

int main_memmax(int argc, char **argv)
{
    const char *mem;
    int64_t memkb;
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "mem-max", 2)
    {
    }
    domid = find_domain(argv[optind]);
    mem = argv[optind + 1];
    memkb = parse_mem_size_kb(mem);
    if (memkb == -1) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return EXIT_FAILURE;
    }
    if (libxl_domain_setmaxmem(ctx, domid, memkb)) {
        fprintf(stderr, "cannot set domid %u static max memory to : %s\n",
                domid, mem);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int main_memset(int argc, char **argv)
{
    const char *mem;
    int64_t memkb;
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "mem-set", 2)
    {
    }
    domid = find_domain(argv[optind]);
    mem = argv[optind + 1];
    memkb = parse_mem_size_kb(mem);
    if (memkb == -1) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return EXIT_FAILURE;
    }
    if (libxl_set_memory_target(ctx, domid, memkb, 0, /* enforce */ 1)) {
        fprintf(stderr, "cannot set domid %u dynamic max memory to : %s\n",
                domid, mem);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
