/*
 * The xenstore side of libxl's domain creation and destruction, checked
 * where no guest can run: the real libxl_create.c (included, to reach
 * its steps) writes the trees of domain 31000, which the hypervisor does
 * not have, and libxl__destroy_domain removes them. Checks values and
 * permissions node by node.
 *
 * Usage: libxl-layout KERNEL (any readable file: creation checks it).
 * Needs XEN_RUN_DIR (a xen) and XENSTORED_PATH: a xenstored for which
 * domain 31000 exists (libxl.sh runs one with --test-rings and a ring
 * file for it), so that permissions may name it. Prints "ok"/"FAIL"
 * lines; exits 0 if all passed.
 */
#include "libxl_create.c"

#include "testlib.h"

#define DOMID 31000

static struct xs_handle *xs;
static libxl_ctx *lctx;

static char *get(const char *path)
{
    unsigned int len;

    return xs_read(xs, XBT_NULL, path, &len);
}

/* @path holds @want. */
static int is(const char *path, const char *want)
{
    char *v = get(path);
    int ok = v && !strcmp(v, want);

    if (!ok)
        printf("     %s is \"%s\", wanted \"%s\"\n", path, v ? v : "(missing)",
               want);
    free(v);
    return ok;
}

/* @path's permissions: owner @owner, then @other with @perm (or none). */
static int perms(const char *path, unsigned int owner, unsigned int other,
                 unsigned int perm)
{
    unsigned int num = 0;
    struct xs_permissions *p = xs_get_permissions(xs, XBT_NULL, path, &num);
    int ok = p && p[0].id == owner && p[0].perms == XS_PERM_NONE &&
             (perm == XS_PERM_NONE
                  ? num == 1
                  : num == 2 && p[1].id == other && p[1].perms == perm);

    if (!ok)
        printf("     %s: %u permissions, owner %u\n", path, num,
               p ? p[0].id : 0);
    free(p);
    return ok;
}

static void snapshot(char *buf, size_t size)
{
    static const char *const dirs[] = {"/local/domain", "/vm", "/libxl",
                                       "/local/domain/0/backend/console"};

    buf[0] = '\0';
    for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
        unsigned int n = 0;
        char **list = xs_directory(xs, XBT_NULL, dirs[d], &n);

        for (unsigned int i = 0; list && i < n; i++)
            snprintf(buf + strlen(buf), size - strlen(buf), "%s/%s ", dirs[d],
                     list[i]);
        free(list);
    }
}

