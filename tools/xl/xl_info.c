/*
 * xl: what the host and its domains look like. list, info, uptime, domid,
 * domname, dmesg. Layouts are Xen's, column for column: scripts parse them.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include <libxl.h>
#include <libxl_json.h>
#include <libxl_utils.h>

#include "xl.h"

/* `xl info NAME` prints only the value of the line that starts NAME. */
static const char *info_name;

static void __attribute__((format(printf, 1, 2)))
maybe_printf(const char *fmt, ...)
{
    va_list ap;
    char *str, *s;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&str, fmt, ap);
    va_end(ap);
    if (r < 0)
        return;
    if (!info_name)
        fputs(str, stdout);
    else if (!strncmp(str, info_name, strlen(info_name)) &&
             (s = strchr(str, ':')) && s[1] == ' ')
        fputs(s + 2, stdout);
    free(str);
}

static void output_nodeinfo(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return;
    maybe_printf("host                   : %s\n", u.nodename);
    maybe_printf("release                : %s\n", u.release);
    maybe_printf("version                : %s\n", u.version);
    maybe_printf("machine                : %s\n", u.machine);
}

static void output_physinfo(void)
{
    const libxl_version_info *vinfo;
    libxl_physinfo info;
    libxl_bitmap freecpus;
    uint64_t mib;

    libxl_physinfo_init(&info);
    if (libxl_get_physinfo(ctx, &info) != 0) {
        fprintf(stderr, "libxl_physinfo failed.\n");
        return;
    }
    maybe_printf("nr_cpus                : %d\n", info.nr_cpus);
    maybe_printf("max_cpu_id             : %d\n", info.max_cpu_id);
    maybe_printf("nr_nodes               : %d\n", info.nr_nodes);
    maybe_printf("cores_per_socket       : %d\n", info.cores_per_socket);
    maybe_printf("threads_per_core       : %d\n", info.threads_per_core);
    maybe_printf("cpu_mhz                : %d.%03d\n", info.cpu_khz / 1000,
                 info.cpu_khz % 1000);
    maybe_printf("hw_caps                : "
                 "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x\n",
                 info.hw_cap[0], info.hw_cap[1], info.hw_cap[2], info.hw_cap[3],
                 info.hw_cap[4], info.hw_cap[5], info.hw_cap[6],
                 info.hw_cap[7]);
    maybe_printf("virt_caps              :%s%s%s%s%s%s%s%s%s%s%s\n",
                 info.cap_pv ? " pv" : "", info.cap_hvm ? " hvm" : "",
                 info.cap_hvm && info.cap_hvm_directio ? " hvm_directio" : "",
                 info.cap_pv && info.cap_hvm_directio ? " pv_directio" : "",
                 info.cap_hap ? " hap" : "", info.cap_shadow ? " shadow" : "",
                 info.cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
                 info.cap_vmtrace ? " vmtrace" : "",
                 info.cap_vpmu ? " vpmu" : "",
                 info.cap_gnttab_v1 ? " gnttab-v1" : "",
                 info.cap_gnttab_v2 ? " gnttab-v2" : "");
    vinfo = libxl_get_version_info(ctx);
    if (vinfo && vinfo->pagesize) {
        mib = (1 << 20) / vinfo->pagesize;
        maybe_printf("total_memory           : %" PRIu64 "\n",
                     info.total_pages / mib);
        maybe_printf("free_memory            : %" PRIu64 "\n",
                     (info.free_pages - info.outstanding_pages) / mib);
        maybe_printf("sharing_freed_memory   : %" PRIu64 "\n",
                     info.sharing_freed_pages / mib);
        maybe_printf("sharing_used_memory    : %" PRIu64 "\n",
                     info.sharing_used_frames / mib);
        maybe_printf("outstanding_claims     : %" PRIu64 "\n",
                     info.outstanding_pages / mib);
    }
    /* pCPUs in no cpupool. */
    libxl_bitmap_init(&freecpus);
    if (!libxl_get_freecpus(ctx, &freecpus))
        maybe_printf("free_cpus              : %d\n",
                     libxl_bitmap_count_set(&freecpus));
    libxl_bitmap_dispose(&freecpus);
    libxl_physinfo_dispose(&info);
}

