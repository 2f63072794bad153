/*
 * xen: the hypervisor core as a host process. It takes its options in
 * Xen command-line syntax, probes /dev/kvm, sets up the memory budget and
 * the scheduler, builds the boot-time domains and then serves until it
 * is told to stop.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <asm-x86/kvm.h>
#include <public/sched.h>
#include <public/xen.h>
#include <xen/console.h>
#include <xen/dom0_mem.h>
#include <xen/dom0less.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/privcmd.h>
#include <xen/sched-if.h>
#include <xen/sched.h>
#include <xen/timer.h>
#include <xen/version.h>

static uint64_t opt_mem;
size_param(mem, opt_mem, "memory budget for all domains (default: host RAM)");

static unsigned int opt_pcpus;
integer_param(pcpus, opt_pcpus,
              "pCPU worker threads running vCPUs (default: host CPUs)");

static bool opt_exit_on_shutdown;
boolean_param(exit_on_shutdown, opt_exit_on_shutdown,
              "exit once every boot-time domain has shut down: status 0 if "
              "all powered off, else 1 + the highest other SHUTDOWN_* reason "
              "(2 reboot, 4 crash, ...)");

static int shutdown_efd = -1;

static void on_domain_shutdown(struct domain *d)
{
    uint64_t one = 1;

    if (d->boot_time && write(shutdown_efd, &one, sizeof(one)) < 0)
        printk(LOG_ERR, "cannot signal the main loop\n");
}

static void usage(void)
{
    printf("usage: xen [option ...]\n"
           "Xen %d.%d%s hypervisor core on /dev/kvm. Options use Xen's\n"
           "command-line syntax: key=value, key (boolean true) or no-key,\n"
           "sizes with K/M/G/T suffixes. Options:\n",
           XEN_VERSION, XEN_SUBVERSION, XEN_EXTRAVERSION);
    cmdline_help();
}

static int parse_options(int argc, char **argv)
{
    size_t used = 0;

    for (int i = 1; i < argc; i++) {
        int rc;

        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            exit(0);
        }
        used += snprintf(saved_cmdline + used, sizeof(saved_cmdline) - used,
                         "%s%s", used ? " " : "", argv[i]);
        if (used >= sizeof(saved_cmdline))
            used = sizeof(saved_cmdline) - 1;
        rc = cmdline_apply(argv[i]);
        if (rc == -ENOENT) {
            printk(LOG_WARNING, "unknown option '%s' ignored\n", argv[i]);
        } else if (rc) {
            fprintf(stderr, "xen: bad value in '%s': %s\n", argv[i],
                    strerror(-rc));
            return rc;
        }
    }
    return 0;
}

static void setup_memory(void)
{
    uint64_t host = (uint64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);
    uint64_t total = (opt_mem && opt_mem < host ? opt_mem : host) >> PAGE_SHIFT;
    uint64_t dom0 = dom0_mem_compute(&dom0_mem_opt, total);
    /* An explicit size is a hard reservation; the default may balloon. */
    uint64_t floor = dom0_mem_opt.size.set ? dom0
                     : dom0_mem_opt.min.set
                         ? dom0_mem_compute(&(struct dom0_mem_spec){
                                                .size = dom0_mem_opt.min},
                                            total)
                         : 0;

    mem_budget_init(total, dom0, floor);
    printk(LOG_INFO, "memory: %llu MiB total, %llu MiB for domain 0\n",
           (unsigned long long)(total >> (20 - PAGE_SHIFT)),
           (unsigned long long)(dom0 >> (20 - PAGE_SHIFT)));
}

/*
 * Domain 0 is the host itself: its vCPUs are the host's CPUs, its memory
 * the budget's dom0 share; it has no VM and never runs. Its processes
 * reach the core through the privcmd socket.
 */
static int create_dom0(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct domain *d;
    int rc;

    d = domain_create(0,
                      &(struct domain_create_args){
                          .name = "Domain-0",
                          .max_vcpus = MIN(MAX(cpus, 1L), (long)MAX_VIRT_CPUS),
                          .privileged = true,
                          .host = true,
                      },
                      &rc);
    if (!d)
        return rc;
    d->max_pages = mem_budget_dom0();
    atomic_store(&d->tot_pages, d->max_pages);
    domain_start(d);
    hardware_domain = d;
    return 0;
}

