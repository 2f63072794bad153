/*
 * libxlutil.so as xl uses it: with libxl.h included first, the functions
 * that take libxl's types (xlu_disk_parse, xlu_vif_parse_rate,
 * xlu_cfg_get_defbool, xlu_cfg_get_list_as_string_list into a
 * libxl_string_list). Expected messages are Xen 4.17's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "unit.h"

static const char config[] =
    "pae=1\nacpi=0\nbig=0x100\nl=[1]\n"
    "disk=['/a.qcow2,qcow2,xvdb,ro', 'vdev=hdc,cdrom',\n"
    "      'iscsi:iqn.x:t,xvdc,w,discard,backend=dd']\n"
    "extra=['x', 'y']\n";

static bool str_is(const char *got, const char *want)
{
    return got && !strcmp(got, want);
}

/* rate= of a vif: nic's fields, or the error and Xen's message. */
static bool rate_is(const char *rate, int rc, uint64_t bytes, uint32_t usecs,
                    const char *message)
{
    char *buf = NULL;
    size_t len;
    FILE *report = open_memstream(&buf, &len);
    XLU_Config *cfg = xlu_cfg_init(report, "test.cfg");
    libxl_device_nic nic;
    bool ok;
    int r;

    libxl_device_nic_init(&nic);
    r = xlu_vif_parse_rate(cfg, rate, &nic);
    fflush(report);
    ok = r == rc && nic.rate_bytes_per_interval == bytes &&
         nic.rate_interval_usecs == usecs && !strcmp(buf, message);
    if (!ok)
        printf("%s: rc %d bytes %llu usecs %u report %s", rate, r,
               (unsigned long long)nic.rate_bytes_per_interval,
               nic.rate_interval_usecs, buf);
    libxl_device_nic_dispose(&nic);
    xlu_cfg_destroy(cfg);
    fclose(report);
    free(buf);
    return ok;
}

static void test_vif_rate(void)
{
    EXPECT(rate_is("10Mb/s", 0, 62500, 50000, ""));
    EXPECT(rate_is("10MB/s", 0, 500000, 50000, ""));
    EXPECT(rate_is("1Gb/s", 0, 6250000, 50000, ""));
    EXPECT(rate_is("5Kb/s", 0, 31, 50000, ""));
    EXPECT(rate_is("10Mb/s@20ms", 0, 25000, 20000, ""));
    EXPECT(rate_is("10Mb/s@1s", 0, 1250000, 1000000, ""));
    EXPECT(rate_is("10Mb/s@20", 0, 25000000, 20000000, ""));
    EXPECT(rate_is("10Mb/s@100us", 0, 125, 100, ""));
    EXPECT(rate_is("010Mb/s@010ms", 0, 8000, 8000, ""));
    EXPECT(rate_is("", EINVAL, 0, 0,
                   "test.cfg: config parsing error in vif: no rate specified "
                   "in `'\n"));
    EXPECT(rate_is("@20ms", EINVAL, 0, 0,
                   "test.cfg: config parsing error in vif: no rate specified "
                   "in `@20ms'\n"));
    EXPECT(rate_is("10mb/s", EINVAL, 0, 0,
                   "test.cfg: config parsing error in vif: invalid rate in "
                   "`10mb/s'\n"));
    EXPECT(rate_is("0Mb/s", EOVERFLOW, 0, 0,
                   "test.cfg: config parsing error in vif: rate overflow in "
                   "`0Mb/s'\n"));
    EXPECT(rate_is("4294967296B/s", EOVERFLOW, 0, 0,
                   "test.cfg: config parsing error in vif: rate overflow in "
                   "`4294967296B/s'\n"));
    EXPECT(rate_is("4294967295GB/s@1s", EOVERFLOW, 0, 0,
                   "test.cfg: config parsing error in vif: rate overflow in "
                   "`4294967295GB/s@1s'\n"));
    EXPECT(rate_is("10Mb/s@ms", EINVAL, 0, 0,
                   "test.cfg: config parsing error in vif: invalid "
                   "replenishment interval in `ms'\n"));
    EXPECT(rate_is("10Mb/s@4295s", EOVERFLOW, 0, 0,
                   "test.cfg: config parsing error in vif: replenishment "
                   "interval overflow in `4295s'\n"));
    EXPECT(rate_is("10Mb/s@0", EOVERFLOW, 0, 0,
                   "test.cfg: config parsing error in vif: replenishment "
                   "interval overflow in `0'\n"));
}

