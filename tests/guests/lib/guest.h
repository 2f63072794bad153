/*
 * The guest test kit: a tiny freestanding runtime for PVH test kernels.
 *
 * A test is one C file with `void test_main(void)`. The runtime enters
 * from the PVH entry point, sets up the CPU mode of the variant (64, 32
 * or pae), the hypercall page, an IDT and the console, then calls
 * test_main(). The test ends with pass(), fail() or skip(); returning
 * from test_main() counts as pass(). See tests/guests/README.md.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/arch-x86/cpuid.h>
#include <public/arch-x86/hvm/start_info.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#include "hypercall.h"

/* Set by the build: the variant ("64", "32", "pae") of every object. */
#ifndef GUEST_VARIANT
#define GUEST_VARIANT "?"
#endif

/*
 * The build defines TEST_NAME (the file name) for a test's main file
 * only; the verdict lines use it.
 */
extern const char test_name[];
#ifdef TEST_NAME
const char test_name[] = TEST_NAME;
#endif

/* Xen's errno values (the Linux x86 numbers). */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define EINVAL 22
#define ENFILE 23
#define ENOSPC 28
#define ESPIPE 29
#define EDOM 33
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
#define ENOTEMPTY 39
#define ENODATA 61
#define ETIME 62
#define EOVERFLOW 75
#define EILSEQ 84
#define EOPNOTSUPP 95
#define EADDRINUSE 98
#define ENOBUFS 105
#define EISCONN 106
#define ENOTCONN 107
#define ETIMEDOUT 110
#define EALREADY 114

/* Exception vectors. */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_NMI 2
#define X86_EXC_BP 3
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_DF 8
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_MC 18
#define X86_EXC_XM 19

#define PAGE_SIZE 4096UL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define barrier() asm volatile("" ::: "memory")
#define ACCESS_ONCE(x) (*(volatile __typeof__(x) *)&(x))

/* ---- What the runtime found at boot ---- */

extern const struct hvm_start_info *start_info; /* from %ebx */
extern const char *cmdline;     /* "" when the domain has none */
extern uint32_t xen_cpuid_base; /* 0x40000000 or 0x40000100 */
extern uint8_t hypercall_page[PAGE_SIZE];
extern char image_start[], image_end[]; /* physical = virtual */

/* ---- Verdicts ---- */

/* Set by the runtime once console_io works; verdicts need it. */
extern bool hypercalls_ready;

/* Print "PASS <name>-<variant>" and power off. */
void __noreturn pass(void);
/* Print "FAIL <name>-<variant>: <why>" and shut down with SHUTDOWN_crash. */
void __noreturn __printf(1, 2) fail(const char *fmt, ...);
/* Print "SKIP <name>-<variant>: <why>" and power off (runner exits 77). */
void __noreturn __printf(1, 2) skip(const char *fmt, ...);
/* Shut down with a reason, no verdict line. */
void __noreturn shutdown(unsigned int reason);

#ifdef __FILE_NAME__
#define CHECK_FILE __FILE_NAME__
#else
#define CHECK_FILE __FILE__
#endif

/* fail() unless cond, naming the file, line and condition. */
#define check(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            check_failed(CHECK_FILE, __LINE__, #cond, "" __VA_ARGS__);         \
    } while (0)

