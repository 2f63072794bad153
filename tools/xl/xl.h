/*
 * xl: the command-line toolstack. Shared declarations of the xl program.
 */
#ifndef XL_H
#define XL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <xentoollog.h>
#include <libxl.h>

/* One row of the command table (xl_cmdtable.c). */
struct cmd_spec {
    const char *cmd_name;
    int (*cmd_impl)(int argc, char **argv);
    int can_dryrun; /* honours the global -N */
    int modifies;   /* changes state: the global -f applies */
    const char *cmd_desc;
    const char *cmd_usage;
    const char *cmd_option;
};

extern const struct cmd_spec cmd_table[];
extern const int cmdtable_len;
const struct cmd_spec *cmdtable_lookup(const char *name);
void help(const char *command);

/* Subcommands. */
int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_console(int argc, char **argv);
int main_info(int argc, char **argv);
int main_dmesg(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_rename(int argc, char **argv);
int main_vcpulist(int argc, char **argv);
int main_vcpuset(int argc, char **argv);
int main_memset(int argc, char **argv);
int main_memmax(int argc, char **argv);
int main_vcpupin(int argc, char **argv);
int main_sched_credit(int argc, char **argv);
int main_sched_credit2(int argc, char **argv);
int main_cpupoolcreate(int argc, char **argv);
int main_cpupoollist(int argc, char **argv);
int main_cpupooldestroy(int argc, char **argv);
int main_cpupoolrename(int argc, char **argv);
int main_cpupoolcpuadd(int argc, char **argv);
int main_cpupoolcpuremove(int argc, char **argv);
int main_cpupoolmigrate(int argc, char **argv);

/* The context every subcommand uses (xl.c). */
extern libxl_ctx *ctx;
void postfork(void);

/* Global options: command line and xl.conf (xl.c). */
extern int dryrun_only;
extern int force_execution;
extern int autoballoon; /* 1 on, 0 off, -1 auto */
extern int run_hotplug_scripts;
extern int claim_mode;
extern char *lockfile;
extern char *default_vifscript;
extern char *default_bridge;
extern char *default_gatewaydev;
extern char *default_vifbackend;

/* Where the monitor writes its messages: stderr until it daemonises. */
extern int logfile;

/* Name of the domain the last find_domain() resolved. */
extern const char *common_domname;

/*
 * Option parsing shared by every subcommand: -h prints the command's
 * help; an unknown option or too few arguments is exit status 2.
 */
#define COMMON_LONG_OPTS                                                       \
    {"help", 0, 0, 'h'},                                                       \
    {                                                                          \
        0, 0, 0, 0                                                             \
    }

int def_getopt(int argc, char *const argv[], const char *optstring,
               const struct option *longopts, const char *helpstr, int reqargs);

#define SWITCH_FOREACH_OPT(opt, optstring, longopts, helpstr, reqargs)         \
    while (((opt) = def_getopt(argc, argv, "h" optstring, (longopts),          \
                               (helpstr), (reqargs))) != -1)                   \
        switch (opt)

/* Helpers (xl_utils.c). Allocation failure ends the process. */
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *ptr, size_t sz);
char *xstrdup(const char *s);
void xasprintf(char **strp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void string_realloc_append(char **accumulate, const char *more);
void flush_stream(FILE *fh);
uint32_t find_domain(const char *p);
/* A cpupool's id from its name or number: 0, or -1 after a message. */
int find_cpupool(const char *pool, uint32_t *poolid);
int64_t parse_mem_size_kb(const char *mem);
void print_bitmap(const uint8_t *map, int maplen, FILE *stream);
int do_daemonize(const char *name);
void dolog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LOG(fmt, ...) dolog(fmt "\n", ##__VA_ARGS__)

/* xl.cfg to libxl_domain_config (xl_parse.c). Exits on a bad config. */
void parse_config_data(const char *config_source, const char *config_data,
                       int config_len, libxl_domain_config *d_config);
const char *get_action_on_shutdown_name(libxl_action_on_shutdown a);
/*
 * A CPU list ("all", "0-3,^1", "node:0", ...) into @cpumap (allocated
 * by the caller): 0, or an error after a message.
 */
int parse_cpurange(const char *cpu, libxl_bitmap *cpumap);

#endif /* XL_H */