static void output_xeninfo(void)
{
    const libxl_version_info *info = libxl_get_version_info(ctx);
    int sched;

    if (!info) {
        fprintf(stderr, "libxl_get_version_info failed.\n");
        return;
    }
    sched = libxl_get_scheduler(ctx);
    if (sched < 0) {
        fprintf(stderr, "get_scheduler sysctl failed.\n");
        return;
    }
    maybe_printf("xen_major              : %d\n", info->xen_version_major);
    maybe_printf("xen_minor              : %d\n", info->xen_version_minor);
    maybe_printf("xen_extra              : %s\n", info->xen_version_extra);
    maybe_printf("xen_version            : %d.%d%s\n", info->xen_version_major,
                 info->xen_version_minor, info->xen_version_extra);
    maybe_printf("xen_caps               : %s\n", info->capabilities);
    maybe_printf("xen_scheduler          : %s\n",
                 libxl_scheduler_to_string(sched));
    maybe_printf("xen_pagesize           : %u\n", info->pagesize);
    maybe_printf("platform_params        : virt_start=0x%" PRIx64 "\n",
                 info->virt_start);
    maybe_printf("xen_changeset          : %s\n", info->changeset);
    maybe_printf("xen_commandline        : %s\n", info->commandline);
    maybe_printf("cc_compiler            : %s\n", info->compiler);
    maybe_printf("cc_compile_by          : %s\n", info->compile_by);
    maybe_printf("cc_compile_domain      : %s\n", info->compile_domain);
    maybe_printf("cc_compile_date        : %s\n", info->compile_date);
    maybe_printf("build_id               : %s\n", info->build_id);
}

int main_info(int argc, char **argv)
{
    static const struct option opts[] = {{"numa", 0, 0, 'n'}, COMMON_LONG_OPTS};
    int opt, numa = 0;

    SWITCH_FOREACH_OPT(opt, "n", opts, "info", 0)
    {
    case 'n':
        numa = 1;
        break;
    }
    if (numa) {
        fprintf(stderr, "xl info -n: NUMA topology is not available\n");
        return EXIT_FAILURE;
    }
    if (argc > optind)
        info_name = argv[optind];

    output_nodeinfo();
    output_physinfo();
    output_xeninfo();
    maybe_printf("xend_config_format     : 4\n");
    return EXIT_SUCCESS;
}

static void list_domains(bool verbose, const libxl_dominfo *info, int nb_domain)
{
    static const char shutdown_reason_letters[] = "-rscwS";
    int i;

    printf("Name                                        ID   Mem VCPUs\t"
           "State\tTime(s)");
    if (verbose)
        printf("   UUID                            Reason-Code\t"
               "Security Label");
    printf("\n");
    for (i = 0; i < nb_domain; i++) {
        unsigned reason = info[i].shutdown ? info[i].shutdown_reason : 0;
        char *domname = libxl_domid_to_name(ctx, info[i].domid);

        printf("%-40s %5u %5lu %5u     %c%c%c%c%c%c  %8.1f",
               domname ? domname : "-", info[i].domid,
               (unsigned long)((info[i].current_memkb +
                                info[i].outstanding_memkb) /
                               1024),
               info[i].vcpu_online, info[i].running ? 'r' : '-',
               info[i].blocked ? 'b' : '-', info[i].paused ? 'p' : '-',
               info[i].shutdown ? 's' : '-',
               reason < sizeof(shutdown_reason_letters) - 1
                   ? shutdown_reason_letters[reason]
                   : '?',
               info[i].dying ? 'd' : '-', (float)info[i].cpu_time / 1e9);
        free(domname);
        if (verbose) {
            printf(" " LIBXL_UUID_FMT, LIBXL_UUID_BYTES(info[i].uuid));
            if (info[i].shutdown)
                printf(" %8x", reason);
            else
                printf(" %8s", "-");
            printf(" %16s", info[i].ssid_label ? info[i].ssid_label : "-");
        }
        putchar('\n');
    }
}

