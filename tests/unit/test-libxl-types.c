/*
 * libxl's generated types over the real base-type and JSON sources:
 * defaults, dispose, copy, enum names, JSON round trips, the JSON of
 * Xen 4.17's `xl list -l`, and hostile JSON.  Run it under valgrind to
 * see that nothing leaks.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_types_internal.h"
#include "unit.h"

/* Xen 4.17's `xl list -l` (XL-OUTPUT.md): the two domains' "config". */
static const char dom0_json[] = "{\n"
                                "    \"c_info\": {\n"
                                "        \"type\": \"pv\",\n"
                                "        \"name\": \"Domain-0\"\n"
                                "    },\n"
                                "    \"b_info\": {\n"
                                "        \"max_memkb\": 1048576,\n"
                                "        \"target_memkb\": 1048575,\n"
                                "        \"sched_params\": {\n"
                                "            \"sched\": \"credit2\",\n"
                                "            \"weight\": 256,\n"
                                "            \"cap\": 0\n"
                                "        },\n"
                                "        \"type.pv\": {\n"
                                "\n"
                                "        },\n"
                                "        \"arch_arm\": {\n"
                                "\n"
                                "        },\n"
                                "        \"arch_x86\": {\n"
                                "\n"
                                "        }\n"
                                "    }\n"
                                "}\n";

static const char p2_json[] =
    "{\n"
    "    \"c_info\": {\n"
    "        \"type\": \"pvh\",\n"
    "        \"name\": \"p2\",\n"
    "        \"domid\": 4294967295,\n"
    "        \"uuid\": \"5502539d-c0a3-4126-9eeb-63e96f6b1de7\",\n"
    "        \"run_hotplug_scripts\": \"True\"\n"
    "    },\n"
    "    \"b_info\": {\n"
    "        \"max_vcpus\": 1,\n"
    "        \"avail_vcpus\": [\n"
    "            0\n"
    "        ],\n"
    "        \"tsc_mode\": \"native\",\n"
    "        \"max_memkb\": 262144,\n"
    "        \"target_memkb\": 196608,\n"
    "        \"video_memkb\": 0,\n"
    "        \"sched_params\": {\n"
    "            \"sched\": \"credit2\",\n"
    "            \"weight\": 256,\n"
    "            \"cap\": 0\n"
    "        },\n"
    "        \"claim_mode\": \"True\",\n"
    "        \"kernel\": \"/boot/vmlinuz\",\n"
    "        \"cmdline\": \"console=hvc0 rdinit=/init loglevel=4\",\n"
    "        \"ramdisk\": \"/boot/guest.cpio.gz\",\n"
    "        \"type.pvh\": {\n"
    "\n"
    "        },\n"
    "        \"arch_arm\": {\n"
    "\n"
    "        },\n"
    "        \"arch_x86\": {\n"
    "            \"msr_relaxed\": \"False\"\n"
    "        }\n"
    "    },\n"
    "    \"on_soft_reset\": \"soft_reset\"\n"
    "}\n";

