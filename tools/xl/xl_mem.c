/*
 * xl: mem-set (the balloon target) and mem-max (the reservation ceiling).
 * Sizes are megabytes unless suffixed b, k, m, g or t.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <libxl.h>

#include "xl.h"

/* "xl @cmd DOMAIN SIZE": sets the static maximum if @max, else the target. */
static int set_memory(int argc, char **argv, const char *cmd, bool max)
{
    const char *mem;
    int64_t memkb;
    uint32_t domid;
    int opt, rc;

    SWITCH_FOREACH_OPT(opt, "", NULL, cmd, 2)
    {
    }
    domid = find_domain(argv[optind]);
    mem = argv[optind + 1];
    memkb = parse_mem_size_kb(mem);
    if (memkb == -1) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return EXIT_FAILURE;
    }
    rc = max ? libxl_domain_setmaxmem(ctx, domid, memkb)
             : libxl_set_memory_target(ctx, domid, memkb, 0, /* enforce */ 1);
    if (rc) {
        fprintf(stderr, "cannot set domid %u %s max memory to : %s\n", domid,
                max ? "static" : "dynamic", mem);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int main_memmax(int argc, char **argv)
{
    return set_memory(argc, argv, "mem-max", true);
}

int main_memset(int argc, char **argv)
{
    return set_memory(argc, argv, "mem-set", false);
}