/* fail() unless the two integers are equal; prints both values. */
#define check_eq(actual, expected)                                             \
    do {                                                                       \
        long long a_ = (long long)(actual), e_ = (long long)(expected);        \
        if (a_ != e_)                                                          \
            check_eq_failed(CHECK_FILE, __LINE__, #actual, a_, e_);            \
    } while (0)

void __noreturn __printf(4, 5)
    check_failed(const char *file, int line, const char *cond, const char *fmt,
                 ...);
void __noreturn check_eq_failed(const char *file, int line, const char *what,
                                long long actual, long long expected);

/* ---- Console ---- */

/* printf to the Xen console (console_io write), line-buffered. */
void __printf(1, 2) printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
void console_flush(void);
int __printf(3, 4) snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- Strings (the compiler may call memcpy/memset itself) ---- */

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* Is word (delimited by spaces) on the command line? */
bool cmdline_has(const char *word);

/* 64-bit division that also works in 32-bit code (no libgcc). */
uint64_t div64(uint64_t n, uint32_t d, uint32_t *rem);

/* ---- CPU ---- */

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};
static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;

    asm volatile("cpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "0"(leaf), "2"(sub));
    return r;
}
static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t idx)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t idx, uint64_t val)
{
    asm volatile("wrmsr" ::"c"(idx), "a"((uint32_t)val),
                 "d"((uint32_t)(val >> 32)));
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline void cli(void)
{
    asm volatile("cli" ::: "memory");
}
static inline void sti(void)
{
    asm volatile("sti" ::: "memory");
}
static inline void hlt(void)
{
    asm volatile("hlt" ::: "memory");
}
/* sti; hlt: no interrupt can slip in between (the sti shadow). */
static inline void sti_hlt(void)
{
    asm volatile("sti; hlt" ::: "memory");
}
static inline unsigned long read_flags(void)
{
    unsigned long f;

    asm volatile("pushf; pop %0" : "=r"(f));
    return f;
}
#define X86_EFLAGS_IF 0x200

/* ---- Traps and events ---- */

/* Registers saved on a trap, in the order entry.S pushes them. */
struct cpu_regs {
#ifdef __x86_64__
    unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
    unsigned long di, si, bp, bx, dx, cx, ax;
#else
    unsigned long di, si, bp, sp_unused, bx, dx, cx, ax;
#endif
    unsigned long vector, error_code;
    unsigned long ip, cs, flags;
#ifdef __x86_64__
    unsigned long sp, ss;
#endif
};

#ifdef __x86_64__
#define GUEST_CS 0x08
#else
#define GUEST_CS 0x10
#endif
#define GUEST_DS 0x18

/* Load an empty IDT and raise #UD: a triple fault (the domain crashes). */
void __noreturn die_hard(void);

/* What interrupted a function run with run_catching(). */
struct fault {
    unsigned int vector;
    unsigned long error_code, ip;
};

/*
 * Run fn(arg). Returns -1 if it returned normally, or the vector of the
 * first exception it raised (fn is abandoned there; *f, if not NULL, gets
 * the details). Not nestable.
 */
int run_catching(void (*fn)(void *), void *arg, struct fault *f);
/* fail() unless fn(arg) raises exactly this vector. */
void expect_fault(unsigned int vector, void (*fn)(void *), void *arg,
                  const char *what);

/* rdmsr/wrmsr that return the vector they raised (0 = no fault). */
int rdmsr_safe(uint32_t idx, uint64_t *val);
int wrmsr_safe(uint32_t idx, uint64_t val);

/*
 * Interrupt handlers for vectors 32-255 (the event-channel upcall
 * vector, for instance) and for NMIs (X86_EXC_NMI). The handler runs
 * with interrupts off; the runtime returns with iret. Passing NULL
 * removes it.
 */
typedef void (*irq_handler_t)(struct cpu_regs *regs);
void set_irq_handler(uint8_t vector, irq_handler_t fn);

/* Upcall routing: HVM_PARAM_CALLBACK_IRQ (type vector), or per vCPU. */
int upcall_via_callback_irq(uint8_t vector);
int upcall_via_vcpu_vector(unsigned int vcpu, uint8_t vector);

/*
 * SCHEDOP_block with interrupts enabled: returns after an event was
 * delivered (the upcall handler has run). Interrupts are off again on
 * return.
 */
void wait_for_event(void);

/* The calling vCPU's id (CPUID leaf base+4; 0 if not reported). */
unsigned int this_vcpu_id(void);

/*
 * 2-level event channels (lib/events.c). evtchn_init() maps
 * shared_info, masks every port, and routes upcalls to vector through
 * HVM_PARAM_CALLBACK_IRQ; its handler clears each pending port it finds
 * unmasked, counts it in evtchn_fired[port] and calls the port's
 * handler. All return 0 or -errno.
 */
#define EVTCHN_TRACKED 1024
typedef void (*evtchn_handler_t)(evtchn_port_t port);
extern volatile unsigned int evtchn_fired[EVTCHN_TRACKED];
int evtchn_init(uint8_t vector);
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn);
void evtchn_mask(evtchn_port_t port);
int evtchn_unmask(evtchn_port_t port);
int evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
int evtchn_send(evtchn_port_t port);
int evtchn_close(evtchn_port_t port);
/*
 * The 2-level scan on its own, for tests with a handler of their own:
 * clears vi's upcall flag and selector, then clears each pending unmasked
 * port of shinfo and calls fn(port).
 */