/* Wait for SIGINT/SIGTERM, or for the boot-time domains to finish. */
static int serve(void)
{
    sigset_t set;
    struct pollfd fds[3];

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    fds[0] = (struct pollfd){.fd = signalfd(-1, &set, SFD_CLOEXEC),
                             .events = POLLIN};
    fds[1] = (struct pollfd){.fd = shutdown_efd, .events = POLLIN};
    fds[2] = (struct pollfd){.fd = console_ring_eventfd(), .events = POLLIN};

    for (;;) {
        if (poll(fds, 3, -1) < 0)
            continue;
        if (fds[2].revents) {
            uint64_t n;

            if (read(fds[2].fd, &n, sizeof(n)) == sizeof(n) && hardware_domain)
                send_guest_global_virq(hardware_domain, VIRQ_CON_RING);
        }
        if (fds[0].revents) {
            printk(LOG_INFO, "signal received, stopping\n");
            return 0;
        }
        if (fds[1].revents) {
            uint64_t n;
            unsigned int live = 0, status = 0;
            struct domain *d;

            if (read(shutdown_efd, &n, sizeof(n)) < 0)
                continue;
            if (!opt_exit_on_shutdown)
                continue;
            pthread_mutex_lock(&domlist_lock);
            for (d = domain_list; d; d = d->next_in_list) {
                if (!d->boot_time)
                    continue;
                if (d->state < DOMAIN_SHUTDOWN)
                    live++;
                else if (d->shutdown_code != SHUTDOWN_poweroff)
                    status = MAX(status, d->shutdown_code + 1);
            }
            pthread_mutex_unlock(&domlist_lock);
            if (!live)
                return status;
        }
    }
}

/* Guests first, domain 0 (which hears of their end) last. */
static void destroy_all_domains(void)
{
    struct domain *d;

    for (;;) {
        pthread_mutex_lock(&domlist_lock);
        for (d = domain_list; d && d->is_host; d = d->next_in_list)
            ;
        if (d)
            get_domain(d);
        pthread_mutex_unlock(&domlist_lock);
        if (!d)
            break;
        domain_destroy(d);
        put_domain(d);
    }
    d = hardware_domain;
    hardware_domain = NULL;
    if (d)
        domain_destroy(d);
}

int main(int argc, char **argv)
{
    sigset_t set;
    int rc, status;

    /* Threads inherit this mask: signals reach the main loop only. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    if (parse_options(argc, argv))
        return 1;
    console_ring_eventfd();
    printk(LOG_INFO, "Xen version %d.%d%s (Xenon) starting\n", XEN_VERSION,
           XEN_SUBVERSION, XEN_EXTRAVERSION);
    rc = kvm_init();
    if (rc == -ENODEV && !dom0less_count()) {
        /*
         * Domain 0 and the control plane need no KVM: the toolstack still
         * runs (and tests itself) on such a host; creating a guest fails.
         */
        printk(LOG_WARNING, "no /dev/kvm: running domain 0 only, guests "
                            "cannot be created (load kvm_intel, kvm_amd or "
                            "kvm_pvm for guests)\n");
    } else if (rc == -ENODEV) {
        printk(LOG_ERR, "no /dev/kvm: the boot-time domains cannot run "
                        "(load kvm_intel, kvm_amd or kvm_pvm)\n");
        return 1;
    } else if (rc) {
        return 1;
    }
    setup_memory();
    shutdown_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    domain_set_shutdown_hook(on_domain_shutdown);
    if (!opt_pcpus)
        opt_pcpus = sysconf(_SC_NPROCESSORS_ONLN);
    rc = timer_subsys_init();
    if (!rc)
        rc = scheduler_init(NULL, opt_pcpus);
    if (!rc)
        rc = scheduler_start();
    if (!rc)
        rc = create_dom0();
    if (rc) {
        fprintf(stderr, "xen: cannot start: %s\n", strerror(-rc));
        return 1;
    }
    privcmd_init();
    if (dom0less_build_all()) {
        fprintf(stderr, "xen: a boot-time domain could not be built "
                        "(see the messages above)\n");
        privcmd_stop();
        destroy_all_domains();
        return 1;
    }
    status = serve();
    /* Connections hold ports, grant maps and domains: they go first. */
    privcmd_stop();
    destroy_all_domains();
    if (atomic_load(&domains_allocated)) {
        printk(LOG_ERR, "%u destroyed domain(s) were never freed\n",
               atomic_load(&domains_allocated));
        return 70;
    }
    return status;
}