int main(int argc, char **argv)
{
    libxl_domain_config c;
    struct build_state st = {.config = &c,
                             .store_port = 3,
                             .console_port = 4,
                             .store_mfn = 0xfeffc,
                             .console_mfn = 0xfefff};
    char before[4096], after[4096], vm[128], path[256];
    xentoollog_logger_stdiostream *lg;
    char *v;
    int n;

    if (argc != 2) {
        fprintf(stderr, "usage: %s KERNEL\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    lg = xtl_createlogger_stdiostream(stderr, XTL_WARN, 0);
    xs = xs_open(0);
    if (!CHECK(lg && xs) ||
        !CHECK(libxl_ctx_alloc(&lctx, LIBXL_VERSION, 0,
                               (xentoollog_logger *)lg) == 0) ||
        !CHECK(libxl__need_xc(lctx) == 0 && libxl__need_xs(lctx) == 0))
        return 1;
    /* Domain 0's tree, as the host's start-up makes it. */
    CHECK(xs_mkdir(xs, XBT_NULL, "/local/domain/0"));
    snapshot(before, sizeof(before));

    n = failures;
    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    c.c_info.name = strdup("libxl-layout");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PVH);
    c.b_info.max_vcpus = 2;
    c.b_info.max_memkb = 32768;
    c.b_info.target_memkb = 16384;
    c.b_info.kernel = strdup(argv[1]);
    CHECK(libxl__domain_config_setdefault(lctx, &c, DOMID) == 0);
    CHECK(libxl__xs_transact(lctx, DOMID, make_trees, &c) == 0);
    CHECK(libxl__xs_transact(lctx, DOMID, build_post, &st) == 0);
    CHECK(libxl__xs_transact(lctx, DOMID, add_console, &st) == 0);
    section("a domain's trees are written", n);

    n = failures;
    snprintf(vm, sizeof(vm), "/vm/" LIBXL_UUID_FMT,
             LIBXL_UUID_BYTES(c.c_info.uuid));
    CHECK(is("/local/domain/31000/vm", vm));
    CHECK(is("/local/domain/31000/name", "libxl-layout"));
    CHECK(is("/local/domain/31000/domid", "31000"));
    CHECK(is("/local/domain/31000/memory/static-max", "32768"));
    CHECK(is("/local/domain/31000/memory/target", "16384"));
    CHECK(is("/local/domain/31000/memory/videoram", "0"));
    CHECK(is("/local/domain/31000/cpu/0/availability", "online"));
    CHECK(is("/local/domain/31000/cpu/1/availability", "offline"));
    CHECK(is("/local/domain/31000/store/port", "3"));
    CHECK(is("/local/domain/31000/store/ring-ref", "1044476"));
    CHECK(is("/local/domain/31000/control/platform-feature-"
             "multiprocessor-suspend",
             "1"));
    CHECK(is("/local/domain/31000/control/platform-feature-xs_reset_watches",
             "1"));
    CHECK(is("/local/domain/31000/control/shutdown", ""));
    snprintf(path, sizeof(path), "%s/uuid", vm);
    CHECK(is(path, vm + 4));
    snprintf(path, sizeof(path), "%s/name", vm);
    CHECK(is(path, "libxl-layout"));
    snprintf(path, sizeof(path), "%s/start_time", vm);
    v = get(path);
    CHECK(v && strtoul(v, NULL, 10) > 0 && strchr(v, '.'));
    free(v);
    CHECK(is("/libxl/31000/type", "pvh"));
    CHECK(is("/libxl/31000/dm-version", "qemu_xen"));
    CHECK(is("/libxl/31000/device", ""));
    section("values: name, vm, memory, vcpus, store, control, /libxl", n);

    n = failures;
    CHECK(is("/local/domain/31000/console/port", "4"));
    CHECK(is("/local/domain/31000/console/ring-ref", "1044479"));
    CHECK(is("/local/domain/31000/console/type", "xenconsoled"));
    CHECK(is("/local/domain/31000/console/limit", "1048576"));
    CHECK(is("/local/domain/31000/console/output", "pty"));
    CHECK(is("/local/domain/31000/console/tty", ""));
    CHECK(is("/local/domain/31000/console/backend-id", "0"));
    CHECK(is("/local/domain/31000/console/backend",
             "/local/domain/0/backend/console/31000/0"));
    CHECK(is("/local/domain/0/backend/console/31000/0/frontend",
             "/local/domain/31000/console"));
    CHECK(is("/local/domain/0/backend/console/31000/0/frontend-id", "31000"));
    CHECK(is("/local/domain/0/backend/console/31000/0/online", "1"));
    CHECK(is("/local/domain/0/backend/console/31000/0/state", "1"));
    CHECK(is("/local/domain/0/backend/console/31000/0/protocol", "vt100"));
    section("console 0: frontend and xenconsoled backend", n);

    n = failures;
    /* Dom0's, readable by the guest. */
    CHECK(perms("/local/domain/31000", 0, DOMID, XS_PERM_READ));
    CHECK(perms("/local/domain/31000/memory", 0, DOMID, XS_PERM_READ));
    CHECK(perms("/local/domain/31000/memory/target", 0, DOMID, XS_PERM_READ));
    CHECK(perms("/local/domain/31000/control", 0, DOMID, XS_PERM_READ));
    CHECK(perms("/local/domain/31000/name", 0, DOMID, XS_PERM_READ));
    CHECK(perms(vm, 0, DOMID, XS_PERM_READ));
    /* The guest's own. */
    CHECK(perms("/local/domain/31000/control/shutdown", DOMID, 0, 0));
    CHECK(perms("/local/domain/31000/control/feature-poweroff", DOMID, 0, 0));
    CHECK(perms("/local/domain/31000/data", DOMID, 0, 0));
    CHECK(
        perms("/local/domain/31000/device/suspend/event-channel", DOMID, 0, 0));
    CHECK(perms("/local/domain/31000/console", DOMID, 0, XS_PERM_READ));
    /* The ring: the backend's, readable by the guest. */
    CHECK(
        perms("/local/domain/31000/console/ring-ref", 0, DOMID, XS_PERM_READ));
    CHECK(perms("/local/domain/0/backend/console/31000/0", 0, DOMID,
                XS_PERM_READ));
    /* libxl's alone. */
    CHECK(perms("/libxl/31000", 0, 0, 0));
    section("permissions: dom0's, the guest's, the backend's, libxl's", n);

    n = failures;
    CHECK(libxl_domain_rename(lctx, DOMID, "libxl-layout", "libxl-renamed") ==
          0);
    CHECK(is("/local/domain/31000/name", "libxl-renamed"));
    snprintf(path, sizeof(path), "%s/name", vm);
    CHECK(is(path, "libxl-renamed"));
    CHECK(libxl_domain_rename(lctx, DOMID, NULL, "Domain-0") == ERROR_INVAL);
    CHECK(is("/local/domain/31000/name", "libxl-renamed"));
    section("rename: both names, and never to a taken one", n);

    n = failures;
    {
        libxl_uuid fresh;
        char new_vm[128];

        libxl_uuid_generate(&fresh);
        snprintf(new_vm, sizeof(new_vm), "/vm/" LIBXL_UUID_FMT,
                 LIBXL_UUID_BYTES(fresh));
        free(c.c_info.name);
        c.c_info.name = strdup("libxl-renamed");
        CHECK(libxl_domain_preserve(lctx, DOMID, &c.c_info, "--incarnation-1",
                                    fresh) == 0);
        CHECK(is("/local/domain/31000/name", "libxl-renamed--incarnation-1"));
        CHECK(is("/local/domain/31000/vm", new_vm));
        snprintf(path, sizeof(path), "%s/name", new_vm);
        CHECK(is(path, "libxl-renamed--incarnation-1"));
        snprintf(path, sizeof(path), "%s/uuid", new_vm);
        CHECK(is(path, new_vm + 4));
        CHECK(perms(new_vm, 0, DOMID, XS_PERM_READ));
        v = get(vm);
        CHECK(!v, "the old %s is left", vm);
        free(v);
    }
    section("preserve: a new name and uuid free the old ones", n);

    n = failures;
    CHECK(libxl__destroy_domain(lctx, DOMID) == 0);
    snapshot(after, sizeof(after));
    CHECK(!strcmp(before, after), "before: %s\n     after: %s", before, after);
    section("destroy removes every tree", n);

    libxl_domain_config_dispose(&c);
    libxl_ctx_free(lctx);
    xtl_logger_destroy((xentoollog_logger *)lg);
    xs_close(xs);
    printf("%s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