int main(void)
{
    XLU_Config *cfg = xlu_cfg_init(stderr, "test.cfg");
    libxl_string_list sl = NULL;
    libxl_device_disk disk;
    XLU_ConfigList *disks;
    libxl_defbool b;
    const char *spec;
    int n;

    EXPECT(cfg && xlu_cfg_readdata(cfg, config, sizeof(config) - 1) == 0);

    libxl_defbool_unset(&b);
    EXPECT(xlu_cfg_get_defbool(cfg, "pae", &b, 0) == 0 && libxl_defbool_val(b));
    EXPECT(xlu_cfg_get_defbool(cfg, "acpi", &b, 0) == 0 &&
           !libxl_defbool_is_default(b) && !libxl_defbool_val(b));
    EXPECT(xlu_cfg_get_defbool(cfg, "big", &b, 0) == 0 && libxl_defbool_val(b));
    EXPECT(xlu_cfg_get_defbool(cfg, "none", &b, 0) == ESRCH);
    EXPECT(xlu_cfg_get_defbool(cfg, "l", &b, 1) == EINVAL);

    EXPECT(xlu_cfg_get_list_as_string_list(cfg, "extra", &sl, 0) == 0);
    EXPECT(libxl_string_list_length(&sl) == 2 && str_is(sl[1], "y"));
    libxl_string_list_dispose(&sl);

    EXPECT(xlu_cfg_get_list(cfg, "disk", &disks, &n, 0) == 0 && n == 3);

    libxl_device_disk_init(&disk);
    spec = xlu_cfg_get_listitem(disks, 0);
    EXPECT(xlu_disk_parse(cfg, 1, &spec, &disk) == 0);
    EXPECT(str_is(disk.pdev_path, "/a.qcow2") && str_is(disk.vdev, "xvdb"));
    EXPECT(disk.format == LIBXL_DISK_FORMAT_QCOW2 && !disk.readwrite);
    EXPECT(!disk.is_cdrom && !disk.removable);
    EXPECT(libxl_defbool_is_default(disk.discard_enable));
    libxl_device_disk_dispose(&disk);

    libxl_device_disk_init(&disk);
    spec = xlu_cfg_get_listitem(disks, 1);
    EXPECT(xlu_disk_parse(cfg, 1, &spec, &disk) == 0);
    EXPECT(!disk.pdev_path && str_is(disk.vdev, "hdc"));
    EXPECT(disk.format == LIBXL_DISK_FORMAT_EMPTY && disk.is_cdrom &&
           disk.removable && !disk.readwrite);
    libxl_device_disk_dispose(&disk);

    libxl_device_disk_init(&disk);
    spec = xlu_cfg_get_listitem(disks, 2);
    EXPECT(xlu_disk_parse(cfg, 1, &spec, &disk) == 0);
    EXPECT(str_is(disk.pdev_path, "iqn.x:t") &&
           str_is(disk.script, "block-iscsi") &&
           str_is(disk.backend_domname, "dd"));
    EXPECT(disk.readwrite && disk.format == LIBXL_DISK_FORMAT_RAW);
    EXPECT(!libxl_defbool_is_default(disk.discard_enable) &&
           libxl_defbool_val(disk.discard_enable));
    libxl_device_disk_dispose(&disk);

    /* An error leaves what was parsed for the caller to dispose of. */
    libxl_device_disk_init(&disk);
    spec = "vdev=xvda,format=bogus";
    EXPECT(xlu_disk_parse(cfg, 1, &spec, &disk) == EINVAL);
    EXPECT(str_is(disk.vdev, "xvda"));
    libxl_device_disk_dispose(&disk);

    xlu_cfg_destroy(cfg);
    test_vif_rate();
    UNIT_DONE("test-xlu-libxl");
}
