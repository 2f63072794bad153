/*
 * A domain's xenstore client end to end (tests/integration/e2e.sh): the
 * toolstack (e2e-test) built this domain, made its /local/domain/N tree
 * and introduced it to xenstored. Relative paths are under that tree.
 * e2e-test writes data/watched once it sees data/test.
 */
#include "guest.h"

static void expect_event(const char *path, const char *token)
{
    char p[128], t[64];

    check_eq(xs_get_event(p, sizeof(p), t, sizeof(t)), 0);
    check(!strcmp(p, path) && !strcmp(t, token), "event %s %s, want %s %s", p,
          t, path, token);
}

void test_main(void)
{
    char buf[64], want[16];
    int domid = cpuid_domid(), rc;

    check_eq(xs_init(), 0);
    printk("store port %u\n", xs_store_port());

    rc = xs_read("domid", buf, sizeof(buf));
    check(rc > 0, "domid node: %d", rc);
    if (domid >= 0) {
        snprintf(want, sizeof(want), "%d", domid);
        check(!strcmp(buf, want), "domid node \"%s\", want %s", buf, want);
    }

    /* Watch first: e2e-test writes the node as soon as data/test exists. */
    check_eq(xs_watch("data/watched", "w"), 0);
    expect_event("data/watched", "w");

    check_eq(xs_write("data/test", "hello"), 0);
    check_eq(xs_read("data/test", buf, sizeof(buf)), 5);
    check(!strcmp(buf, "hello"), "data/test \"%s\"", buf);

    expect_event("data/watched", "w");
    check(xs_read("data/watched", buf, sizeof(buf)) > 0, "no data/watched");
    check(!strcmp(buf, "seen"), "data/watched \"%s\"", buf);

    /* Domain 0's node in our own tree: no read permission for us. */
    check_eq(xs_read("private", buf, sizeof(buf)), -EACCES);
    check_eq(xs_write("private", "x"), -EACCES);
    check_eq(xs_read("nonexistent", buf, sizeof(buf)), -ENOENT);
    pass();
}
