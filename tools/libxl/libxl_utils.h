/*
 * libxl_utils.h - libxenlight's helpers for programs (Xen 4.17's names).
 */
#ifndef LIBXL_UTILS_H
#define LIBXL_UTILS_H

#include "libxl.h"

/* The last component of @name, malloc'd (NULL if out of memory). */
char *libxl_basename(const char *name);

/*
 * Domain names and ids. name_to_domid: ERROR_INVAL if no domain has the
 * name. qualifier_to_domid: @name is a domain id in decimal or a name.
 * domid_to_name: malloc'd name, NULL if the domain has none.
 */
int libxl_name_to_domid(libxl_ctx *ctx, const char *name, uint32_t *domid);
int libxl_domain_qualifier_to_domid(libxl_ctx *ctx, const char *name,
                                    uint32_t *domid);
char *libxl_domid_to_name(libxl_ctx *ctx, uint32_t domid);

/*
 * A log file $XEN_LOG_DIR/@name.log (default /var/log/xen) for a new
 * run: an existing one is kept as @name.log.1 (and .1 as .2 ..., up to
 * .10). Its path, malloc'd, in *@full_name.
 */
int libxl_create_logfile(libxl_ctx *ctx, const char *name, char **full_name);

/*
 * The contents of a plain file, malloc'd (an empty file gives NULL and
 * 0): 0 or an errno value (logged unless ENOENT). On error the outputs
 * are unchanged; either may be NULL.
 */
int libxl_read_file_contents(libxl_ctx *ctx, const char *filename,
                             void **data_r, int *datalen_r);

/*
 * Exactly @sz bytes, retrying short transfers: 0 or an errno value
 * (EPROTO for a file that ended early), logged with @filename and @what
 * (may be NULL).
 */
int libxl_read_exactly(libxl_ctx *ctx, int fd, void *data, ssize_t sz,
                       const char *filename, const char *what);
int libxl_write_exactly(libxl_ctx *ctx, int fd, const void *data, ssize_t sz,
                        const char *filename, const char *what);

/* Log a child's wait status at @level, as a failure ("exited with ..."). */
void libxl_report_child_exitstatus(libxl_ctx *ctx, xentoollog_level level,
                                   const char *what, pid_t pid, int status);

/* Bitmaps sized for every pCPU / NUMA node the host may have (0: all). */
int libxl_cpu_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *cpumap, int max_cpus);
/* The CPUs of NUMA node @node into the allocated @cpumap. */
int libxl_node_to_cpumap(libxl_ctx *ctx, int node, libxl_bitmap *cpumap);
int libxl_node_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *nodemap,
                            int max_nodes);

#endif /* LIBXL_UTILS_H */
