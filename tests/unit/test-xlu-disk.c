/*
 * libxlutil's disk specification parser: the equivalent forms of
 * xl-disk-configuration(5), every parameter, the deprecated forms, and
 * errors. Results and messages are those of Xen 4.17's xlu_disk_parse
 * for the same strings (checked against Debian's libxlutil.so.4.17).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"
#include "unit.h"
#include "xlu-report.h"

static XLU_Config *cfg;
static struct xlu__disk disk;

/* Parse 'n' specifications into the global disk; the report restarts. */
static int parse_specs(int n, const char *const *specs)
{
    xlu__disk_dispose(&disk);
    report_restart(cfg);
    return xlu__disk_parse(cfg, n, specs, &disk);
}

static int parse(const char *spec)
{
    return parse_specs(1, &spec);
}


static bool str_is(const char *got, const char *want)
{
    if (!got || !want)
        return got == want;
    return !strcmp(got, want);
}

/* The fields xl cares most about, in one check. */
static bool disk_is(const char *pdev, const char *vdev, int format,
                    int readwrite, int is_cdrom)
{
    bool ok = str_is(disk.pdev_path, pdev) && str_is(disk.vdev, vdev) &&
              disk.format == format && disk.readwrite == readwrite &&
              disk.is_cdrom == is_cdrom && disk.removable == is_cdrom;

    if (!ok)
        printf("disk: pdev %s vdev %s format %d rw %d cdrom %d removable "
               "%d\n",
               disk.pdev_path ? disk.pdev_path : "(null)",
               disk.vdev ? disk.vdev : "(null)", disk.format, disk.readwrite,
               disk.is_cdrom, disk.removable);
    return ok;
}

#define RAW XLU__DISK_FORMAT_RAW
#define EMPTY XLU__DISK_FORMAT_EMPTY

static void test_equivalent_forms(void)
{
    static const char *const same[] = {
        "/dev/vg/guest-volume,,hda",
        "/dev/vg/guest-volume,raw,hda,rw",
        "format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
        "raw:/dev/vg/guest-volume,hda,w",
        "phy:/dev/vg/guest-volume,hda,w",
        "vdev=hda,target=/dev/vg/guest-volume",
    };
    static const char *const split[] = {"/dev/vg/guest-volume", "raw", "hda"};
    size_t i;

    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        EXPECT(parse(same[i]) == 0);
        EXPECT(disk_is("/dev/vg/guest-volume", "hda", RAW, 1, 0));
        EXPECT(report_matches(""));
    }
    /* Several strings are parts of one specification. */
    EXPECT(parse_specs(3, split) == 0);
    EXPECT(disk_is("/dev/vg/guest-volume", "hda", RAW, 1, 0));
}

