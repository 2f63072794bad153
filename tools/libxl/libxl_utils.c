/*
 * Helpers for programs (libxl_utils.h) and the userdata files.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libxl_internal.h"

XENTOOLS_EXPORT char *libxl_basename(const char *name)
{
    const char *slash = strrchr(name, '/');

    return strdup(slash ? slash + 1 : name);
}

/* ---- Names ---- */

XENTOOLS_EXPORT char *libxl_domid_to_name(libxl_ctx *ctx, uint32_t domid)
{
    char path[LIBXL__PATH_MAX];
    char *name;

    if (libxl__need_xs(ctx))
        return NULL;
    libxl__path(path, "/local/domain/%" PRIu32 "/name", domid);
    name = libxl__xs_read(ctx, XBT_NULL, path);
    /* The host is Domain-0 even before anyone has written it down. */
    if (!name && domid == 0)
        name = strdup("Domain-0");
    return name;
}

XENTOOLS_EXPORT int libxl_name_to_domid(libxl_ctx *ctx, const char *name,
                                        uint32_t *domid)
{
    libxl_dominfo *list;
    int nb, rc = ERROR_INVAL;

    list = libxl_list_domain(ctx, &nb);
    if (!list)
        return ERROR_NOMEM;
    for (int i = 0; i < nb && rc; i++) {
        char *n = libxl_domid_to_name(ctx, list[i].domid);

        if (n && !strcmp(n, name)) {
            *domid = list[i].domid;
            rc = 0;
        }
        free(n);
    }
    libxl_dominfo_list_free(list, nb);
    return rc;
}

XENTOOLS_EXPORT int libxl_domain_qualifier_to_domid(libxl_ctx *ctx,
                                                    const char *name,
                                                    uint32_t *domid)
{
    unsigned long v;
    char *end;

    for (const char *p = name; *p; p++)
        if (!isdigit((unsigned char)*p))
            return libxl_name_to_domid(ctx, name, domid);
    if (!*name)
        return ERROR_INVAL;
    errno = 0;
    v = strtoul(name, &end, 10);
    if (errno || v > UINT32_MAX)
        return ERROR_INVAL;
    *domid = v;
    return 0;
}

/* ---- Files ---- */

static const char *env_dir(const char *var, const char *dflt)
{
    const char *dir = getenv(var);

    return dir && *dir ? dir : dflt;
}

const char *libxl__xen_lib_dir(void)
{
    return env_dir("XEN_LIB_DIR", LIBXL_XEN_LIB_DIR);
}

