/*
 * libxl.h - libxenlight, the toolstack library (libxenlight.so.4.17).
 *
 * The subset of Xen 4.17's libxl API that Xenon implements, with Xen's
 * names, signatures, types (generated from the IDL into _libxl_types.h)
 * and error codes, so that programs written for Xen's libxl compile and
 * link against it.
 *
 * Conventions, as in Xen:
 * - Functions return 0 or a negative libxl error code (ERROR_FAIL,
 *   ERROR_INVAL, ...; see libxl_error in _libxl_types.h) and log what
 *   went wrong through the context's logger. Functions returning a
 *   pointer return NULL on failure.
 * - A context (libxl_ctx) is made with libxl_ctx_alloc. It connects to
 *   the hypervisor and xenstored when first needed: a context serves
 *   JSON and type conversions without them, and calls that need them
 *   fail with ERROR_FAIL and a message saying which is not running.
 * - Environment: XEN_RUN_DIR (the hypervisor's privcmd socket),
 *   XENSTORED_PATH / XENSTORED_RUNDIR (xenstored), XEN_LIB_DIR (userdata,
 *   default /var/lib/xen), XENCONSOLE_PATH (the xenconsole client).
 * - Long operations take a libxl_asyncop_how *ao_how: NULL makes them
 *   synchronous. Otherwise they return 0 and report their result through
 *   ao_how->callback or, without one, an OPERATION_COMPLETE event. On
 *   Xenon every operation finishes before its initiating call returns,
 *   so a callback has always run by then (Xen allows this).
 *
 * Domains: only PVH guests can be created so far; HVM and PV
 * configurations are refused with ERROR_INVAL. Devices in a
 * libxl_domain_config (disks, nics, ...) are stored but not acted on.
 */
#ifndef LIBXL_H
#define LIBXL_H

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h> /* pid_t */

#include <xentoollog.h>

#ifdef LIBXL_API_VERSION
#if LIBXL_API_VERSION != 0x040200 && LIBXL_API_VERSION != 0x040300 &&          \
    LIBXL_API_VERSION != 0x040400 && LIBXL_API_VERSION != 0x040500 &&          \
    LIBXL_API_VERSION != 0x040700 && LIBXL_API_VERSION != 0x040800 &&          \
    LIBXL_API_VERSION != 0x041300 && LIBXL_API_VERSION != 0x041400
#error Unknown LIBXL_API_VERSION
#endif
#endif

/*
 * Marks functions whose old-API forms are macros here: inside libxl
 * (where libxl_internal.h defines it away) it is empty.
 */
#ifndef LIBXL_EXTERNAL_CALLERS_ONLY
#define LIBXL_EXTERNAL_CALLERS_ONLY /* disappears for callers outside libxl */
#endif

/* What this implementation provides, by Xen's feature macros. */
#define LIBXL_HAVE_RETRIEVE_DOMAIN_CONFIGURATION 1
#define LIBXL_HAVE_ERROR_DOMAIN_NOTFOUND 1
#define LIBXL_HAVE_CONSOLE_NOTIFY_FD 1
#define LIBXL_HAVE_USERDATA_UNLINK 1
#define LIBXL_HAVE_VCPUINFO_SOFT_AFFINITY 1
#define LIBXL_HAVE_SET_VCPUAFFINITY_FORCE 1
#define LIBXL_HAVE_BUILDINFO_KERNEL 1
#define LIBXL_HAVE_DOMAIN_NEED_MEMORY_CONST_B_INFO 1
#define LIBXL_HAVE_MEMKB_64BITS 1
#define LIBXL_HAVE_AO_ABORT 1
#define LIBXL_HAVE_CPUPOOL_QUALIFIER_TO_CPUPOOLID 1
#define LIBXL_HAVE_CPUPOOL_ADD_REM_CPUMAP 1
#define LIBXL_HAVE_CPUPOOL_NAME 1
#define LIBXL_HAVE_SCHED_NULL 1
#define LIBXL_HAVE_SCHED_CREDIT2_PARAMS 1
#define LIBXL_HAVE_SCHED_CREDIT_MIGR_DELAY
#if !defined(LIBXL_API_VERSION) || LIBXL_API_VERSION != 0x040200
#define LIBXL_HAVE_NONCONST_EVENT_OCCURS_EVENT_ARG 1
#endif