static void test_parameters(void)
{
    EXPECT(parse("/a.qcow2,qcow2,xvdb,ro") == 0);
    EXPECT(disk_is("/a.qcow2", "xvdb", XLU__DISK_FORMAT_QCOW2, 0, 0));
    EXPECT(parse("/a,qed,xvdb,r") == 0 && disk.format == XLU__DISK_FORMAT_QED &&
           !disk.readwrite);
    EXPECT(parse("/a,vhd,xvdb") == 0 && disk.format == XLU__DISK_FORMAT_VHD);
    EXPECT(parse("/a,qcow,xvdb") == 0 && disk.format == XLU__DISK_FORMAT_QCOW);
    EXPECT(parse("/a,empty,xvdb") == 0 && disk.format == EMPTY);

    /* target= takes the rest, commas and all. */
    EXPECT(parse("vdev=xvda,target=/x,y,vdev=z") == 0);
    EXPECT(disk_is("/x,y,vdev=z", "xvda", RAW, 1, 0));

    EXPECT(parse("vdev=xvda,backend=dd,backendtype=qdisk,script=s,"
                 "direct-io-safe,discard,specification=virtio,/a") == 0);
    EXPECT(str_is(disk.backend_domname, "dd") && str_is(disk.script, "s"));
    EXPECT(disk.backend == XLU__DISK_BACKEND_QDISK && disk.direct_io_safe);
    EXPECT(disk.discard_enable == XLU__TRUE);
    EXPECT(disk.specification == XLU__DISK_SPECIFICATION_VIRTIO);
    EXPECT(parse("vdev=xvda,no-discard,backendtype=phy,specification=xen,"
                 "/a") == 0);
    EXPECT(disk.discard_enable == XLU__FALSE &&
           disk.backend == XLU__DISK_BACKEND_PHY &&
           disk.specification == XLU__DISK_SPECIFICATION_XEN);
    EXPECT(parse("/a,,xvda,backendtype=standalone") == 0 &&
           disk.backend == XLU__DISK_BACKEND_STANDALONE &&
           disk.discard_enable == XLU__DEFAULT);
    EXPECT(parse("/a,,xvda,backendtype=tap") == 0 &&
           disk.backend == XLU__DISK_BACKEND_TAP);

    EXPECT(parse("vdev=xvda,colo,colo-host=h,colo-port=12,colo-export=e,"
                 "active-disk=a,hidden-disk=h,/a") == 0);
    EXPECT(disk.colo_enable == XLU__TRUE && disk.colo_port == 12);
    EXPECT(str_is(disk.colo_host, "h") && str_is(disk.colo_export, "e"));
    EXPECT(str_is(disk.active_disk, "a") && str_is(disk.hidden_disk, "h"));
    EXPECT(parse("vdev=xvda,no-colo,/a,colo-port=5x") == 0 &&
           disk.colo_enable == XLU__FALSE && disk.colo_port == 5);

    /* Blanks start parameters; inside them they are kept. */
    EXPECT(parse(" /a\tb,  raw,\txvda, ") == 0);
    EXPECT(disk_is("/a\tb", "xvda", RAW, 1, 0));
    EXPECT(parse("vdev= xvda,/a") == 0 && str_is(disk.vdev, " xvda"));

    /* Empty positional parameters take the defaults. */
    EXPECT(parse("/a,,xvda,,") == 0 && disk_is("/a", "xvda", RAW, 1, 0));
    EXPECT(parse(",,xvda") == 0 && disk_is("", "xvda", RAW, 1, 0));
    EXPECT(parse("access=ro,/a,,xvda") == 0 && !disk.readwrite);
    EXPECT(parse("access=ro,access=rw,/a,,xvda") == 0 && disk.readwrite);
    /* The same value again is no respecification. */
    EXPECT(parse("format=raw,raw:/a,xvda") == 0);
    EXPECT(parse("backendtype=phy,backendtype=phy,/a,,xvda") == 0);
    EXPECT(parse("vdev=,vdev=xvda,/a") == 0 && str_is(disk.vdev, "xvda"));
}

static void test_cdrom(void)
{
    EXPECT(parse("/a.iso,,hdc:cdrom,r") == 0);
    EXPECT(disk_is("/a.iso", "hdc", RAW, 0, 1));
    EXPECT(parse("devtype=cdrom,vdev=hdc,target=/a.iso") == 0);
    EXPECT(disk_is("/a.iso", "hdc", RAW, 0, 1));
    /* A cdrom is read-only whatever access says; no target: empty. */
    EXPECT(parse("vdev=xvda,access=rw,devtype=cdrom") == 0);
    EXPECT(disk_is(NULL, "xvda", EMPTY, 0, 1));
    EXPECT(parse("cdrom,vdev=hdc") == 0 && disk_is(NULL, "hdc", EMPTY, 0, 1));
    EXPECT(parse(",,hdc:cdrom,r") == 0 && disk_is("", "hdc", EMPTY, 0, 1));
    EXPECT(parse(",:cdrom") == 0 && disk_is("", "", EMPTY, 0, 1));
    EXPECT(parse("vdev=xvda,format=qcow2,cdrom") == 0 && disk.format == EMPTY);
    EXPECT(parse("devtype=disk,cdrom,/a,,hdc") == 0 && disk.is_cdrom);
    EXPECT(parse("/a,,xvda:disk") == 0 && disk_is("/a", "xvda", RAW, 1, 0));
    EXPECT(parse("/a,,xvda:cdrom:disk") == 0 &&
           str_is(disk.vdev, "xvda:cdrom") && !disk.is_cdrom);
}