/* -l: a JSON array of {"domid": N, "config": {...}}. */
static void list_domains_details(const libxl_dominfo *info, int nb_domain)
{
    libxl_domain_config d_config;
    yajl_gen_status s;
    const unsigned char *buf;
    size_t len;
    yajl_gen hand;
    int i;

    hand = yajl_gen_alloc(NULL);
    if (!hand) {
        fprintf(stderr, "unable to allocate JSON generator\n");
        return;
    }
    yajl_gen_config(hand, yajl_gen_beautify, 1);
    yajl_gen_config(hand, yajl_gen_indent_string, "    ");

    s = yajl_gen_array_open(hand);
    for (i = 0; i < nb_domain && s == yajl_gen_status_ok; i++) {
        libxl_domain_config_init(&d_config);
        if (libxl_retrieve_domain_configuration(ctx, info[i].domid, &d_config,
                                                NULL)) {
            libxl_domain_config_dispose(&d_config);
            continue;
        }
        s = yajl_gen_map_open(hand);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_string(hand, (const unsigned char *)"domid", 5);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_integer(hand, info[i].domid);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_string(hand, (const unsigned char *)"config", 6);
        if (s == yajl_gen_status_ok)
            s = libxl_domain_config_gen_json(hand, &d_config);
        if (s == yajl_gen_status_ok)
            s = yajl_gen_map_close(hand);
        libxl_domain_config_dispose(&d_config);
    }
    if (s == yajl_gen_status_ok)
        s = yajl_gen_array_close(hand);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_get_buf(hand, &buf, &len);
    if (s == yajl_gen_status_ok)
        puts((const char *)buf);
    else
        fprintf(stderr, "unable to format domain config as JSON (YAJL:%d)\n",
                s);
    yajl_gen_free(hand);
}

int main_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", 0, 0, 'l'}, {"verbose", 0, 0, 'v'}, COMMON_LONG_OPTS};
    bool verbose = false, details = false;
    libxl_dominfo info_buf, *info;
    int opt, nb_domain, rc;

    SWITCH_FOREACH_OPT(opt, "lv", opts, "list", 0)
    {
    case 'l':
        details = true;
        break;
    case 'v':
        verbose = true;
        break;
    }

    libxl_dominfo_init(&info_buf);
    if (optind >= argc) {
        info = libxl_list_domain(ctx, &nb_domain);
        if (!info) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_FAILURE;
        }
    } else if (optind == argc - 1) {
        uint32_t domid = find_domain(argv[optind]);

        rc = libxl_domain_info(ctx, &info_buf, domid);
        if (rc == ERROR_DOMAIN_NOTFOUND) {
            fprintf(stderr, "Error: Domain '%s' does not exist.\n",
                    argv[optind]);
            return EXIT_FAILURE;
        }
        if (rc) {
            fprintf(stderr, "libxl_domain_info failed (code %d).\n", rc);
            return EXIT_FAILURE;
        }
        info = &info_buf;
        nb_domain = 1;
    } else {
        help("list");
        return EXIT_FAILURE;
    }

    if (details)
        list_domains_details(info, nb_domain);
    else
        list_domains(verbose, info, nb_domain);

    if (info != &info_buf)
        libxl_dominfo_list_free(info, nb_domain);
    libxl_dominfo_dispose(&info_buf);
    return EXIT_SUCCESS;
}

int main_domid(int argc, char **argv)
{
    const char *domname;
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "domid", 1)
    {
    }
    domname = argv[optind];
    if (libxl_name_to_domid(ctx, domname, &domid)) {
        fprintf(stderr,
                "Can't get domid of domain name '%s', maybe this "
                "domain does not exist.\n",
                domname);
        return EXIT_FAILURE;
    }
    printf("%u\n", domid);
    return EXIT_SUCCESS;
}

int main_domname(int argc, char **argv)
{
    char *domname, *end;
    unsigned long domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "domname", 1)
    {
    }
    domid = strtoul(argv[optind], &end, 10);
    if (end == argv[optind] || *end || domid > UINT32_MAX) {
        fprintf(stderr, "Invalid domain id.\n\n");
        return EXIT_FAILURE;
    }
    domname = libxl_domid_to_name(ctx, domid);
    if (!domname) {
        fprintf(stderr,
                "Can't get domain name of domain id '%lu', maybe "
                "this domain does not exist.\n",
                domid);
        return EXIT_FAILURE;
    }
    printf("%s\n", domname);
    free(domname);
    return EXIT_SUCCESS;
}

