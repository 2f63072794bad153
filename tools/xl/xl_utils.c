/*
 * xl: helpers shared by the subcommands: allocation that cannot fail,
 * option parsing, domain lookup, sizes, bitmaps, daemonising.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"

int logfile = 2;
const char *common_domname;

static void __attribute__((noreturn)) out_of_memory(size_t sz)
{
    fprintf(stderr, "xl: Unable to allocate %zu bytes.\n", sz);
    exit(-ERROR_FAIL);
}

void *xcalloc(size_t n, size_t sz)
{
    void *r = calloc(n ? n : 1, sz ? sz : 1);

    if (!r)
        out_of_memory(n * sz);
    return r;
}

void *xrealloc(void *ptr, size_t sz)
{
    void *r;

    if (!sz) {
        free(ptr);
        return NULL;
    }
    r = realloc(ptr, sz);
    if (!r)
        out_of_memory(sz);
    return r;
}

char *xstrdup(const char *s)
{
    char *r = strdup(s);

    if (!r)
        out_of_memory(strlen(s) + 1);
    return r;
}

void xasprintf(char **strp, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(strp, fmt, ap);
    va_end(ap);
    if (r < 0) {
        perror("asprintf failed");
        exit(EXIT_FAILURE);
    }
}

void string_realloc_append(char **accumulate, const char *more)
{
    size_t oldlen = *accumulate ? strlen(*accumulate) : 0;
    size_t morelen = strlen(more) + 1;

    if (oldlen > INT_MAX || morelen > INT_MAX - oldlen) {
        fprintf(stderr, "Additional config data far too large\n");
        exit(-ERROR_FAIL);
    }
    *accumulate = xrealloc(*accumulate, oldlen + morelen);
    memcpy(*accumulate + oldlen, more, morelen);
}

void flush_stream(FILE *fh)
{
    if (ferror(fh) || fflush(fh)) {
        perror(fh == stdout ? "stdout" : "stderr");
        exit(EXIT_FAILURE);
    }
}

/* Monitor messages: to stderr, or the domain's log once daemonised. */
void dolog(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int len;

    va_start(ap, fmt);
    len = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    /* Nowhere to report a failed write of a log line. */
    if (write(logfile, s, len) < 0)
        errno = 0;
    free(s);
}

/* A name or a numeric id; anything else ends xl with status 1. */
uint32_t find_domain(const char *p)
{
    uint32_t domid;
    int rc;

    rc = libxl_domain_qualifier_to_domid(ctx, p, &domid);
    if (rc) {
        fprintf(stderr, "%s is an invalid domain identifier (rc=%d)\n", p, rc);
        exit(EXIT_FAILURE);
    }
    common_domname = libxl_domid_to_name(ctx, domid);
    return domid;
}

int def_getopt(int argc, char *const argv[], const char *optstring,
               const struct option *longopts, const char *helpstr, int reqargs)
{
    static const struct option def_options[] = {COMMON_LONG_OPTS};
    int opt;

    if (!longopts)
        longopts = def_options;
    opterr = 0;
    opt = getopt_long(argc, argv, optstring, longopts, NULL);
    if (opt == '?') {
        if (optopt == 'h') {
            help(helpstr);
            exit(0);
        }
        fprintf(stderr, "option `%c' not supported.\n", optopt);
        exit(2);
    }
    if (opt == 'h') {
        help(helpstr);
        exit(0);
    }
    if (opt != -1)
        return opt;
    if (argc - optind < reqargs) {
        fprintf(stderr, "'xl %s' requires at least %d argument%s.\n\n", helpstr,
                reqargs, reqargs > 1 ? "s" : "");
        help(helpstr);
        exit(2);
    }
    return -1;
}

/* NUMBER[b|k|m|g|t], megabytes without a unit; -1 if malformed. */
int64_t parse_mem_size_kb(const char *mem)
{
    char *end;
    int64_t kb;
    int shift;

    errno = 0;
    kb = strtoll(mem, &end, 10);
    if (end == mem || errno || kb < 0 || strlen(end) > 1)
        return -1;
    switch (tolower((unsigned char)*end)) {
    case 'b':
        return kb >> 10;
    case 'k':
        return kb;
    case '\0':
    case 'm':
        shift = 10;
        break;
    case 'g':
        shift = 20;
        break;
    case 't':
        shift = 30;
        break;
    default:
        return -1;
    }
    if (kb > (INT64_MAX >> shift))
        return -1;
    return kb << shift;
}

/*
 * Ranges of set bits, "0-3,6"; "all" when every bit of the first maplen
 * is set, "none" when none is.
 */
void print_bitmap(const uint8_t *map, int maplen, FILE *stream)
{
    int i = 0, start, ranges = 0;

    while (i < maplen) {
        if (!(map[i / 8] & (1 << (i % 8)))) {
            i++;
            continue;
        }
        start = i;
        while (i < maplen && (map[i / 8] & (1 << (i % 8))))
            i++;
        if (start == 0 && i == maplen) {
            fprintf(stream, "all");
            return;
        }
        fprintf(stream, "%s%d", ranges++ ? "," : "", start);
        if (i - 1 > start)
            fprintf(stream, "-%d", i - 1);
    }
    if (!ranges)
        fprintf(stream, "none");
}

/*
 * Fork a daemon that logs to XEN_LOG_DIR/NAME.log. Returns 1 in the
 * parent once the daemon is set up, 0 in the daemon, or a libxl error.
 */
int do_daemonize(const char *name)
{
    char *fullname = NULL;
    pid_t child;
    int status, nullfd, fd;

    flush_stream(stdout);
    flush_stream(stderr);
    child = fork();
    if (child < 0) {
        perror("fork failed");
        return ERROR_FAIL;
    }
    if (child) {
        while (waitpid(child, &status, 0) < 0) {
            if (errno != EINTR) {
                perror("waitpid");
                return ERROR_FAIL;
            }
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr,
                    "domain monitoring daemonizing child failed "
                    "(status %d)\n",
                    status);
            return ERROR_FAIL;
        }
        return 1;
    }

    if (libxl_create_logfile(ctx, name, &fullname)) {
        LOG("failed to open logfile %s: %s", fullname ? fullname : name,
            strerror(errno));
        _exit(1);
    }
    fd = open(fullname, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    nullfd = open("/dev/null", O_RDONLY);
    if (fd < 0 || nullfd < 0) {
        LOG("failed to open %s: %s", fullname, strerror(errno));
        _exit(1);
    }
    free(fullname);
    dup2(nullfd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    close(nullfd);
    logfile = fd;
    /* daemon() forks again: the grandchild is the monitor, the child
     * exits 0 and tells our parent all went well. */
    if (daemon(0, 1) < 0) {
        LOG("daemon() failed: %s", strerror(errno));
        _exit(1);
    }
    postfork();
    return 0;
}