static void test_defaults(void)
{
    libxl_domain_config c;
    libxl_device_nic nic;
    libxl_iomem_range io;

    libxl_domain_config_init(&c);
    EXPECT(c.c_info.type == LIBXL_DOMAIN_TYPE_INVALID);
    EXPECT(c.b_info.type == LIBXL_DOMAIN_TYPE_INVALID);
    EXPECT(c.b_info.max_memkb == LIBXL_MEMKB_DEFAULT);
    EXPECT(c.b_info.target_memkb == LIBXL_MEMKB_DEFAULT);
    EXPECT(c.b_info.sched_params.weight ==
           LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT);
    EXPECT(c.b_info.sched_params.cap == -1);
    EXPECT(c.b_info.max_grant_frames == LIBXL_MAX_GRANT_DEFAULT);
    EXPECT(c.b_info.max_grant_version == -1);
    EXPECT(c.b_info.timer_mode == LIBXL_TIMER_MODE_DEFAULT);
    EXPECT(libxl_defbool_is_default(c.b_info.claim_mode));
    EXPECT(c.on_poweroff == LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    EXPECT(c.on_soft_reset == LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    EXPECT(c.num_disks == 0 && !c.disks);

    /* A keyed union's member gets its defaults when the key is set. */
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_HVM);
    EXPECT(c.b_info.type == LIBXL_DOMAIN_TYPE_HVM);
    EXPECT(c.b_info.u.hvm.hdtype == LIBXL_HDTYPE_IDE);
    EXPECT(c.b_info.u.hvm.mmio_hole_memkb == LIBXL_MEMKB_DEFAULT);
    EXPECT(c.b_info.u.hvm.rdm.policy == LIBXL_RDM_RESERVE_POLICY_INVALID);
    EXPECT(c.b_info.u.hvm.vga.kind == LIBXL_VGA_INTERFACE_TYPE_UNKNOWN);
    libxl_domain_config_dispose(&c);
    /* Dispose leaves a zeroed object: a second dispose is harmless. */
    libxl_domain_config_dispose(&c);
    EXPECT(c.b_info.max_memkb == 0);

    libxl_device_nic_init(&nic);
    EXPECT(nic.devid == -1);
    libxl_device_nic_dispose(&nic);
    libxl_iomem_range_init(&io);
    EXPECT(io.gfn == LIBXL_INVALID_GFN);
}

static void test_enums(void)
{
    libxl_domain_type t;
    libxl_tsc_mode tsc;
    libxl_scheduler s;
    libxl_error e;
    char *j;

    EXPECT(!strcmp(libxl_domain_type_to_string(LIBXL_DOMAIN_TYPE_PVH), "pvh"));
    EXPECT(!strcmp(
        libxl_action_on_shutdown_to_string(LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET),
        "soft_reset"));
    EXPECT(!strcmp(libxl_error_to_string(ERROR_FAIL), "fail"));
    EXPECT(libxl_domain_type_to_string((libxl_domain_type)42) == NULL);
    EXPECT(!libxl_domain_type_from_string("PV", &t) &&
           t == LIBXL_DOMAIN_TYPE_PV);
    EXPECT(!libxl_scheduler_from_string("credit2", &s) &&
           s == LIBXL_SCHEDULER_CREDIT2 && s == 6);
    EXPECT(!libxl_error_from_string("domain_notfound", &e) &&
           e == ERROR_DOMAIN_NOTFOUND && e == -21);
    t = LIBXL_DOMAIN_TYPE_HVM;
    EXPECT(libxl_domain_type_from_string("pvhx", &t) &&
           t == LIBXL_DOMAIN_TYPE_HVM);
    EXPECT(libxl_domain_type_from_string(NULL, &t));
    EXPECT(!strcmp(libxl_gic_version_string_table[1].s, "v2") &&
           libxl_gic_version_string_table[1].v == 0x20);
    EXPECT(libxl_tsc_mode_string_table[4].s == NULL);

    j = libxl_tsc_mode_to_json(NULL, LIBXL_TSC_MODE_NATIVE);
    EXPECT(j && !strcmp(j, "\"native\"\n"));
    EXPECT(!libxl_tsc_mode_from_json(NULL, &tsc, j) &&
           tsc == LIBXL_TSC_MODE_NATIVE);
    free(j);
}

static void test_basetypes(void)
{
    libxl_defbool d = {0};
    libxl_bitmap a, b, c;
    libxl_string_list sl = NULL, sl2 = NULL;
    libxl_key_value_list kvl = NULL, kvl2 = NULL;
    libxl_uuid u, u2;
    char buf[LIBXL_UUID_FMTLEN + 1];

    EXPECT(!strcmp(libxl_defbool_to_string(d), "<default>"));
    libxl_defbool_setdefault(&d, true);
    EXPECT(libxl_defbool_val(d));
    libxl_defbool_setdefault(&d, false);
    EXPECT(libxl_defbool_val(d));
    libxl_defbool_set(&d, false);
    EXPECT(!libxl_defbool_val(d) &&
           !strcmp(libxl_defbool_to_string(d), "False"));
    libxl_defbool_unset(&d);
    EXPECT(libxl_defbool_is_default(d));

    EXPECT(!libxl_bitmap_alloc(NULL, &a, 20) && a.size == 3);
    EXPECT(libxl_bitmap_alloc(NULL, &b, -1) == ERROR_INVAL);
    EXPECT(libxl_bitmap_is_empty(&a));
    libxl_bitmap_set(&a, 0);
    libxl_bitmap_set(&a, 19);
    libxl_bitmap_set(&a, 24); /* beyond the map: ignored */
    libxl_bitmap_set(&a, -3);
    EXPECT(libxl_bitmap_test(&a, 19) && !libxl_bitmap_test(&a, 18) &&
           !libxl_bitmap_test(&a, 24) && !libxl_bitmap_test(&a, -3));
    EXPECT(libxl_bitmap_count_set(&a) == 2);
    libxl_bitmap_copy_alloc(NULL, &b, &a);
    EXPECT(b.map != a.map && libxl_bitmap_equal(&a, &b, 0));
    libxl_bitmap_reset(&b, 0);
    libxl_bitmap_set(&b, 1);
    EXPECT(!libxl_bitmap_equal(&a, &b, 0));
    EXPECT(!libxl_bitmap_or(NULL, &c, &a, &b) &&
           libxl_bitmap_count_set(&c) == 3);
    libxl_bitmap_dispose(&c);
    EXPECT(!libxl_bitmap_and(NULL, &c, &a, &b) &&
           libxl_bitmap_count_set(&c) == 1 && libxl_bitmap_test(&c, 19));
    libxl_bitmap_dispose(&c);
    libxl_bitmap_set_any(&b);
    EXPECT(libxl_bitmap_is_full(&b) && libxl_bitmap_count_set(&b) == 24);
    libxl_bitmap_set_none(&b);
    EXPECT(libxl_bitmap_is_empty(&b));
    libxl_bitmap_dispose(&a);
    libxl_bitmap_dispose(&b);
    libxl_bitmap_dispose(&b);

    sl = calloc(3, sizeof(char *));
    sl[0] = strdup("a");
    sl[1] = strdup("bc");
    EXPECT(libxl_string_list_length(&sl) == 2);
    libxl_string_list_copy(NULL, &sl2, &sl);
    EXPECT(libxl__string_list_equal(&sl, &sl2) && sl2[1] != sl[1]);
    libxl_string_list_dispose(&sl);
    libxl_string_list_dispose(&sl2);
    EXPECT(!sl && libxl_string_list_length(&sl) == 0);

    kvl = calloc(5, sizeof(char *));
    kvl[0] = strdup("k");
    kvl[1] = NULL; /* a key without value */
    kvl[2] = strdup("k2");
    kvl[3] = strdup("v2");
    EXPECT(libxl_key_value_list_length(&kvl) == 2);
    libxl_key_value_list_copy(NULL, &kvl2, &kvl);
    EXPECT(libxl_key_value_list_length(&kvl2) == 2 && !kvl2[1] &&
           !strcmp(kvl2[3], "v2"));
    libxl_key_value_list_dispose(&kvl);
    libxl_key_value_list_dispose(&kvl2);

    EXPECT(!libxl_uuid_from_string(&u, "5502539d-c0a3-4126-9eeb-63e96f6b1de7"));
    snprintf(buf, sizeof(buf), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(u));
    EXPECT(!strcmp(buf, "5502539d-c0a3-4126-9eeb-63e96f6b1de7"));
    EXPECT(libxl_uuid_bytearray(&u)[0] == 0x55);
    EXPECT(libxl_uuid_from_string(&u2, "5502539d") == ERROR_INVAL);
    libxl_uuid_copy(NULL, &u2, &u);
    EXPECT(!libxl_uuid_compare(&u, &u2) && !libxl_uuid_is_nil(&u2));
    libxl_uuid_clear(&u2);
    EXPECT(libxl_uuid_is_nil(&u2) && libxl_uuid_compare(&u, &u2));
    libxl_uuid_generate(&u2);
    EXPECT(!libxl_uuid_is_nil(&u2));
}

static libxl_string_list strlist(const char *a, const char *b)
{
    libxl_string_list l = calloc(3, sizeof(char *));

    l[0] = strdup(a);
    l[1] = strdup(b);
    return l;
}

/* A configuration with every kind of field set to a non-default. */
static void populate(libxl_domain_config *c)
{
    libxl_domain_create_info *ci = &c->c_info;
    libxl_domain_build_info *bi = &c->b_info;

    libxl_domain_config_init(c);
    ci->type = LIBXL_DOMAIN_TYPE_HVM;
    libxl_defbool_set(&ci->hap, true);
    libxl_defbool_set(&ci->oos, false);
    ci->ssidref = 7;
    ci->name = strdup("guest \"one\"\n\tü");
    ci->domid = 12;
    libxl_uuid_generate(&ci->uuid);
    ci->xsdata = calloc(5, sizeof(char *));
    ci->xsdata[0] = strdup("key");
    ci->xsdata[1] = strdup("value");
    ci->xsdata[2] = strdup("nullkey");
    ci->platformdata = strlist("p", "q");
    ci->passthrough = LIBXL_PASSTHROUGH_SHARE_PT;

    bi->max_vcpus = 4;
    libxl_bitmap_alloc(NULL, &bi->avail_vcpus, 4);
    libxl_bitmap_set(&bi->avail_vcpus, 0);
    libxl_bitmap_set(&bi->avail_vcpus, 3);
    bi->num_vcpu_hard_affinity = 2;
    bi->vcpu_hard_affinity = calloc(2, sizeof(libxl_bitmap));
    libxl_bitmap_alloc(NULL, &bi->vcpu_hard_affinity[0], 64);
    libxl_bitmap_set(&bi->vcpu_hard_affinity[0], 63);
    libxl_bitmap_alloc(NULL, &bi->vcpu_hard_affinity[1], 8);
    libxl_bitmap_set(&bi->vcpu_hard_affinity[1], 1);
    bi->tsc_mode = LIBXL_TSC_MODE_ALWAYS_EMULATE;
    bi->max_memkb = 1ULL << 40;
    bi->target_memkb = UINT64_MAX - 1; /* above LLONG_MAX */
    bi->video_memkb = 0;
    bi->rtc_timeoffset = UINT32_MAX;
    bi->num_vnuma_nodes = 1;
    bi->vnuma_nodes = calloc(1, sizeof(libxl_vnode_info));
    libxl_vnode_info_init(&bi->vnuma_nodes[0]);
    bi->vnuma_nodes[0].memkb = 4096;
    bi->vnuma_nodes[0].num_distances = 2;
    bi->vnuma_nodes[0].distances = calloc(2, sizeof(uint32_t));
    bi->vnuma_nodes[0].distances[0] = 10;
    bi->vnuma_nodes[0].distances[1] = 20;
    bi->max_grant_version = 2;
    bi->extra = strlist("-a", "-b");
    bi->sched_params.sched = LIBXL_SCHEDULER_CREDIT;
    bi->sched_params.weight = 512;
    bi->sched_params.cap = 0;
    bi->num_irqs = 3;
    bi->irqs = calloc(3, sizeof(uint32_t));
    bi->irqs[2] = 5;
    bi->num_iomem = 1;
    bi->iomem = calloc(1, sizeof(libxl_iomem_range));
    libxl_iomem_range_init(&bi->iomem[0]);
    bi->iomem[0].start = 0xfe000;
    bi->kernel = strdup("/boot/k");
    bi->timer_mode = LIBXL_TIMER_MODE_NO_MISSED_TICKS_PENDING;
    libxl_defbool_set(&bi->dm_restrict, true);
    libxl_domain_build_info_init_type(bi, LIBXL_DOMAIN_TYPE_HVM);
    bi->u.hvm.firmware = strdup("ovmf");
    bi->u.hvm.bios = LIBXL_BIOS_TYPE_SEABIOS;
    bi->u.hvm.hdtype = LIBXL_HDTYPE_AHCI;
    bi->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
    libxl_defbool_set(&bi->u.hvm.vnc.enable, true);
    bi->u.hvm.vnc.listen = strdup("0.0.0.0");
    bi->u.hvm.vnc.display = -2;
    bi->u.hvm.serial_list = strlist("pty", "file:/x");
    bi->u.hvm.ms_vm_genid.bytes[15] = 0xff;
    bi->u.hvm.rdm.policy = LIBXL_RDM_RESERVE_POLICY_STRICT;
    bi->u.hvm.mca_caps = 1;
    bi->arch_arm.gic_version = LIBXL_GIC_VERSION_V3;
    libxl_defbool_set(&bi->arch_x86.msr_relaxed, false);
    bi->vmtrace_buf_kb = 64;

    c->num_disks = 2;
    c->disks = calloc(2, sizeof(libxl_device_disk));
    for (int i = 0; i < 2; i++) {
        libxl_device_disk_init(&c->disks[i]);
        c->disks[i].vdev = strdup(i ? "xvdb" : "xvda");
        c->disks[i].format = LIBXL_DISK_FORMAT_QCOW2;
        c->disks[i].readwrite = 1;
        c->disks[i].base = 1ULL << 63;
    }
    c->disks[1].pdev_path = strdup("/dev/null");
    c->num_nics = 1;
    c->nics = calloc(1, sizeof(libxl_device_nic));
    libxl_device_nic_init(&c->nics[0]);
    c->nics[0].devid = 0;
    memcpy(c->nics[0].mac, "\x00\x16\x3e\xaa\xbb\xcc", 6);
    c->nics[0].bridge = strdup("xenbr0");
    c->nics[0].rate_bytes_per_interval = UINT64_MAX;
    c->num_channels = 2;
    c->channels = calloc(2, sizeof(libxl_device_channel));
    libxl_device_channel_init(&c->channels[0]);
    libxl_device_channel_init_connection(&c->channels[0],
                                         LIBXL_CHANNEL_CONNECTION_SOCKET);
    c->channels[0].u.socket.path = strdup("/run/ch");
    libxl_device_channel_init(&c->channels[1]);
    libxl_device_channel_init_connection(&c->channels[1],
                                         LIBXL_CHANNEL_CONNECTION_PTY);
    c->num_usbdevs = 1;
    c->usbdevs = calloc(1, sizeof(libxl_device_usbdev));
    libxl_device_usbdev_init(&c->usbdevs[0]);
    libxl_device_usbdev_init_type(&c->usbdevs[0], LIBXL_USBDEV_TYPE_HOSTDEV);
    c->usbdevs[0].u.hostdev.hostbus = 255;
    c->num_vsnds = 1;
    c->vsnds = calloc(1, sizeof(libxl_device_vsnd));
    libxl_device_vsnd_init(&c->vsnds[0]);
    c->vsnds[0].num_vsnd_pcms = 1;
    c->vsnds[0].pcms = calloc(1, sizeof(libxl_vsnd_pcm));
    libxl_vsnd_pcm_init(&c->vsnds[0].pcms[0]);
    c->vsnds[0].pcms[0].name = strdup("pcm0");
    c->vsnds[0].pcms[0].params.num_sample_formats = 1;
    c->vsnds[0].pcms[0].params.sample_formats =
        calloc(1, sizeof(libxl_vsnd_pcm_format));
    c->vsnds[0].pcms[0].params.sample_formats[0] = LIBXL_VSND_PCM_FORMAT_GSM;
    c->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    c->on_crash = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART;
}

static void test_round_trip(void)
{
    libxl_domain_config c, back, copy;
    char *j1, *j2, *j3;

    populate(&c);
    j1 = libxl_domain_config_to_json(NULL, &c);
    EXPECT(j1 != NULL);
    libxl_domain_config_init(&back);
    EXPECT(!libxl_domain_config_from_json(NULL, &back, j1));
    j2 = libxl_domain_config_to_json(NULL, &back);
    EXPECT(j2 && !strcmp(j1, j2));

    /* What came back is the values, not just the same text. */
    EXPECT(back.b_info.type == LIBXL_DOMAIN_TYPE_HVM);
    EXPECT(back.b_info.target_memkb == UINT64_MAX - 1);
    EXPECT(back.nics[0].rate_bytes_per_interval == UINT64_MAX);
    EXPECT(back.disks[1].base == 1ULL << 63);
    EXPECT(back.b_info.u.hvm.vnc.display == -2);
    EXPECT(!strcmp(back.c_info.name, c.c_info.name));
    EXPECT(!libxl_uuid_compare(&back.c_info.uuid, &c.c_info.uuid));
    EXPECT(libxl_key_value_list_length(&back.c_info.xsdata) == 2 &&
           back.c_info.xsdata[3] == NULL);
    EXPECT(libxl_bitmap_test(&back.b_info.vcpu_hard_affinity[0], 63));
    EXPECT(back.b_info.u.hvm.ms_vm_genid.bytes[15] == 0xff);
    EXPECT(!memcmp(back.nics[0].mac, c.nics[0].mac, 6));
    EXPECT(back.channels[1].connection == LIBXL_CHANNEL_CONNECTION_PTY);
    EXPECT(!strcmp(back.channels[0].u.socket.path, "/run/ch"));
    EXPECT(back.usbdevs[0].u.hostdev.hostbus == 255);
    EXPECT(back.vsnds[0].pcms[0].params.sample_formats[0] ==
           LIBXL_VSND_PCM_FORMAT_GSM);
    EXPECT(back.b_info.iomem[0].gfn == LIBXL_INVALID_GFN);
    EXPECT(back.on_reboot == LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    EXPECT(back.on_poweroff == LIBXL_ACTION_ON_SHUTDOWN_DESTROY);

    /* A copy is deep: it outlives the original. */
    libxl_domain_config_copy(NULL, &copy, &c);
    EXPECT(copy.c_info.name != c.c_info.name);
    EXPECT(copy.b_info.avail_vcpus.map != c.b_info.avail_vcpus.map);
    libxl_domain_config_dispose(&c);
    j3 = libxl_domain_config_to_json(NULL, &copy);
    EXPECT(j3 && !strcmp(j1, j3));

    free(j1);
    free(j2);
    free(j3);
    libxl_domain_config_dispose(&back);
    libxl_domain_config_dispose(&copy);
}

/* The JSON libxl stores and `xl list -l` prints, both ways. */
static void test_xl_list_json(void)
{
    libxl_domain_config c;
    char *j;

    /* p2 as xl's parser leaves it. */
    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    c.c_info.name = strdup("p2");
    c.c_info.domid = ~0U;
    libxl_uuid_from_string(&c.c_info.uuid,
                           "5502539d-c0a3-4126-9eeb-63e96f6b1de7");
    libxl_defbool_set(&c.c_info.run_hotplug_scripts, true);
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PVH);
    c.b_info.max_vcpus = 1;
    libxl_bitmap_alloc(NULL, &c.b_info.avail_vcpus, 1);
    libxl_bitmap_set(&c.b_info.avail_vcpus, 0);
    c.b_info.tsc_mode = LIBXL_TSC_MODE_NATIVE;
    c.b_info.max_memkb = 262144;
    c.b_info.target_memkb = 196608;
    c.b_info.video_memkb = 0;
    c.b_info.sched_params.sched = LIBXL_SCHEDULER_CREDIT2;
    c.b_info.sched_params.weight = 256;
    c.b_info.sched_params.cap = 0;
    libxl_defbool_set(&c.b_info.claim_mode, true);
    c.b_info.kernel = strdup("/boot/vmlinuz");
    c.b_info.cmdline = strdup("console=hvc0 rdinit=/init loglevel=4");
    c.b_info.ramdisk = strdup("/boot/guest.cpio.gz");
    libxl_defbool_set(&c.b_info.arch_x86.msr_relaxed, false);
    c.on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
    j = libxl_domain_config_to_json(NULL, &c);
    EXPECT(j && !strcmp(j, p2_json));
    if (j && strcmp(j, p2_json))
        printf("got:\n%s", j);
    free(j);
    libxl_domain_config_dispose(&c);

    /* Xen's text reads back to the same text, for both domains. */
    libxl_domain_config_init(&c);
    EXPECT(!libxl_domain_config_from_json(NULL, &c, p2_json));
    EXPECT(c.b_info.type == LIBXL_DOMAIN_TYPE_PVH);
    EXPECT(c.b_info.shadow_memkb == LIBXL_MEMKB_DEFAULT);
    EXPECT(c.b_info.sched_params.period == -1);
    j = libxl_domain_config_to_json(NULL, &c);
    EXPECT(j && !strcmp(j, p2_json));
    free(j);
    libxl_domain_config_dispose(&c);

    libxl_domain_config_init(&c);
    EXPECT(!libxl_domain_config_from_json(NULL, &c, dom0_json));
    EXPECT(c.c_info.type == LIBXL_DOMAIN_TYPE_PV && c.c_info.domid == 0);
    EXPECT(c.b_info.u.pv.slack_memkb == LIBXL_MEMKB_DEFAULT);
    j = libxl_domain_config_to_json(NULL, &c);
    EXPECT(j && !strcmp(j, dom0_json));
    free(j);
    libxl_domain_config_dispose(&c);
}

static void test_copy_deprecated(void)
{
    libxl_domain_build_info b;

    libxl_domain_build_info_init(&b);
    libxl_domain_build_info_init_type(&b, LIBXL_DOMAIN_TYPE_HVM);
    libxl_defbool_set(&b.u.hvm.apic, false);
    b.u.hvm.timer_mode = LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING;
    EXPECT(!libxl__domain_build_info_copy_deprecated(NULL, &b));
    EXPECT(!libxl_defbool_is_default(b.apic) && !libxl_defbool_val(b.apic));
    EXPECT(b.timer_mode == LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING);
    /* Again, now that both agree: fine. */
    EXPECT(!libxl__domain_build_info_copy_deprecated(NULL, &b));
    libxl_defbool_set(&b.nested_hvm, true);
    libxl_defbool_set(&b.u.hvm.nested_hvm, false);
    EXPECT(libxl__domain_build_info_copy_deprecated(NULL, &b) == ERROR_INVAL);
    libxl_domain_build_info_dispose(&b);

    libxl_domain_build_info_init(&b);
    libxl_domain_build_info_init_type(&b, LIBXL_DOMAIN_TYPE_PV);
    b.u.pv.kernel = strdup("/k");
    b.u.pv.bootloader_args = strlist("-q", "-v");
    b.u.pv.features = "constant, not owned";
    EXPECT(!libxl__domain_build_info_copy_deprecated(NULL, &b));
    EXPECT(b.kernel && b.kernel != b.u.pv.kernel && !strcmp(b.kernel, "/k"));
    EXPECT(libxl_string_list_length(&b.bootloader_args) == 2);
    b.cmdline = strdup("a");
    b.u.pv.cmdline = strdup("b");
    EXPECT(libxl__domain_build_info_copy_deprecated(NULL, &b) == ERROR_INVAL);
    libxl_domain_build_info_dispose(&b);
}

/* Each must fail, cleanly, into an object that dispose then frees. */
static const char *const hostile[] = {
    "",
    " ",
    "nul",
    "[]",
    "\"config\"",
    "{\"c_info\": 5}",
    "{\"c_info\": {\"type\": 1}}",
    "{\"c_info\": {\"type\": \"nonesuch\"}}",
    "{\"c_info\": {\"name\": 7}}",
    "{\"c_info\": {\"name\": \"a\\u0000b\"}}",
    "{\"c_info\": {\"domid\": -1}}",
    "{\"c_info\": {\"domid\": 4294967296}}",
    "{\"c_info\": {\"uuid\": \"5502539d-c0a3-4126-9eeb\"}}",
    "{\"c_info\": {\"hap\": \"yes\"}}",
    "{\"c_info\": {\"xsdata\": {\"k\": 1}}}",
    "{\"c_info\": {\"xsdata\": [\"k\"]}}",
    "{\"b_info\": {\"max_vcpus\": \"1\"}}",
    "{\"b_info\": {\"max_vcpus\": 2147483648}}",
    "{\"b_info\": {\"max_vcpus\": 1.5}}",
    "{\"b_info\": {\"max_memkb\": -1}}",
    "{\"b_info\": {\"max_memkb\": 18446744073709551616}}",
    "{\"b_info\": {\"max_memkb\": 99999999999999999999999999}}",
    "{\"b_info\": {\"max_memkb\": 1e999}}",
    "{\"b_info\": {\"avail_vcpus\": [-1]}}",
    "{\"b_info\": {\"avail_vcpus\": [1048576]}}",
    "{\"b_info\": {\"avail_vcpus\": {}}}",
    "{\"b_info\": {\"cpuid\": [\"host\"]}}",
    "{\"b_info\": {\"extra\": [\"a\", null]}}",
    "{\"b_info\": {\"irqs\": [1, 2, \"3\"]}}",
    "{\"b_info\": {\"vcpu_hard_affinity\": [[0], [1], 2]}}",
    "{\"b_info\": {\"vnuma_nodes\": [{\"distances\": [1, -2]}]}}",
    "{\"b_info\": {\"type.hvm\": []}}",
    "{\"b_info\": {\"type.pv\": {\"kernel\": \"/k\", \"slack_memkb\": true}}}",
    "{\"b_info\": {\"type.hvm\": {\"vga\": {\"kind\": 3}}}}",
    "{\"b_info\": {\"type.hvm\": {\"ms_vm_genid\": [1, 2]}}}",
    "{\"b_info\": {\"sched_params\": []}}",
    "{\"b_info\": {\"arch_x86\": 0}}",
    "{\"nics\": [{\"mac\": \"00:16:3e:aa:bb\"}]}",
    "{\"nics\": [{\"mac\": \"00:16:3e:aa:bb:zz\"}]}",
    "{\"nics\": [{\"devid\": 1}, {\"devid\": 2, \"bridge\": \"x\"}, 3]}",
    "{\"disks\": {}}",
    "{\"disks\": [{\"vdev\": \"xvda\", \"readwrite\": 1}, {\"format\": "
    "\"x\"}]}",
    "{\"usbdevs\": [{\"type.hostdev\": {\"hostbus\": 256}}]}",
    "{\"physinfo\": 1} trailing",
    "{\"c_info\": {}} {}",
    "{\"c_info\": {\"name\": \"a\"}",
    "{\"c_info\": {\"name\": \"\xff\xfe\"}}",
    "{\"on_reboot\": \"reboot\"}",
};

static void test_hostile(void)
{
    libxl_domain_config c;
    char deep[4096], *j;
    int n;

    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        int rc;

        libxl_domain_config_init(&c);
        rc = libxl_domain_config_from_json(NULL, &c, hostile[i]);
        EXPECT(rc != 0);
        if (!rc)
            printf("accepted: %s\n", hostile[i]);
        libxl_domain_config_dispose(&c);
    }
    libxl_domain_config_init(&c);
    EXPECT(libxl_domain_config_from_json(NULL, &c, NULL) == ERROR_INVAL);

    /* Nesting up to the limit is accepted (and ignored), beyond refused. */
    {
        static const int depths[] = {LIBXL__JSON_MAX_DEPTH,
                                     LIBXL__JSON_MAX_DEPTH + 1, 2000};

        for (int d = 0; d < 3; d++) {
            n = snprintf(deep, sizeof(deep), "{\"x\":");
            for (int k = 1; k < depths[d]; k++)
                n += snprintf(deep + n, sizeof(deep) - n, "[");
            for (int k = 1; k < depths[d]; k++)
                n += snprintf(deep + n, sizeof(deep) - n, "]");
            snprintf(deep + n, sizeof(deep) - n, "}");
            EXPECT(!libxl_domain_config_from_json(NULL, &c, deep) ==
                   (depths[d] <= LIBXL__JSON_MAX_DEPTH));
        }
    }
    libxl_domain_config_dispose(&c);

    /* Every truncation of a full configuration fails. */
    populate(&c);
    j = libxl_domain_config_to_json(NULL, &c);
    libxl_domain_config_dispose(&c);
    n = (int)strlen(j);
    while (n > 0 && (j[n - 1] == '\n' || j[n - 1] == '}'))
        n--;
    for (int len = 0; len <= n; len++) {
        char save = j[len];
        int rc;

        j[len] = '\0';
        libxl_domain_config_init(&c);
        rc = libxl_domain_config_from_json(NULL, &c, j);
        EXPECT(rc != 0);
        if (!rc)
            printf("accepted a truncation at %d\n", len);
        libxl_domain_config_dispose(&c);
        j[len] = save;
    }
    free(j);

    /* Unknown keys are skipped (newer libxl's fields); duplicates: first. */
    libxl_domain_config_init(&c);
    EXPECT(!libxl_domain_config_from_json(
        NULL, &c,
        "{\"future\": {\"a\": [1, 2.5, null, true]}, \"c_info\": "
        "{\"name\": \"a\", \"name\": \"b\"}}"));
    EXPECT(c.c_info.name && !strcmp(c.c_info.name, "a"));
    libxl_domain_config_dispose(&c);
}

int main(void)
{
    test_defaults();
    test_enums();
    test_basetypes();
    test_round_trip();
    test_xl_list_json();
    test_copy_deprecated();
    test_hostile();
    UNIT_DONE("test-libxl-types");
}