static void test_deprecated(void)
{
    EXPECT(parse("file:/a.img,xvda,r") == 0);
    EXPECT(disk_is("/a.img", "xvda", RAW, 0, 0));
    EXPECT(parse("tap:aio:/a.img,xvda,w") == 0);
    EXPECT(disk_is("/a.img", "xvda", RAW, 1, 0));
    EXPECT(parse("tap:qcow2:/a.img,xvda,w") == 0 &&
           disk.format == XLU__DISK_FORMAT_QCOW2);
    EXPECT(parse("vhd:/a,xvda") == 0 && disk.format == XLU__DISK_FORMAT_VHD);
    EXPECT(parse("iscsi:iqn.2001-05.com.example:t,xvda,w") == 0);
    EXPECT(str_is(disk.script, "block-iscsi") &&
           str_is(disk.pdev_path, "iqn.2001-05.com.example:t"));
    EXPECT(parse("nbd:host:1234,xvda") == 0 &&
           str_is(disk.script, "block-nbd") &&
           str_is(disk.pdev_path, "host:1234"));
    EXPECT(parse("enbd:h,xvda") == 0 && str_is(disk.script, "block-enbd"));
    EXPECT(parse("drbd:h,xvda") == 0 && str_is(disk.script, "block-drbd"));
    EXPECT(parse("tapdisk:/a,xvda") == 0 && parse("tap2:/a,xvda") == 0 &&
           parse("ioemu:/a,xvda") == 0);
    EXPECT(parse("phy:/a,xvda:cdrom,r") == 0 &&
           disk_is("/a", "xvda", RAW, 0, 1));
    /* Not a prefix: a lower-case word and ':' then a letter or digit. */
    EXPECT(parse("foo:bar,raw,xvda") == 0 && str_is(disk.pdev_path, "foo:bar"));
    EXPECT(parse("PHY:/a,raw,xvda") == 0 && str_is(disk.pdev_path, "PHY:/a"));
    EXPECT(report_matches(""));
}