/*
 * The base types (libxl_ctx, libxl_defbool, libxl_bitmap, libxl_uuid,
 * ...), then the types generated from libxl_types.idl.
 */
#include <libxl_basetypes.h>
#include <_libxl_types.h>

/* ---- Asynchronous operations ---- */

typedef struct {
    void (*callback)(libxl_ctx *ctx, int rc, void *for_callback);
    union {
        libxl_ev_user for_event; /* used if callback == NULL */
        void *for_callback;      /* passed to callback */
    } u;
} libxl_asyncop_how;

/*
 * Intermediate progress of an operation (aop_FOO_how): NULL discards
 * it; a NULL callback makes it an event for libxl_event_wait/check;
 * otherwise the callback gets the event (and must free it).
 */
typedef struct {
    void (*callback)(libxl_ctx *ctx, libxl_event *, void *for_callback);
    libxl_ev_user for_event; /* always used */
    void *for_callback;      /* passed to callback */
} libxl_asyncprogress_how;

/*
 * Operations run to completion before they return, so there is never
 * one to abort: ERROR_NOTFOUND.
 */
int libxl_ao_abort(libxl_ctx *ctx,
                   const libxl_asyncop_how *how) LIBXL_EXTERNAL_CALLERS_ONLY;

/* ---- Context ---- */

#define LIBXL_VERSION 0

/*
 * A new context in *@pctx. @version must be LIBXL_VERSION, @flags 0.
 * @lg receives every message (it must outlive the context).
 */
int libxl_ctx_alloc(libxl_ctx **pctx, int version,
                    unsigned flags /* none currently defined */,
                    xentoollog_logger *lg);
/* Free a context (NULL is fine); disables its event generators. */
int libxl_ctx_free(libxl_ctx *ctx /* 0 is OK */);

/* ---- Domains ---- */

#define INVALID_DOMID ~0
#define RANDOM_DOMID (INVALID_DOMID - 1)

/*
 * Create a domain from @d_config (PVH only, so far), whose unset fields
 * are filled with their defaults. The new id comes back in *@domid. As
 * in Xen, the domain is left paused: the caller unpauses it (xl does,
 * unless asked for -p). A failure destroys everything the attempt made.
 * @aop_console_how reports LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE
 * once the console can be attached.
 */
int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config,
                            uint32_t *domid, const libxl_asyncop_how *ao_how,
                            const libxl_asyncprogress_how *aop_console_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * The configuration a domain was created with (stored as its
 * "libxl-json" userdata), with the values that changed since (name,
 * memory target, max memory, online vCPUs) brought up to date.
 */
int libxl_retrieve_domain_configuration(
    libxl_ctx *ctx, uint32_t domid, libxl_domain_config *d_config,
    const libxl_asyncop_how *ao_how) LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Ask the guest to power off / reboot through its PV control node
 * (control/shutdown); a guest that has not advertised
 * control/feature-poweroff (feature-reboot) is shut down by the
 * hypervisor instead (SCHEDOP_remote_shutdown). Returns once asked.
 */