/* "[D day(s), ]HH:MM[:SS]" as Xen's xl prints it. */
static char *uptime_to_string(unsigned long uptime, int short_mode)
{
    int day = uptime / 86400, hour = uptime / 3600 % 24;
    int min = uptime / 60 % 60, sec = uptime % 60;
    char *s, *days = NULL;

    if (day)
        xasprintf(&days, "%d day%s, ", day, day > 1 ? "s" : "");
    if (short_mode)
        xasprintf(&s, "%s%2d:%02d", days ? days : "", hour, min);
    else
        xasprintf(&s, "%s%2d:%02d:%02d", days ? days : "", hour, min, sec);
    free(days);
    return s;
}

static void print_one_uptime(uint32_t domid, unsigned long uptime,
                             int short_mode, time_t now)
{
    char *domname = libxl_domid_to_name(ctx, domid);
    char *up = uptime_to_string(uptime, short_mode);
    char now_str[16];
    struct tm tm;

    if (short_mode) {
        if (!localtime_r(&now, &tm) ||
            !strftime(now_str, sizeof(now_str), "%H:%M:%S", &tm))
            now_str[0] = '\0';
        printf(" %s up %s, %s (%u)\n", now_str, up, domname ? domname : "-",
               domid);
    } else {
        printf("%-33s %4u %s\n", domname ? domname : "-", domid, up);
    }
    free(up);
    free(domname);
}

/* Domain 0's uptime is the host's. */
static void print_dom0_uptime(int short_mode, time_t now)
{
    char buf[64];
    ssize_t nr;
    int fd;

    fd = open("/proc/uptime", O_RDONLY);
    nr = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        close(fd);
    if (nr <= 0) {
        fprintf(stderr, "Can not get Dom0 uptime.\n");
        exit(EXIT_FAILURE);
    }
    buf[nr] = '\0';
    print_one_uptime(0, strtoul(buf, NULL, 10), short_mode, now);
}

static void print_domU_uptime(uint32_t domid, int short_mode, time_t now)
{
    uint32_t start = libxl_vm_get_start_time(ctx, domid);

    if (start == (uint32_t)-1)
        return;
    print_one_uptime(domid, now > start ? now - start : 0, short_mode, now);
}

int main_uptime(int argc, char **argv)
{
    int opt, short_mode = 0, nb, i;
    libxl_dominfo *info;
    time_t now;

    SWITCH_FOREACH_OPT(opt, "s", NULL, "uptime", 0)
    {
    case 's':
        short_mode = 1;
        break;
    }

    now = time(NULL);
    if (!short_mode)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    if (optind < argc) {
        for (; optind < argc; optind++) {
            uint32_t domid = find_domain(argv[optind]);

            if (domid == 0)
                print_dom0_uptime(short_mode, now);
            else
                print_domU_uptime(domid, short_mode, now);
        }
        return EXIT_SUCCESS;
    }

    print_dom0_uptime(short_mode, now);
    info = libxl_list_domain(ctx, &nb);
    if (!info) {
        fprintf(stderr, "Could not list vms.\n");
        return EXIT_SUCCESS;
    }
    for (i = 0; i < nb; i++) {
        if (info[i].domid)
            print_domU_uptime(info[i].domid, short_mode, now);
    }
    libxl_dominfo_list_free(info, nb);
    return EXIT_SUCCESS;
}

int main_dmesg(int argc, char **argv)
{
    static const struct option opts[] = {{"clear", 0, 0, 'c'},
                                         COMMON_LONG_OPTS};
    libxl_xen_console_reader *cr;
    int opt, ret = 1, clear = 0;
    char *line;

    SWITCH_FOREACH_OPT(opt, "c", opts, "dmesg", 0)
    {
    case 'c':
        clear = 1;
        break;
    }

    cr = libxl_xen_console_read_start(ctx, clear);
    if (!cr)
        return EXIT_FAILURE;
    while ((ret = libxl_xen_console_read_line(ctx, cr, &line)) > 0)
        printf("%s", line);
    libxl_xen_console_read_finish(ctx, cr);
    return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