static int log_rename(libxl_ctx *ctx, const char *from, const char *to)
{
    if (rename(from, to) && errno != ENOENT) {
        LOGE(ERROR, "failed to rotate logfile - could not rename %s as %s",
             from, to);
        return ERROR_FAIL;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_create_logfile(libxl_ctx *ctx, const char *name,
                                         char **full_name)
{
    const char *dir = env_dir("XEN_LOG_DIR", LIBXL_XEN_LOG_DIR);
    char from[PATH_MAX], to[PATH_MAX + 8];
    struct stat st;
    int rc;

    if (snprintf(from, sizeof(from), "%s/%s.log", dir, name) >=
        (int)sizeof(from)) {
        LOG(ERROR, "log file name %s/%s.log is too long", dir, name);
        return ERROR_INVAL;
    }
    if (!stat(from, &st)) {
        /* Keep ten old logs: .1 is the newest. */
        snprintf(to, sizeof(to), "%s.10", from);
        unlink(to);
        for (int i = 9; i > 0; i--) {
            char older[PATH_MAX + 8], newer[PATH_MAX + 8];

            snprintf(older, sizeof(older), "%s.%d", from, i);
            snprintf(newer, sizeof(newer), "%s.%d", from, i + 1);
            rc = log_rename(ctx, older, newer);
            if (rc)
                return rc;
        }
        snprintf(to, sizeof(to), "%s.1", from);
        rc = log_rename(ctx, from, to);
        if (rc)
            return rc;
    } else if (errno != ENOENT) {
        LOGE(WARN,
             "problem checking existence of logfile %s, which might "
             "have needed to be rotated",
             from);
    }
    *full_name = strdup(from);
    return *full_name ? 0 : ERROR_NOMEM;
}

XENTOOLS_EXPORT int libxl_read_exactly(libxl_ctx *ctx, int fd, void *data,
                                       ssize_t sz, const char *filename,
                                       const char *what)
{
    char *p = data;

    while (sz > 0) {
        ssize_t n = read(fd, p, sz);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            LOGE(ERROR, "failed to read %s%s%s", what ? what : "",
                 what ? " from " : "", filename);
            return errno;
        }
        if (n == 0) {
            LOG(ERROR, "file/stream truncated reading %s%s%s", what ? what : "",
                what ? " from " : "", filename);
            return EPROTO;
        }
        p += n;
        sz -= n;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_write_exactly(libxl_ctx *ctx, int fd,
                                        const void *data, ssize_t sz,
                                        const char *filename, const char *what)
{
    const char *p = data;

    while (sz > 0) {
        ssize_t n = write(fd, p, sz);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            LOGE(ERROR, "failed to write %s%s%s", what ? what : "",
                 what ? " to " : "", filename);
            return errno;
        }
        p += n;
        sz -= n;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_read_file_contents(libxl_ctx *ctx,
                                             const char *filename,
                                             void **data_r, int *datalen_r)
{
    void *data = NULL;
    struct stat st;
    int fd, e;

    fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        if (e != ENOENT)
            LOGE(ERROR, "failed to open %s", filename);
        return e;
    }
    if (fstat(fd, &st)) {
        e = errno;
        LOGE(ERROR, "failed to stat %s", filename);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        e = EINVAL;
        LOG(ERROR, "%s is not a plain file", filename);
        goto out;
    }
    if (st.st_size > INT_MAX) {
        e = EFBIG;
        LOG(ERROR, "file %s is far too large", filename);
        goto out;
    }
    if (st.st_size) {
        data = malloc(st.st_size);
        if (!data) {
            e = ENOMEM;
            LOG(ERROR, "out of memory reading %s", filename);
            goto out;
        }
        e = libxl_read_exactly(ctx, fd, data, st.st_size, filename, NULL);
        if (e)
            goto out;
    }
    if (datalen_r)
        *datalen_r = st.st_size;
    if (data_r) {
        *data_r = data;
        data = NULL;
    }
    e = 0;
out:
    free(data);
    close(fd);
    return e;
}

XENTOOLS_EXPORT void libxl_report_child_exitstatus(libxl_ctx *ctx,
                                                   xentoollog_level level,
                                                   const char *what, pid_t pid,
                                                   int status)
{
#define REPORT(...)                                                            \
    libxl__log(ctx, level, -1, __FILE__, __LINE__, __func__, INVALID_DOMID,    \
               __VA_ARGS__)
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status))
            REPORT("%s [%ld] exited with error status %d", what, (long)pid,
                   WEXITSTATUS(status));
        else
            REPORT("%s [%ld] unexpectedly exited status zero", what, (long)pid);
    } else if (WIFSIGNALED(status)) {
        REPORT("%s [%ld] died due to fatal signal %s%s", what, (long)pid,
               strsignal(WTERMSIG(status)),
               WCOREDUMP(status) ? " (core dumped)" : "");
    } else {
        REPORT("%s [%ld] gave unknown wait status 0x%x", what, (long)pid,
               status);
    }
#undef REPORT
}

/* ---- Bitmaps sized for the host ---- */

XENTOOLS_EXPORT int libxl_cpu_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *cpumap,
                                           int max_cpus)
{
    if (max_cpus < 0)
        return ERROR_INVAL;
    if (!max_cpus)
        max_cpus = libxl_get_max_cpus(ctx);
    if (max_cpus < 0)
        return max_cpus;
    return libxl_bitmap_alloc(ctx, cpumap, max_cpus);
}

/*
 * The CPUs of NUMA node @node into an allocated @cpumap. The hypervisor
 * reports no topology: a host is one node holding every CPU.
 */
XENTOOLS_EXPORT int libxl_node_to_cpumap(libxl_ctx *ctx, int node,
                                         libxl_bitmap *cpumap)
{
    libxl_physinfo info;
    int rc;

    libxl_physinfo_init(&info);
    rc = libxl_get_physinfo(ctx, &info);
    if (!rc && (node < 0 || (uint32_t)node >= info.nr_nodes)) {
        LOG(ERROR, "NUMA node %d does not exist (the host has %u)", node,
            info.nr_nodes);
        rc = ERROR_INVAL;
    } else if (!rc && info.nr_nodes > 1) {
        LOG(ERROR, "the CPUs of NUMA nodes are not known on a host with %u "
                   "nodes", info.nr_nodes);
        rc = ERROR_FAIL;
    }
    if (!rc) {
        libxl_bitmap_set_none(cpumap);
        for (uint32_t i = 0; i <= info.max_cpu_id; i++)
            libxl_bitmap_set(cpumap, i);
    }
    libxl_physinfo_dispose(&info);
    return rc;
}

XENTOOLS_EXPORT int
libxl_node_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *nodemap, int max_nodes)
{
    if (max_nodes < 0)
        return ERROR_INVAL;
    if (!max_nodes)
        max_nodes = libxl_get_max_nodes(ctx);
    if (max_nodes < 0)
        return max_nodes;
    return libxl_bitmap_alloc(ctx, nodemap, max_nodes);
}