int libxl_domain_shutdown(libxl_ctx *ctx, uint32_t domid,
                          const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_domain_reboot(libxl_ctx *ctx, uint32_t domid,
                        const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Destroy a domain, running or half-built, and release all the toolstack
 * holds for it: the domain, /local/domain/N, /vm/UUID, /libxl/N and its
 * userdata files.
 */
int libxl_domain_destroy(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Keep a shut-down domain's remains for inspection (on_*=preserve): it
 * is renamed to its name with @name_suffix appended and gets @new_uuid
 * (a new /vm/UUID), so that a new domain can take its name.
 */
int libxl_domain_preserve(libxl_ctx *ctx, uint32_t domid,
                          libxl_domain_create_info *info,
                          const char *name_suffix, libxl_uuid new_uuid);

/* pCPUs the hypervisor supports / has online; NUMA nodes. */
int libxl_get_max_cpus(libxl_ctx *ctx);
int libxl_get_online_cpus(libxl_ctx *ctx);
int libxl_get_max_nodes(libxl_ctx *ctx);

/* Rename; with @old_name non-NULL, only if the name is still that. */
int libxl_domain_rename(libxl_ctx *ctx, uint32_t domid, const char *old_name,
                        const char *new_name);

int libxl_domain_pause(libxl_ctx *ctx, uint32_t domid,
                       const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_domain_unpause(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/* ---- Memory (KiB) ---- */

/* The most memory the domain may have. */
int libxl_domain_setmaxmem(libxl_ctx *ctx, uint32_t domid,
                           uint64_t target_memkb);
/*
 * Set the balloon target (memory/target), absolute or @relative to the
 * current one; with @enforce, also the maximum.
 */
int libxl_set_memory_target(libxl_ctx *ctx, uint32_t domid,
                            int64_t target_memkb, int relative, int enforce);
int libxl_get_memory_target(libxl_ctx *ctx, uint32_t domid,
                            uint64_t *out_target);

/*
 * How much free memory creating @config needs (its defaults filled in).
 */
int libxl_domain_need_memory(libxl_ctx *ctx, libxl_domain_config *config,
                             uint32_t domid_for_logging /* INVALID_DOMID ok */,
                             uint64_t *need_memkb);
/* Free memory of the host. */
int libxl_get_free_memory(libxl_ctx *ctx, uint64_t *memkb);
/* Wait up to @wait_secs for @memory_kb to be free: 0 or ERROR_NOMEM. */
int libxl_wait_for_free_memory(libxl_ctx *ctx, uint32_t domid,
                               uint64_t memory_kb, int wait_secs);
/* Wait up to @wait_secs for the domain to reach its memory target. */
int libxl_wait_for_memory_target(libxl_ctx *ctx, uint32_t domid, int wait_secs);

/* ---- Consoles ---- */

/*
 * Replace this process with the xenconsole client attached to console
 * @cons_num of @domid (it returns only on failure). @notify_fd, if not
 * -1, gets a byte once the client is connected.
 */
int libxl_console_exec(libxl_ctx *ctx, uint32_t domid, int cons_num,
                       libxl_console_type type, int notify_fd);
/* The same for the domain's primary console (PV console 0 for PVH). */
int libxl_primary_console_exec(libxl_ctx *ctx, uint32_t domid_vm,
                               int notify_fd);
/* The pty of a console, malloc'd in *@path (xenconsoled fills it in). */
int libxl_console_get_tty(libxl_ctx *ctx, uint32_t domid, int cons_num,
                          libxl_console_type type, char **path);
int libxl_primary_console_get_tty(libxl_ctx *ctx, uint32_t domid_vm,
                                  char **path);

/* ---- Information ---- */

/*
 * One domain; @info_r may be NULL to test whether it exists
 * (ERROR_DOMAIN_NOTFOUND if not). Dispose *@info_r with
 * libxl_dominfo_dispose.
 */
int libxl_domain_info(libxl_ctx *, libxl_dominfo *info_r, uint32_t domid);

/* Arrays of *@nb_*_out elements, freed with the matching _list_free. */
libxl_dominfo *libxl_list_domain(libxl_ctx *, int *nb_domain_out);
void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain);

libxl_vcpuinfo *libxl_list_vcpu(libxl_ctx *ctx, uint32_t domid, int *nb_vcpu,
                                int *nr_cpus_out);
void libxl_vcpuinfo_list_free(libxl_vcpuinfo *, int nr_vcpus);

/* The hypervisor's version; owned by the context. */
const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx);
int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo);
/* The scheduler of the default pool (libxl_scheduler), or an error. */
int libxl_get_scheduler(libxl_ctx *ctx);
/* /vm/UUID/start_time of the domain, in seconds; 0 if unknown. */
uint32_t libxl_vm_get_start_time(libxl_ctx *ctx, uint32_t domid);

/* ---- vCPUs ---- */

/*
 * Hard and soft affinity of one vCPU / all @max_vcpus vCPUs; either map
 * may be NULL to leave that one alone. The _force form applies a hard
 * affinity even when it conflicts with the domain's soft affinity.
 */
int libxl_set_vcpuaffinity(libxl_ctx *ctx, uint32_t domid, uint32_t vcpuid,
                           const libxl_bitmap *cpumap_hard,
                           const libxl_bitmap *cpumap_soft);
int libxl_set_vcpuaffinity_force(libxl_ctx *ctx, uint32_t domid,
                                 uint32_t vcpuid,
                                 const libxl_bitmap *cpumap_hard,
                                 const libxl_bitmap *cpumap_soft);
int libxl_set_vcpuaffinity_all(libxl_ctx *ctx, uint32_t domid,
                               unsigned int max_vcpus,
                               const libxl_bitmap *cpumap_hard,
                               const libxl_bitmap *cpumap_soft);

/*
 * Bring vCPUs online (bit set) or offline: written to cpu/N/availability
 * for the guest to act on.
 */
int libxl_set_vcpuonline(libxl_ctx *ctx, uint32_t domid, libxl_bitmap *cpumap,
                         const libxl_asyncop_how *ao_how)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/* ---- Scheduler parameters ---- */

/*
 * A domain's parameters under its cpupool's scheduler. _get fills every
 * field (sched says which scheduler; those it lacks stay at their
 * LIBXL_DOMAIN_SCHED_PARAM_*_DEFAULT). _set changes the fields that are
 * not at their default; @scinfo->sched must be the pool's scheduler or
 * LIBXL_SCHEDULER_UNKNOWN. Weight 1-65535, cap 0 (none) to 100 per vCPU.
 */
int libxl_domain_sched_params_get(libxl_ctx *ctx, uint32_t domid,
                                  libxl_domain_sched_params *params);
int libxl_domain_sched_params_set(libxl_ctx *ctx, uint32_t domid,
                                  const libxl_domain_sched_params *params);

/* A cpupool's credit / credit2 parameters; _set gives back what is used. */
int libxl_sched_credit_params_get(libxl_ctx *ctx, uint32_t poolid,
                                  libxl_sched_credit_params *scinfo);
int libxl_sched_credit_params_set(libxl_ctx *ctx, uint32_t poolid,
                                  libxl_sched_credit_params *scinfo);
int libxl_sched_credit2_params_get(libxl_ctx *ctx, uint32_t poolid,
                                   libxl_sched_credit2_params *scinfo);
int libxl_sched_credit2_params_set(libxl_ctx *ctx, uint32_t poolid,
                                   libxl_sched_credit2_params *scinfo);

/* ---- cpupools ---- */

#define LIBXL_CPUPOOL_POOLID_ANY 0xFFFFFFFF

/*
 * Every pool (freed with libxl_cpupoolinfo_list_free), one pool (dispose
 * with libxl_cpupoolinfo_dispose), the pCPUs in no pool.
 */
libxl_cpupoolinfo *libxl_list_cpupool(libxl_ctx *, int *nb_pool_out);
void libxl_cpupoolinfo_list_free(libxl_cpupoolinfo *list, int nb_pool);
int libxl_cpupool_info(libxl_ctx *ctx, libxl_cpupoolinfo *info,
                       uint32_t poolid);
int libxl_get_freecpus(libxl_ctx *ctx, libxl_bitmap *cpumap);

/*
 * A new pool named @name (unique) with scheduler @sched and the free
 * pCPUs of @cpumap; *@poolid is the id wanted (LIBXL_CPUPOOL_POOLID_ANY
 * for any) and comes back as the new pool's.
 */
int libxl_cpupool_create(libxl_ctx *ctx, const char *name,
                         libxl_scheduler sched, libxl_bitmap cpumap,
                         libxl_uuid *uuid, uint32_t *poolid);
/* A pool without domains: its pCPUs are freed, then it goes. */
int libxl_cpupool_destroy(libxl_ctx *ctx, uint32_t poolid);
int libxl_cpupool_rename(libxl_ctx *ctx, const char *name, uint32_t poolid);
/*
 * Move free pCPUs into a pool / pCPUs of a pool out of it (pCPU 0 stays
 * in Pool-0; a pool with domains keeps its last pCPU). The _cpumap
 * forms try every pCPU of the map and fail if any one failed.
 */
int libxl_cpupool_cpuadd(libxl_ctx *ctx, uint32_t poolid, int cpu);
int libxl_cpupool_cpuadd_cpumap(libxl_ctx *ctx, uint32_t poolid,
                                const libxl_bitmap *cpumap);
int libxl_cpupool_cpuremove(libxl_ctx *ctx, uint32_t poolid, int cpu);
int libxl_cpupool_cpuremove_cpumap(libxl_ctx *ctx, uint32_t poolid,
                                   const libxl_bitmap *cpumap);
/*
 * Move a domain into a pool: its vCPUs' affinities and its scheduling
 * parameters are reset. Domain 0 cannot move itself (the hypervisor
 * refuses, as Xen does).
 */
int libxl_cpupool_movedomain(libxl_ctx *ctx, uint32_t poolid, uint32_t domid);

/*
 * Names (/local/pool/N/name) and ids: cpupoolid_to_name is malloc'd
 * (NULL if none); name_to_cpupoolid gives ERROR_INVAL for an unknown
 * name; a qualifier is a pool id in decimal or a name (*@was_name_r, if
 * not NULL, says which).
 */
char *libxl_cpupoolid_to_name(libxl_ctx *ctx, uint32_t poolid);
int libxl_name_to_cpupoolid(libxl_ctx *ctx, const char *name, uint32_t *poolid);
int libxl_cpupoolid_is_valid(libxl_ctx *ctx, uint32_t poolid);
int libxl_cpupool_qualifier_to_cpupoolid(libxl_ctx *ctx, const char *p,
                                         uint32_t *poolid_r, int *was_name_r);

/* ---- The hypervisor's console ring (xl dmesg) ---- */

typedef struct libxl__xen_console_reader libxl_xen_console_reader;

/* A reader of the ring as it is now; with @clear, the ring is emptied. */
libxl_xen_console_reader *libxl_xen_console_read_start(libxl_ctx *ctx,
                                                       int clear);
/*
 * The next line (with its newline) in *@line_r, owned by the reader:
 * returns 1, or 0 at the end, or an error.
 */
int libxl_xen_console_read_line(libxl_ctx *ctx, libxl_xen_console_reader *cr,
                                char **line_r);
void libxl_xen_console_read_finish(libxl_ctx *ctx,
                                   libxl_xen_console_reader *cr);

/* ---- Userdata: per-domain files kept by the toolstack ---- */

/*
 * Stored in $XEN_LIB_DIR/userdata-d<domid>.<uuid>.<userdata_userid>,
 * removed when the domain is destroyed. @userdata_userid is a short
 * name of [-_a-zA-Z0-9]; "libxl-json" is libxl's own. Storing empty
 * data (@datalen 0) removes the entry; retrieving a missing one gives
 * *@datalen_r 0 and *@data_r NULL.
 */
int libxl_userdata_store(libxl_ctx *ctx, uint32_t domid,
                         const char *userdata_userid, const uint8_t *data,
                         int datalen) LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_userdata_retrieve(libxl_ctx *ctx, uint32_t domid,
                            const char *userdata_userid, uint8_t **data_r,
                            int *datalen_r) LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_userdata_unlink(libxl_ctx *ctx, uint32_t domid,
                          const char *userdata_userid);

/* Whether @domid can name a guest: not 0, not a reserved id. */
int libxl_domid_valid_guest(uint32_t domid);

/* ---- Earlier API versions (LIBXL_API_VERSION) ---- */

#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_domain_pause_0x041200(libxl_ctx *ctx, uint32_t domid)
{
    return libxl_domain_pause(ctx, domid, NULL);
}
static inline int libxl_domain_unpause_0x041200(libxl_ctx *ctx, uint32_t domid)
{
    return libxl_domain_unpause(ctx, domid, NULL);
}
static inline int libxl_domain_shutdown_0x041200(libxl_ctx *ctx, uint32_t domid)
{
    return libxl_domain_shutdown(ctx, domid, NULL);
}
static inline int libxl_domain_reboot_0x041200(libxl_ctx *ctx, uint32_t domid)
{
    return libxl_domain_reboot(ctx, domid, NULL);
}
static inline int libxl_set_vcpuonline_0x041200(libxl_ctx *ctx, uint32_t domid,
                                                libxl_bitmap *cpumap)
{
    return libxl_set_vcpuonline(ctx, domid, cpumap, NULL);
}
static inline int
libxl_retrieve_domain_configuration_0x041200(libxl_ctx *ctx, uint32_t domid,
                                             libxl_domain_config *d_config)
{
    return libxl_retrieve_domain_configuration(ctx, domid, d_config, NULL);
}
#define libxl_domain_pause libxl_domain_pause_0x041200
#define libxl_domain_unpause libxl_domain_unpause_0x041200
#define libxl_domain_shutdown libxl_domain_shutdown_0x041200
#define libxl_domain_reboot libxl_domain_reboot_0x041200
#define libxl_set_vcpuonline libxl_set_vcpuonline_0x041200
#define libxl_retrieve_domain_configuration                                    \
    libxl_retrieve_domain_configuration_0x041200
#endif

#include <libxl_event.h>

#endif /* LIBXL_H */