static void test_errors(void)
{
    static const char *const two_bad[] = {"vdev=xvda", "bad=x", "worse=y"};

    EXPECT(parse("vdev=xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "no target specified (and device not removable) in "
                     "`vdev=xvda'\n"));
    EXPECT(parse("/dev/vg/guest") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "no vdev specified in `/dev/vg/guest'\n"));
    EXPECT(parse_specs(0, NULL) == EINVAL);
    EXPECT(parse("/a,raw,xvda,rw,extra") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "too many positional parameters: near `extra' in "
                     "`/a,raw,xvda,rw,extra'\n"));
    EXPECT(parse("/a,bogus,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown value for format: near `bogus' in "
                     "`/a,bogus,xvda'\n"));
    EXPECT(parse("/a,raw,xvda,x") == EINVAL);
    EXPECT(
        report_matches("test.cfg: config parsing error in disk specification: "
                  "unknown value for access: near `x' in `/a,raw,xvda,x'\n"));
    EXPECT(parse("devtype=floppy,vdev=hdc") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown value for type: near `devtype=floppy,' in "
                     "`devtype=floppy,vdev=hdc'\n"));
    /* One character after '=' is all Xen's rule shows. */
    EXPECT(parse("foo=bar,vdev=xvda") == EINVAL);
    EXPECT(
        report_matches("test.cfg: config parsing error in disk specification: "
                  "unknown parameter: near `foo=b' in `foo=bar,vdev=xvda'\n"));
    EXPECT(parse("vdev=xvda,vdev=xvdb,/a") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "vdev respecified: near `xvdb' in "
                     "`vdev=xvda,vdev=xvdb,/a'\n"));
    EXPECT(parse("/a,raw,xvda,target=/b") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "target respecified: near `/b' in "
                     "`/a,raw,xvda,target=/b'\n"));
    EXPECT(parse("format=raw,format=qcow2,/a,,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "format respecified: near `qcow2' in "
                     "`format=raw,format=qcow2,/a,,xvda'\n"));
    EXPECT(parse("iscsi:nbd:/a,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "script respecified: near `block-nbd' in "
                     "`iscsi:nbd:/a,xvda'\n"));
    EXPECT(parse("vdev=xvda,backendtype=phy,backendtype=qdisk,/a") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "backend respecified: near `qdisk' in "
                     "`vdev=xvda,backendtype=phy,backendtype=qdisk,/a'\n"));
    EXPECT(parse("backendtype=PHY,/a,,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown value for backendtype: near `PHY' in "
                     "`backendtype=PHY,/a,,xvda'\n"));
    EXPECT(parse("specification=,/a,,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown value for specification: near `' in "
                     "`specification=,/a,,xvda'\n"));
    EXPECT(parse("colo-port=0x10,/a,,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown value for colo_port: near `0x10' in "
                     "`colo-port=0x10,/a,,xvda'\n"));
    EXPECT(parse("/a,,xvda:bogus") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown deprecated type: near `bogus' in "
                     "`/a,,xvda:bogus'\n"));
    EXPECT(parse("foo:/a,xvda") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown deprecated disk prefix: near `foo:' in "
                     "`foo:/a,xvda'\n"));
    EXPECT(parse("qed:/a,xvda") == EINVAL);
    EXPECT(parse("vdev = xvda,/a") == EINVAL);
    EXPECT(
        report_matches("test.cfg: config parsing error in disk specification: "
                  "bad disk syntax: near `= xvda,/a' in `vdev = xvda,/a'\n"));
    /* Xen ignores a '=' that ends the string; we do not. */
    EXPECT(parse("/a,,xvda=") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "bad disk syntax: near `=' in `/a,,xvda='\n"));
    /* trusted/untrusted are no 4.17 keywords: just positional. */
    EXPECT(parse("vdev=xvda,trusted") == 0 &&
           str_is(disk.pdev_path, "trusted"));
    EXPECT(parse("vdev=xvda,/a,transport=mmio") == EINVAL);

    /* Every error in a specification is reported, none after it. */
    EXPECT(parse("bad=x,worse=y,/a") == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown parameter: near `bad=x,' in `bad=x,worse=y,/a'\n"
                     "test.cfg: config parsing error in disk specification: "
                     "unknown parameter: near `worse=y,' in "
                     "`bad=x,worse=y,/a'\n"));
    EXPECT(parse_specs(3, two_bad) == EINVAL);
    EXPECT(report_matches("test.cfg: config parsing error in disk specification: "
                     "unknown parameter: near `bad=x' in `bad=x'\n"));
}

/* Random specifications from the grammar's pieces: no crash, no leak. */
static void test_junk(void)
{
    static const char *const pieces[] = {
        "/a",      "xvda",    ",",          ",",       "raw",      "cdrom",
        ":cdrom",  ":disk",   "phy:",       "iscsi:",  "foo:",     "x:",
        "format=", "vdev=",   "target=",    "access=", "devtype=", "backend=",
        "script=", "discard", "colo-port=", "=",       " ",        "bad=",
        "1",       "A",       ":",          "\t",      "ro",       "empty",
    };
    char spec[256];
    const char *specs[2] = {spec, "xvdz"};
    unsigned seed = 99;
    int round, i, n, rc;

    for (round = 0; round < 20000; round++) {
        spec[0] = 0;
        n = (seed = seed * 1103515245 + 12345) >> 16 & 15;
        for (i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            strcat(spec,
                   pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
        }
        rc = parse_specs(1 + (round & 1), specs);
        EXPECT(rc == 0 || rc == EINVAL);
        EXPECT(rc == 0 ? disk.vdev != NULL : reported()[0] != 0);
    }
}

int main(void)
{
    cfg = xlu_cfg_init(stderr, "test.cfg");
    xlu__disk_init(&disk);

    test_equivalent_forms();
    test_parameters();
    test_cdrom();
    test_deprecated();
    test_errors();
    test_junk();

    xlu__disk_dispose(&disk);
    xlu_cfg_destroy(cfg);
    fclose(report);
    free(report_buf);
    UNIT_DONE("test-xlu-disk");
}
