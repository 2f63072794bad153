/*
 * xl: global options, the global configuration (xl.conf) and dispatch to
 * the subcommands of the command table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "xl.h"

libxl_ctx *ctx;
static xentoollog_logger_stdiostream *logger;
int dryrun_only;
int force_execution;
int autoballoon = -1;
int run_hotplug_scripts = 1;
int claim_mode = 1;
char *lockfile;
char *default_vifscript;
char *default_bridge;
char *default_gatewaydev;
char *default_vifbackend;
static xentoollog_level minmsglevel = XTL_PROGRESS;
static bool progress_use_cr;
static bool timestamps;

static void replace_global(char **dst, const char *val)
{
    free(*dst);
    *dst = xstrdup(val);
}

/* The default lock serialises creations on one host: a private host (its
 * own XEN_RUN_DIR) gets its own lock. */
static char *default_lockfile(void)
{
    const char *run = getenv("XEN_RUN_DIR");
    char *path;

    if (!run || !*run)
        return xstrdup(XEN_LOCK_DIR "/xl");
    xasprintf(&path, "%s/xl.lock", run);
    return path;
}

static void parse_global_config(const char *file, const char *data, int len)
{
    XLU_Config *config;
    const char *buf;
    long l;
    int e;

    config = xlu_cfg_init(stderr, file);
    if (!config) {
        fprintf(stderr, "Failed to allocate for configuration\n");
        exit(1);
    }
    e = xlu_cfg_readdata(config, data, len);
    if (e) {
        fprintf(stderr, "Failed to parse config file: %s\n", strerror(e));
        exit(1);
    }

    if (!xlu_cfg_get_string(config, "autoballoon", &buf, 0)) {
        if (!strcmp(buf, "on") || !strcmp(buf, "1"))
            autoballoon = 1;
        else if (!strcmp(buf, "off") || !strcmp(buf, "0"))
            autoballoon = 0;
        else if (!strcmp(buf, "auto"))
            autoballoon = -1;
        else
            fprintf(stderr, "invalid autoballoon option");
    }

    if (!xlu_cfg_get_long(config, "run_hotplug_scripts", &l, 0))
        run_hotplug_scripts = l;

    if (!xlu_cfg_get_string(config, "lockfile", &buf, 0))
        lockfile = xstrdup(buf);
    else
        lockfile = default_lockfile();

    if (!xlu_cfg_get_string(config, "vifscript", &buf, 0)) {
        fprintf(stderr, "the global config option vifscript is deprecated, "
                        "please switch to vif.default.script\n");
        replace_global(&default_vifscript, buf);
    }
    if (!xlu_cfg_get_string(config, "vif.default.script", &buf, 0))
        replace_global(&default_vifscript, buf);
    if (!xlu_cfg_get_string(config, "defaultbridge", &buf, 0)) {
        fprintf(stderr, "the global config option defaultbridge is "
                        "deprecated, please switch to vif.default.bridge\n");
        replace_global(&default_bridge, buf);
    }
    if (!xlu_cfg_get_string(config, "vif.default.bridge", &buf, 0))
        replace_global(&default_bridge, buf);
    if (!xlu_cfg_get_string(config, "vif.default.gatewaydev", &buf, 0))
        replace_global(&default_gatewaydev, buf);
    if (!xlu_cfg_get_string(config, "vif.default.backend", &buf, 0))
        replace_global(&default_vifbackend, buf);
    if (!xlu_cfg_get_long(config, "claim_mode", &l, 0))
        claim_mode = l;

    xlu_cfg_destroy(config);
}

/* $XEN_CONFIG_DIR/xl.conf, else the installed one. */
static void read_global_config(void)
{
    const char *dir = getenv("XEN_CONFIG_DIR");
    void *data = NULL;
    int len = 0;
    char *file;

    xasprintf(&file, "%s/xl.conf", dir && *dir ? dir : XEN_CONFIG_DIR);
    if (libxl_read_file_contents(ctx, file, &data, &len))
        fprintf(stderr, "Failed to read config file: %s: %s\n", file,
                strerror(errno));
    parse_global_config(file, data, len);
    free(data);
    free(file);
}