void evtchn_scan(struct shared_info *shinfo, struct vcpu_info *vi,
                 evtchn_handler_t fn);
/* VCPUOP_set_singleshot_timer for the calling vCPU (absolute ns). */
int set_singleshot_timer(uint64_t deadline_ns);

/*
 * Secondary vCPUs (lib/smp.c). vcpu_start(id, fn) initialises vCPU id
 * (1 .. MAX_GUEST_VCPUS-1) in this variant's CPU mode on its own 8 KiB
 * stack and brings it up; it runs fn(id), then takes itself down
 * (VCPUOP_down). vcpu_prepare() only initialises it. Both return 0 or
 * -errno. vcpus_running counts the vCPUs inside the runtime (the boot
 * vCPU included). The trap state of run_catching() is shared: catch
 * faults on one vCPU at a time.
 */
#define MAX_GUEST_VCPUS 16
extern volatile unsigned int vcpus_running;
int vcpu_prepare(unsigned int id, void (*fn)(unsigned int id));
int vcpu_start(unsigned int id, void (*fn)(unsigned int id));

/* ---- Memory and time ---- */

/* The domain's RAM according to the start-of-day memory map. */
uint64_t ram_bytes(void);

/* XENMEM_add_to_physmap of one frame: 0 or -errno. */
long add_to_physmap(domid_t dom, unsigned int space, unsigned long idx,
                    unsigned long gfn);

/*
 * Map shared_info at a free guest frame (XENMEM_add_to_physmap) and
 * return it; NULL (with the error in *rc) if that failed. Repeated calls
 * return the same page.
 */
struct shared_info *map_shared_info(int *rc);

/*
 * A PV ring the toolstack gave the domain (lib/pvring.c): its page and
 * port from two HVM params (HVM_PARAM_STORE_PFN/_EVTCHN, ...). The port
 * stays masked: pv_ring_wait polls it and clears its pending bit.
 */
struct pv_ring {
    void *page;
    evtchn_port_t port;
};
/* 0, or -errno (-ENODEV: the params are unset, as for boot-time domains). */
int pv_ring_init(struct pv_ring *r, uint32_t pfn_param, uint32_t port_param);
void pv_ring_wait(const struct pv_ring *r, uint64_t timeout_ns);
void pv_ring_notify(const struct pv_ring *r);

/* TSC frequency in kHz from the Xen CPUID time leaf (0 if unknown). */
uint32_t tsc_khz(void);
/* Busy-wait using the TSC. */
void udelay(uint32_t us);
/*
 * ns from a pvclock, as a guest computes it; *tsc (if tsc is not NULL)
 * gets the TSC value it used.
 */
uint64_t pvclock_ns(const volatile struct vcpu_time_info *t, uint64_t *tsc);
/* Hypervisor system time in ns from vCPU 0's pvclock (maps shared_info). */
uint64_t system_time_ns(void);
/* HVMOP_get_time's system time in ns; fails the test on an error. */
uint64_t hvm_get_time(void);

/* Xen's domain id from CPUID (or -1 when the leaf does not report it). */
int cpuid_domid(void);

/*
 * xenstore on the domain's ring (lib/xenstore.c), one request at a time.
 * xs_init() finds the ring and port (HVM_PARAM_STORE_PFN/STORE_EVTCHN),
 * maps shared_info and masks the port (waits use SCHEDOP_poll). All
 * return -errno on an error (the daemon's XS_ERROR mapped back).
 * xs_read() returns the value's length and copies it, NUL-terminated and
 * cut to size, into buf. Watch events that arrive before a reply are
 * queued; xs_get_event() returns the oldest, waiting for one if none.
 */
int xs_init(void);
evtchn_port_t xs_store_port(void);
int xs_read(const char *path, char *buf, size_t size);
int xs_write(const char *path, const char *value);
int xs_watch(const char *path, const char *token);
int xs_get_event(char *path, size_t path_size, char *token, size_t token_size);

/* The test entry point, provided by each test. */
void test_main(void);

#endif /* GUEST_H */
