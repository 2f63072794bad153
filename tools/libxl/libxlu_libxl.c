/*
 * The libxlutil functions that take libxl's types (libxl_defbool,
 * libxl_device_disk, libxl_device_nic). As in Xen, this part links with
 * libxenlight.
 */
#include <stdlib.h>

#include <libxl.h>

#include "libxlu_internal.h"

XENTOOLS_EXPORT int xlu_cfg_get_defbool(const XLU_Config *cfg, const char *n,
                                        libxl_defbool *b, int dont_warn)
{
    long l;
    int e = xlu_cfg_get_long(cfg, n, &l, dont_warn);

    if (e)
        return e;
    libxl_defbool_set(b, l);
    return 0;
}

/* What the specification set replaces what the caller had. */
static void take_string(char **to, char **from)
{
    if (!*from)
        return;
    free(*to);
    *to = *from;
    *from = NULL;
}

static void take_defbool(libxl_defbool *to, int from)
{
    if (from != XLU__DEFAULT)
        libxl_defbool_set(to, from);
}

XENTOOLS_EXPORT int xlu_disk_parse(XLU_Config *cfg, int nspecs,
                                   const char *const *specs,
                                   libxl_device_disk *disk)
{
    struct xlu__disk d;
    int e;

    xlu__disk_init(&d);
    e = xlu__disk_parse(cfg, nspecs, specs, &d);

    /* On error too, as Xen leaves what it parsed for the caller to free. */
    take_string(&disk->pdev_path, &d.pdev_path);
    take_string(&disk->vdev, &d.vdev);
    take_string(&disk->backend_domname, &d.backend_domname);
    take_string(&disk->script, &d.script);
    take_string(&disk->colo_host, &d.colo_host);
    take_string(&disk->colo_export, &d.colo_export);
    take_string(&disk->active_disk, &d.active_disk);
    take_string(&disk->hidden_disk, &d.hidden_disk);
    /* The enums are numbered as libxl's (libxlu_internal.h). */
    if (d.format)
        disk->format = (libxl_disk_format)d.format;
    if (d.backend)
        disk->backend = (libxl_disk_backend)d.backend;
    if (d.specification)
        disk->specification = (libxl_disk_specification)d.specification;
    disk->readwrite = d.readwrite;
    if (d.is_cdrom) {
        disk->is_cdrom = 1;
        disk->removable = d.removable;
    }
    if (d.direct_io_safe)
        disk->direct_io_safe = true;
    if (d.colo_port)
        disk->colo_port = d.colo_port;
    take_defbool(&disk->discard_enable, d.discard_enable);
    take_defbool(&disk->colo_enable, d.colo_enable);
    xlu__disk_dispose(&d);
    return e;
}

XENTOOLS_EXPORT int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate,
                                       libxl_device_nic *nic)
{
    return xlu__vif_parse_rate(cfg, rate, &nic->rate_bytes_per_interval,
                               &nic->rate_interval_usecs);
}