static void xl_ctx_alloc(void)
{
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)logger)) {
        fprintf(stderr, "cannot init xl context\n");
        exit(1);
    }
}

/*
 * A child that goes on without exec must not use the parent's context:
 * its connections belong to the parent. libxl lets go of them (without
 * talking over them) and the child opens its own.
 */
void postfork(void)
{
    libxl_postfork_child_noexec(ctx);
    ctx = NULL;
    xl_ctx_alloc();
}

static void xl_ctx_free(void)
{
    libxl_ctx_free(ctx);
    ctx = NULL;
    if (logger) {
        xtl_logger_destroy((xentoollog_logger *)logger);
        logger = NULL;
    }
    free(lockfile);
    lockfile = NULL;
    free(default_vifscript);
    free(default_bridge);
    free(default_gatewaydev);
    free(default_vifbackend);
}

void help(const char *command)
{
    const struct cmd_spec *cmd;
    int i;

    if (!command || !strcmp(command, "help")) {
        printf("Usage xl [-vfNtT] <subcommand> [args]\n\n");
        printf("xl full list of subcommands:\n\n");
        for (i = 0; i < cmdtable_len; i++) {
            printf(" %-19s ", cmd_table[i].cmd_name);
            if (strlen(cmd_table[i].cmd_name) > 19)
                printf("\n %-19s ", "");
            printf("%s\n", cmd_table[i].cmd_desc);
        }
        return;
    }

    cmd = cmdtable_lookup(command);
    if (!cmd) {
        printf("command \"%s\" not implemented\n", command);
        return;
    }
    printf("Usage: xl [-v%s%s] %s %s\n\n%s.\n\n", cmd->modifies ? "f" : "",
           cmd->can_dryrun ? "N" : "", cmd->cmd_name, cmd->cmd_usage,
           cmd->cmd_desc);
    if (cmd->cmd_option)
        printf("Options:\n\n%s\n", cmd->cmd_option);
}

int main(int argc, char **argv)
{
    const struct cmd_spec *cspec;
    unsigned flags;
    char *cmd;
    int opt;

    while ((opt = getopt(argc, argv, "+vfNtT")) >= 0) {
        switch (opt) {
        case 'v':
            if (minmsglevel > 0)
                minmsglevel--;
            break;
        case 'N':
            dryrun_only = 1;
            break;
        case 'f':
            force_execution = 1;
            break;
        case 't':
            progress_use_cr = 1;
            break;
        case 'T':
            timestamps = 1;
            break;
        default:
            fprintf(stderr, "unknown global option\n");
            exit(EXIT_FAILURE);
        }
    }

    cmd = argv[optind];
    if (!cmd) {
        help(NULL);
        exit(EXIT_FAILURE);
    }
    opterr = 0;

    flags =
        (progress_use_cr ? XTL_STDIOSTREAM_PROGRESS_USE_CR : 0) |
        (timestamps ? XTL_STDIOSTREAM_SHOW_DATE | XTL_STDIOSTREAM_SHOW_PID : 0);
    logger = xtl_createlogger_stdiostream(stderr, minmsglevel, flags);
    if (!logger)
        exit(EXIT_FAILURE);

    atexit(xl_ctx_free);
    xl_ctx_alloc();
    read_global_config();

    /* Each subcommand parses its own options from its own argv[0]. */
    argv += optind;
    argc -= optind;
    optind = 1;

    cspec = cmdtable_lookup(cmd);
    if (cspec) {
        if (dryrun_only && !cspec->can_dryrun) {
            fprintf(stderr, "command does not implement -N (dryrun) option\n");
            return EXIT_FAILURE;
        }
        return cspec->cmd_impl(argc, argv);
    }
    if (!strcmp(cmd, "help")) {
        help(argv[1]);
        return EXIT_SUCCESS;
    }
    fprintf(stderr, "command not implemented\n");
    return EXIT_FAILURE;
}
