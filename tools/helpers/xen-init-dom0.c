/*
 * xen-init-dom0: give domain 0 its place in the toolstack once xenstored
 * runs (xencommons calls it), as Xen's helper of the same name does: the
 * /local/domain/0 home with its name and id, readable by every domain,
 * and domain 0's configuration stored for libxl (`xl list -l`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <xenstore.h>

static int write_node(struct xs_handle *xs, const char *path, const char *val)
{
    if (xs_write(xs, XBT_NULL, path, val, strlen(val)))
        return 0;
    fprintf(stderr, "xen-init-dom0: cannot write %s: %s\n", path,
            strerror(errno));
    return -1;
}

static int init_xenstore(void)
{
    struct xs_permissions perm = {.id = 0, .perms = XS_PERM_READ};
    struct xs_handle *xs = xs_open(0);
    int rc = -1;

    if (!xs) {
        fprintf(stderr, "xen-init-dom0: cannot reach xenstored: %s "
                        "(is it running? XENSTORED_PATH, XENSTORED_RUNDIR)\n",
                strerror(errno));
        return -1;
    }
    if (!write_node(xs, "/local/domain/0/domid", "0") &&
        !write_node(xs, "/local/domain/0/name", "Domain-0")) {
        if (xs_set_permissions(xs, XBT_NULL, "/local/domain/0", &perm, 1))
            rc = 0;
        else
            fprintf(stderr, "xen-init-dom0: cannot set permissions: %s\n",
                    strerror(errno));
    }
    xs_close(xs);
    return rc;
}

/* Domain 0's libxl-json, unless an earlier start already stored it. */
static int store_config(libxl_ctx *ctx)
{
    libxl_domain_config config;
    libxl_dominfo info;
    uint8_t *data = NULL;
    char *json = NULL;
    int len = 0, rc;

    rc = libxl_userdata_retrieve(ctx, 0, "libxl-json", &data, &len);
    free(data);
    if (rc || len)
        return rc;

    libxl_domain_config_init(&config);
    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, 0);
    if (!rc) {
        config.c_info.type = LIBXL_DOMAIN_TYPE_PV;
        libxl_uuid_copy(ctx, &config.c_info.uuid, &info.uuid);
        config.c_info.name = strdup("Domain-0");
        libxl_domain_build_info_init_type(&config.b_info, LIBXL_DOMAIN_TYPE_PV);
        config.b_info.max_memkb = info.max_memkb;
        config.b_info.target_memkb = info.current_memkb;
        json = libxl_domain_config_to_json(ctx, &config);
        rc = json ? libxl_userdata_store(ctx, 0, "libxl-json",
                                         (const uint8_t *)json,
                                         strlen(json) + 1)
                  : ERROR_NOMEM;
    }
    free(json);
    libxl_dominfo_dispose(&info);
    libxl_domain_config_dispose(&config);
    return rc;
}

int main(void)
{
    xentoollog_logger *lg;
    libxl_ctx *ctx = NULL;
    int rc;

    if (init_xenstore())
        return 1;
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr, XTL_ERROR,
                                                           0);
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg);
    if (!rc)
        rc = store_config(ctx);
    if (rc)
        fprintf(stderr, "xen-init-dom0: cannot store Domain-0's "
                        "configuration (libxl error %d)\n", rc);
    libxl_ctx_free(ctx);
    xtl_logger_destroy(lg);
    return rc ? 1 : 0;
}
