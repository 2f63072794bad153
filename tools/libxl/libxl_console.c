/*
 * Consoles: where xenconsoled put a console's pty, and the xenconsole
 * client that attaches to it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "libxl_internal.h"

XENTOOLS_EXPORT int libxl_console_get_tty(libxl_ctx *ctx, uint32_t domid,
                                          int cons_num, libxl_console_type type,
                                          char **path)
{
    char tty_path[LIBXL__PATH_MAX];
    char *tty;
    int rc;

    if (cons_num < 0)
        return ERROR_INVAL;
    rc = libxl__need_xs(ctx);
    if (rc)
        return rc;
    switch (type) {
    case LIBXL_CONSOLE_TYPE_SERIAL:
        rc = libxl__path(tty_path, "/local/domain/%" PRIu32 "/serial/%d/tty",
                         domid, cons_num);
        break;
    case LIBXL_CONSOLE_TYPE_PV:
        if (cons_num == 0)
            rc = libxl__path(tty_path, "/local/domain/%" PRIu32 "/console/tty",
                             domid);
        else
            rc = libxl__path(tty_path,
                             "/local/domain/%" PRIu32 "/device/console/%d/tty",
                             domid, cons_num);
        break;
    case LIBXL_CONSOLE_TYPE_VUART:
        rc = libxl__path(tty_path, "/local/domain/%" PRIu32 "/vuart/%d/tty",
                         domid, cons_num);
        break;
    default:
        return ERROR_INVAL;
    }
    if (rc)
        return rc;
    tty = libxl__xs_read(ctx, XBT_NULL, tty_path);
    if (!tty || !tty[0]) {
        LOGED(ERROR, domid,
              "unable to read console tty path `%s' (is "
              "xenconsoled running?)",
              tty_path);
        free(tty);
        return ERROR_FAIL;
    }
    *path = tty;
    return 0;
}

/*
 * The primary console of a domain: PV console 0 for PV and PVH guests
 * (/libxl/N/type says which an HVM-container domain is), the first
 * serial port for HVM ones.
 */
static int primary_console_find(libxl_ctx *ctx, uint32_t domid,
                                libxl_console_type *type)
{
    char path[LIBXL__PATH_MAX];
    libxl_dominfo info;
    char *kind;
    int rc;

    rc = libxl_domain_info(ctx, &info, domid);
    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "no such domain");
        return rc;
    }
    *type = LIBXL_CONSOLE_TYPE_PV;
    if (info.domain_type == LIBXL_DOMAIN_TYPE_HVM) {
        libxl__path(path, "/libxl/%" PRIu32 "/type", domid);
        kind = libxl__xs_read(ctx, XBT_NULL, path);
        if (!kind || strcmp(kind, "pvh"))
            *type = LIBXL_CONSOLE_TYPE_SERIAL;
        free(kind);
    }
    libxl_dominfo_dispose(&info);
    return 0;
}

XENTOOLS_EXPORT int
libxl_primary_console_get_tty(libxl_ctx *ctx, uint32_t domid_vm, char **path)
{
    libxl_console_type type;
    int rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx) ?:
             primary_console_find(ctx, domid_vm, &type);

    return rc ? rc : libxl_console_get_tty(ctx, domid_vm, 0, type, path);
}

XENTOOLS_EXPORT int libxl_console_exec(libxl_ctx *ctx, uint32_t domid,
                                       int cons_num, libxl_console_type type,
                                       int notify_fd)
{
    const char *client = getenv("XENCONSOLE_PATH");
    char domid_s[16], num_s[16], fd_s[16];
    const char *type_s;

    switch (type) {
    case LIBXL_CONSOLE_TYPE_PV:
        type_s = "pv";
        break;
    case LIBXL_CONSOLE_TYPE_SERIAL:
        type_s = "serial";
        break;
    case LIBXL_CONSOLE_TYPE_VUART:
        type_s = "vuart";
        break;
    default:
        LOGD(ERROR, domid, "unknown console type %d", type);
        return ERROR_INVAL;
    }
    if (!client || !*client)
        client = LIBXL_XENCONSOLE_DEFAULT;
    snprintf(domid_s, sizeof(domid_s), "%" PRIu32, domid);
    snprintf(num_s, sizeof(num_s), "%d", cons_num);
    if (notify_fd != -1) {
        snprintf(fd_s, sizeof(fd_s), "%d", notify_fd);
        execl(client, client, domid_s, "--num", num_s, "--type", type_s,
              "--start-notify-fd", fd_s, (char *)NULL);
    } else {
        execl(client, client, domid_s, "--num", num_s, "--type", type_s,
              (char *)NULL);
    }
    LOGED(ERROR, domid, "cannot run the console client %s", client);
    return ERROR_FAIL;
}

XENTOOLS_EXPORT int libxl_primary_console_exec(libxl_ctx *ctx,
                                               uint32_t domid_vm, int notify_fd)
{
    libxl_console_type type;
    int rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx) ?:
             primary_console_find(ctx, domid_vm, &type);

    return rc ? rc : libxl_console_exec(ctx, domid_vm, 0, type, notify_fd);
}
