/* dom0_mem= parsing and sizing against Xen's rules. */
#include <stdio.h>
#include <string.h>

#include <xen/dom0_mem.h>
#include <xen/lib.h>

#include "unit.h"

#define MiB(x) ((uint64_t)(x) << (20 - PAGE_SHIFT))
#define GiB(x) ((uint64_t)(x) << (30 - PAGE_SHIFT))

static void expect(const char *opt, uint64_t avail, uint64_t want)
{
    struct dom0_mem_spec spec = {0};
    uint64_t got;

    if (opt && dom0_mem_parse(opt, &spec)) {
        printf("FAIL dom0_mem=%s: rejected\n", opt);
        failures++;
        return;
    }
    got = dom0_mem_compute(&spec, avail);
    if (got != want) {
        printf("FAIL dom0_mem=%s of %llu pages: got %llu, want %llu\n",
               opt ? opt : "(default)", (unsigned long long)avail,
               (unsigned long long)got, (unsigned long long)want);
        failures++;
    }
}

static void expect_bad(const char *opt)
{
    struct dom0_mem_spec spec;

    if (!dom0_mem_parse(opt, &spec)) {
        printf("FAIL dom0_mem=%s: accepted\n", opt);
        failures++;
    }
}

int main(void)
{
    /* Default: all but 1/16th, capped at 128 MiB kept back. */
    expect(NULL, GiB(16), GiB(16) - MiB(128));
    expect(NULL, MiB(1024), MiB(1024) - MiB(64));
    expect("1G", GiB(16), GiB(1));
    expect("512M", GiB(16), MiB(512));
    expect("10%", GiB(10), GiB(1));
    expect("1G+10%", GiB(10), GiB(2));
    expect("-1G", GiB(16), GiB(15));
    expect("min:2G", GiB(16), GiB(16) - MiB(128));
    expect("max:2G", GiB(16), GiB(2));
    expect("min:1G,max:2G,4G", GiB(16), GiB(2));
    expect("min:3G,2G", GiB(16), GiB(3));
    expect("max:50%,1G+90%", GiB(10), GiB(5));
    expect("32G", GiB(16), GiB(16)); /* never more than there is */
    expect("100%", GiB(4), GiB(4));
    expect_bad("");
    expect_bad("G");
    expect_bad("1G+");
    expect_bad("101%");
    expect_bad("min:");
    expect_bad("1G,,");
    expect_bad("10%+20%");
    expect_bad("1G junk");
    UNIT_DONE("dom0-mem");
}
