/*
 * xl: the table of subcommands. One row per command: its handler, whether
 * it honours -N (dry run) and -f (it changes state), and its help.
 */
#include <string.h>

#include "xl.h"

const struct cmd_spec cmd_table[] = {
    {"create", &main_create, 1, 1,
     "Create a domain from config file <filename>",
     "<ConfigFile> [options] [vars]",
     "-h                      Print this help.\n"
     "-p                      Leave the domain paused after it is created.\n"
     "-c                      Attach to the console once the domain exists.\n"
     "-f FILE, --defconfig=FILE\n"
     "                        Read the configuration from FILE.\n"
     "-q, --quiet             Quiet.\n"
     "-n, --dryrun            Print the configuration, create nothing\n"
     "                        (the global -N does the same).\n"
     "-d                      Print the configuration before creating.\n"
     "-F                      Stay in the foreground until the domain dies.\n"
     "-e                      Leave no process behind to handle the\n"
     "                        domain's shutdown (on_poweroff etc.)."},
    {"list", &main_list, 0, 0, "List information about all/some domains",
     "[options] [Domain]\n",
     "-l, --long              Print each domain's configuration as JSON\n"
     "-v, --verbose           Add the UUID, reason code and security label"},
    {"destroy", &main_destroy, 0, 1, "Terminate a domain immediately",
     "[options] <Domain>\n",
     "-f                      Allow destroying domain 0 (only meaningful\n"
     "                        with a separate hardware domain)."},
    {"shutdown", &main_shutdown, 0, 1, "Issue a shutdown signal to a domain",
     "[options] <-a|Domain>",
     "-a, --all               Shut down every guest domain.\n"
     "-h                      Print this help.\n"
     "-F                      Fall back to an ACPI power button event for\n"
     "                        guests without PV drivers.\n"
     "-w, --wait              Wait until the domain(s) have shut down.\n"},
    {"reboot", &main_reboot, 0, 1, "Issue a reboot signal to a domain",
     "[options] <-a|Domain>",
     "-a, --all               Reboot every guest domain.\n"
     "-h                      Print this help.\n"
     "-F                      Fall back to an ACPI reset event for guests\n"
     "                        without PV drivers.\n"
     "-w, --wait              Wait until the domain(s) have rebooted.\n"},
    {"pause", &main_pause, 0, 1, "Pause execution of a domain", "<Domain>",
     NULL},
    {"unpause", &main_unpause, 0, 1, "Unpause a paused domain", "<Domain>",
     NULL},
    {"console", &main_console, 0, 0, "Attach to domain's console",
     "[options] <Domain>\n"
     "-t <type>       console type, pv , serial or vuart\n"
     "-n <number>     console number",
     NULL},
    {"mem-max", &main_memmax, 0, 1,
     "Set the maximum amount reservation for a domain",
     "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL},
    {"mem-set", &main_memset, 0, 1, "Set the current memory usage for a domain",
     "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL},
    {"vcpu-list", &main_vcpulist, 0, 0, "List the VCPUs for all/some domains",
     "[Domain, ...]", NULL},
    {"vcpu-set", &main_vcpuset, 0, 1,
     "Set the number of active VCPUs allowed for the domain",
     "[option] <Domain> <vCPUs>",
     "-i, --ignore-host  Allow more vCPUs than the host has CPUs"},
    {"vcpu-pin", &main_vcpupin, 1, 1, "Set which CPUs a VCPU can use",
     "[option] <Domain> <VCPU|all> <Hard affinity|-|all> "
     "<Soft affinity|-|all>",
     "-f, --force        apply the hard affinity even where it conflicts\n"
     "                   with the soft one\n"
     "--ignore-global-affinity-masks\n"
     "                   accepted for Xen's command line (xl.conf has no\n"
     "                   global affinity masks here)"},
    {"sched-credit", &main_sched_credit, 0, 1,
     "Get/set credit scheduler parameters",
     "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT] "
     "[-m DLY]] [-p CPUPOOL]",
     "-d DOMAIN, --domain=DOMAIN        Domain to show or change\n"
     "-w WEIGHT, --weight=WEIGHT        Weight (1-65535)\n"
     "-c CAP,    --cap=CAP              Cap (% of one pCPU, 0: none)\n"
     "-s         --schedparam           Show or change the pool's parameters\n"
     "-t TSLICE, --tslice_ms=TSLICE     Time slice, in milliseconds\n"
     "-r RLIMIT, --ratelimit_us=RLIMIT  Rate limit, in microseconds\n"
     "-m DLY,    --migration_delay_us=DLY\n"
     "                                  Migration delay, in microseconds\n"
     "-p CPUPOOL, --cpupool=CPUPOOL     Only this cpupool"},
    {"sched-credit2", &main_sched_credit2, 0, 1,
     "Get/set credit2 scheduler parameters",
     "[-d <Domain> [-w[=WEIGHT]] [-c[=CAP]]] [-s [-r RATELIMIT]] "
     "[-p CPUPOOL]",
     "-d DOMAIN, --domain=DOMAIN        Domain to show or change\n"
     "-w WEIGHT, --weight=WEIGHT        Weight (1-65535)\n"
     "-c CAP,    --cap=CAP              Cap (% of one pCPU, 0: none)\n"
     "-s         --schedparam           Show or change the pool's parameters\n"
     "-r RLIMIT, --ratelimit_us=RLIMIT  Rate limit, in microseconds\n"
     "-p CPUPOOL, --cpupool=CPUPOOL     Only this cpupool"},
    {"cpupool-create", &main_cpupoolcreate, 1, 1, "Create a new CPU pool",
     "[options] [<ConfigFile>] [Variable=value ...]",
     "-h, --help                   Print this help.\n"
     "-f FILE, --defconfig=FILE    Read the configuration from FILE.\n"
     "-n, --dryrun                 Print what would be made, make nothing\n"
     "                             (the global -N does the same).\n"
     "\nKeys (see xl(1), cpupool-create): name, sched, cpus."},
    {"cpupool-list", &main_cpupoollist, 0, 0, "List CPU pools on host",
     "[-c|--cpus] [<CPU Pool>]",
     "-c, --cpus                     List the CPUs of each pool"},
    {"cpupool-destroy", &main_cpupooldestroy, 0, 1, "Deactivates a CPU pool",
     "<CPU Pool>", NULL},
    {"cpupool-rename", &main_cpupoolrename, 0, 1, "Renames a CPU pool",
     "<CPU Pool> <new name>", NULL},
    {"cpupool-cpu-add", &main_cpupoolcpuadd, 0, 1, "Adds a CPU to a CPU pool",
     "<CPU Pool> <CPU nr>|node:<node nr>", NULL},
    {"cpupool-cpu-remove", &main_cpupoolcpuremove, 0, 1,
     "Removes a CPU from a CPU pool", "<CPU Pool> <CPU nr>|node:<node nr>",
     NULL},
    {"cpupool-migrate", &main_cpupoolmigrate, 0, 1,
     "Moves a domain into a CPU pool", "<Domain> <CPU Pool>", NULL},
    {"info", &main_info, 0, 0, "Get information about Xen host",
     "-n, --numa         List host NUMA topology information", NULL},
    {"domid", &main_domid, 0, 0, "Convert a domain name to domain id",
     "<DomainName>", NULL},
    {"domname", &main_domname, 0, 0, "Convert a domain id to domain name",
     "<DomainId>", NULL},
    {"rename", &main_rename, 0, 1, "Rename a domain",
     "<Domain> <NewDomainName>", NULL},
    {"dmesg", &main_dmesg, 0, 0, "Read and/or clear dmesg buffer", "[-c]",
     "  -c                        Clear dmesg buffer as well as printing it"},
    {"uptime", &main_uptime, 0, 0, "Print uptime for all/some domains",
     "[-s] [Domain]", NULL},
};

const int cmdtable_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_spec *cmdtable_lookup(const char *name)
{
    int i;

    for (i = 0; i < cmdtable_len; i++) {
        if (!strcmp(name, cmd_table[i].cmd_name))
            return &cmd_table[i];
    }
    return NULL;
}
