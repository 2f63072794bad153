/*
 * The demo guest of the README (installed as $(pkgdatadir)/demo.elf):
 * says who it runs on and what it was given, ticks a timer a few times
 * and powers off. It writes to the hypervisor console and, when the
 * toolstack gave it one, to its PV console ring (xl console).
 */
#include "guest.h"
#include "pvconsole.h"

#define TICKS 3
#define TICK_MS 250
#define UPCALL_VECTOR 0xf3

static bool pv_console;

/* printk, copied to the PV console ring with terminal line ends. */
static void say(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("%s", buf);
    if (!pv_console)
        return;
    n = n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1;
    for (int i = 0, start = 0; i <= n; i++) {
        if (i < n && buf[i] != '\n')
            continue;
        pvcons_write(buf + start, i - start);
        if (i < n)
            pvcons_write("\r\n", 2);
        start = i + 1;
    }
}

static void print_memory(void)
{
    const struct hvm_memmap_table_entry *m;
    static const char *const types[] = {"?",        "RAM",       "reserved",
                                        "ACPI",     "ACPI NVS",  "unusable",
                                        "disabled", "persistent"};

    say("Memory:    %u MiB of RAM\n", (unsigned int)(ram_bytes() >> 20));
    if (start_info->version < 1)
        return;
    m = (const void *)(uintptr_t)start_info->memmap_paddr;
    for (uint32_t i = 0; i < start_info->memmap_entries; i++)
        say("           0x%010llx-0x%010llx %s\n",
               (unsigned long long)m[i].addr,
               (unsigned long long)(m[i].addr + m[i].size - 1),
               m[i].type < ARRAY_SIZE(types) ? types[m[i].type] : "?");
}

static volatile unsigned int ticks;

static void on_timer(evtchn_port_t port)
{
    (void)port;
    ticks++;
}

/* VIRQ_TIMER and the one-shot timer where the hypervisor has them. */
static bool tick_with_events(void)
{
    evtchn_port_t port;
    uint64_t next;

    if (evtchn_init(UPCALL_VECTOR) ||
        evtchn_bind_virq(VIRQ_TIMER, this_vcpu_id(), &port))
        return false;
    evtchn_set_handler(port, on_timer);
    if (evtchn_unmask(port))
        return false;
    next = system_time_ns();
    for (unsigned int i = 1; i <= TICKS; i++) {
        next += TICK_MS * 1000000ULL;
        if (set_singleshot_timer(next))
            return i > 1;
        while (ticks < i)
            wait_for_event();
        say("Tick %u of %u (one-shot timer, VIRQ_TIMER on port %u)\n", i,
               TICKS, port);
    }
    return true;
}

void test_main(void)
{
    char extra[XEN_EXTRAVERSION_LEN];
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    int domid = cpuid_domid();

    pv_console = pvcons_init() == 0;
    say("\n");
    say("  +--------------------------------------+\n");
    say("  |  Hello from a Xenon guest!           |\n");
    say("  |  a tiny PVH kernel, %-6s           |\n",
#ifdef __x86_64__
           "64-bit"
#else
           "32-bit"
#endif
    );
    say("  +--------------------------------------+\n\n");

    if (HYPERVISOR_xen_version(XENVER_extraversion, extra))
        extra[0] = '\0';
    say("Hypervisor: Xen %ld.%ld%s\n", ver >> 16, ver & 0xffff, extra);
    if (domid >= 0)
        say("Domain id: %d\n", domid);
    else
        say("Domain id: not reported by CPUID\n");
    print_memory();
    if (*cmdline)
        say("Command line: %s\n", cmdline);

    if (!tick_with_events()) {
        uint32_t khz = tsc_khz();

        for (unsigned int i = 1; i <= TICKS; i++) {
            udelay(TICK_MS * 1000);
            say("Tick %u of %u (TSC busy-wait, %u.%03u MHz)\n", i, TICKS,
                   khz / 1000, khz % 1000);
        }
    }
    say("Powering off. Bye!\n");
    shutdown(SHUTDOWN_poweroff); /* no PASS line: this is not a test */
}
