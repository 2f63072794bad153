/*
 * xl: console. Replaces xl with the console client attached to the
 * domain's console; returns only if that could not be started.
 */
#include <stdlib.h>
#include <string.h>

#include <libxl.h>

#include "xl.h"

int main_console(int argc, char **argv)
{
    libxl_console_type type = LIBXL_CONSOLE_TYPE_UNKNOWN;
    uint32_t domid;
    char *end;
    long num = 0;
    int opt;

    SWITCH_FOREACH_OPT(opt, "n:t:", NULL, "console", 1)
    {
    case 't':
        if (!strcmp(optarg, "pv"))
            type = LIBXL_CONSOLE_TYPE_PV;
        else if (!strcmp(optarg, "serial"))
            type = LIBXL_CONSOLE_TYPE_SERIAL;
        else if (!strcmp(optarg, "vuart"))
            type = LIBXL_CONSOLE_TYPE_VUART;
        else {
            fprintf(stderr, "console type supported are: pv, serial, vuart\n");
            return EXIT_FAILURE;
        }
        break;
    case 'n':
        num = strtol(optarg, &end, 10);
        if (end == optarg || *end || num < 0 || num > 0xffff) {
            fprintf(stderr, "invalid console number: %s\n", optarg);
            return EXIT_FAILURE;
        }
        break;
    }

    domid = find_domain(argv[optind]);
    if (type == LIBXL_CONSOLE_TYPE_UNKNOWN)
        libxl_primary_console_exec(ctx, domid, -1);
    else
        libxl_console_exec(ctx, domid, num, type, -1);
    fprintf(stderr, "Unable to attach console\n");
    return EXIT_FAILURE;
}