/* ---- Userdata ---- */

/* Short names only: they become part of a file name. */
static bool userid_ok(const char *userid)
{
    size_t n = strlen(userid);

    if (!n || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)userid[i]) && userid[i] != '-' &&
            userid[i] != '_')
            return false;
    return true;
}

/*
 * The file of @userid for @domid in @path: @wh is 'd' for the data, 'n'
 * for a new copy being written.
 */
static int userdata_path(libxl_ctx *ctx, uint32_t domid, const char *userid,
                         char wh, char path[PATH_MAX])
{
    xc_domaininfo_t info;
    int rc;

    if (!userid_ok(userid)) {
        LOGD(ERROR, domid, "userdata name \"%s\" is not [-_a-zA-Z0-9]{1,64}",
             userid);
        return ERROR_INVAL;
    }
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    rc = libxl__domain_getinfo(ctx, domid, &info);
    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "no such domain: cannot keep userdata for it");
        return rc;
    }
    if (snprintf(path, PATH_MAX,
                 "%s/userdata-%c%" PRIu32 "." LIBXL_UUID_FMT ".%s",
                 libxl__xen_lib_dir(), wh, domid,
                 LIBXL__UUID_BYTES(info.handle), userid) >= PATH_MAX) {
        LOG(ERROR, "userdata path in %s is too long", libxl__xen_lib_dir());
        return ERROR_INVAL;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_userdata_store(libxl_ctx *ctx, uint32_t domid,
                                         const char *userdata_userid,
                                         const uint8_t *data, int datalen)
{
    char path[PATH_MAX], newpath[PATH_MAX];
    int fd, e, rc;

    if (datalen < 0)
        return ERROR_INVAL;
    rc = userdata_path(ctx, domid, userdata_userid, 'd', path);
    if (rc)
        return rc;
    if (!datalen)
        return libxl_userdata_unlink(ctx, domid, userdata_userid);
    rc = userdata_path(ctx, domid, userdata_userid, 'n', newpath);
    if (rc)
        return rc;
    /* A fresh host may not have the directory yet. */
    if (mkdir(libxl__xen_lib_dir(), 0700) && errno != EEXIST)
        LOGED(WARN, domid, "cannot create %s", libxl__xen_lib_dir());
    /* Write a new file and rename it over: readers never see half. */
    fd = open(newpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        LOGED(ERROR, domid, "cannot create %s (is %s writable?)", newpath,
              libxl__xen_lib_dir());
        return ERROR_FAIL;
    }
    e = libxl_write_exactly(ctx, fd, data, datalen, newpath, "userdata");
    if (close(fd) && !e)
        e = errno;
    if (!e && rename(newpath, path))
        e = errno;
    if (e) {
        LOGEVD(ERROR, e, domid, "cannot store userdata %s", path);
        unlink(newpath);
        return ERROR_FAIL;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_userdata_retrieve(libxl_ctx *ctx, uint32_t domid,
                                            const char *userdata_userid,
                                            uint8_t **data_r, int *datalen_r)
{
    char path[PATH_MAX];
    void *data = NULL;
    int len = 0, e, rc;

    rc = userdata_path(ctx, domid, userdata_userid, 'd', path);
    if (rc)
        return rc;
    e = libxl_read_file_contents(ctx, path, &data, &len);
    if (e && e != ENOENT)
        return ERROR_FAIL;
    if (data_r)
        *data_r = data;
    else
        free(data);
    if (datalen_r)
        *datalen_r = len;
    return 0;
}

XENTOOLS_EXPORT int libxl_userdata_unlink(libxl_ctx *ctx, uint32_t domid,
                                          const char *userdata_userid)
{
    char path[PATH_MAX];
    int rc;

    rc = userdata_path(ctx, domid, userdata_userid, 'd', path);
    if (rc)
        return rc;
    if (unlink(path) && errno != ENOENT) {
        LOGED(ERROR, domid, "cannot remove %s", path);
        return ERROR_FAIL;
    }
    return 0;
}

void libxl__userdata_destroyall(libxl_ctx *ctx, uint32_t domid)
{
    char pattern[PATH_MAX];
    glob_t gl;

    /* 'd' and 'n' files; "d5." cannot match domain 15's "d15.". */
    if (snprintf(pattern, sizeof(pattern), "%s/userdata-?%" PRIu32 ".*",
                 libxl__xen_lib_dir(), domid) >= (int)sizeof(pattern))
        return;
    if (glob(pattern, GLOB_NOSORT, NULL, &gl))
        return;
    for (size_t i = 0; i < gl.gl_pathc; i++)
        if (unlink(gl.gl_pathv[i]) && errno != ENOENT)
            LOGED(WARN, domid, "cannot remove userdata %s", gl.gl_pathv[i]);
    globfree(&gl);
}
