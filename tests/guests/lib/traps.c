/*
 * The IDT: every exception is fatal (printed, then FAIL) unless it
 * happens inside run_catching(); vectors 32-255 go to the handlers set
 * with set_irq_handler(), and so do NMIs once a handler is set for 2.
 */
#include "guest.h"

extern const uint8_t trap_stubs[]; /* 256 stubs, 16 bytes each */
extern const uint8_t catch_landing[];
extern unsigned long catch_sp;
extern struct fault *catch_fault;

#ifdef __x86_64__
struct gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
};
#else
struct gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
};
#endif

static struct gate idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];
static unsigned int trap_depth;

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
    "#NP", "#SS", "#GP", "#PF", "?15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "?22", "?23", "?24", "?25", "?26", "?27", "#HV", "#VC", "#SX", "?31",
};

struct __packed idt_desc {
    uint16_t limit;
    unsigned long base;
};

void idt_load(void)
{
    struct idt_desc d = {sizeof(idt) - 1, (unsigned long)idt};

    asm volatile("lidt %0" ::"m"(d));
}

void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++) {
        unsigned long a = (unsigned long)(trap_stubs + 16 * v);
        struct gate *g = &idt[v];

        g->off_lo = (uint16_t)a;
        g->sel = GUEST_CS;
        g->type = 0x8e; /* present, DPL 0, interrupt gate */
#ifdef __x86_64__
        g->off_mid = (uint16_t)(a >> 16);
        g->off_hi = (uint32_t)(a >> 32);
#else
        g->off_hi = (uint16_t)(a >> 16);
#endif
    }
    idt_load();
}

void __noreturn die_hard(void)
{
    struct idt_desc none = {0, 0};

    /* No IDT: the next exception becomes a triple fault. */
    asm volatile("lidt %0; ud2" ::"m"(none));
    for (;;)
        ;
}

void set_irq_handler(uint8_t vector, irq_handler_t fn)
{
    irq_handlers[vector] = fn;
}

void trap_dispatch(struct cpu_regs *r)
{
    unsigned int vec = r->vector & 0xff;

    if (vec >= 32 || (vec == X86_EXC_NMI && irq_handlers[vec])) {
        if (!irq_handlers[vec])
            fail("unexpected interrupt, vector %u at ip %#lx", vec, r->ip);
        irq_handlers[vec](r);
        return;
    }
    if (catch_sp && !trap_depth) {
        if (catch_fault)
            *catch_fault = (struct fault){vec, r->error_code, r->ip};
        r->ip = (unsigned long)catch_landing;
        r->ax = vec;
        return;
    }
    /* A fault while reporting one: stop with a triple fault. */
    if (trap_depth++)
        die_hard();
#ifdef __x86_64__
    printk("exception %u %s, error code %#lx, rip %#lx, rsp %#lx\n", vec,
           exc_names[vec], r->error_code, r->ip, r->sp);
#else
    printk("exception %u %s, error code %#lx, eip %#lx\n", vec, exc_names[vec],
           r->error_code, r->ip);
#endif
    if (vec == X86_EXC_PF) {
        unsigned long cr2;

        asm volatile("mov %%cr2, %0" : "=r"(cr2));
        printk("page fault address %#lx\n", cr2);
    }
    fail("exception %u %s at ip %#lx", vec, exc_names[vec], r->ip);
}

void expect_fault(unsigned int vector, void (*fn)(void *), void *arg,
                  const char *what)
{
    struct fault f;
    int v = run_catching(fn, arg, &f);

    if (v < 0)
        fail("%s: expected exception %u, none raised", what, vector);
    if ((unsigned int)v != vector)
        fail("%s: expected exception %u, got %u (error %#lx) at %#lx", what,
             vector, f.vector, f.error_code, f.ip);
}

struct msr_op {
    uint32_t idx;
    uint64_t val;
};

static void do_rdmsr(void *p)
{
    struct msr_op *op = p;

    op->val = rdmsr(op->idx);
}

static void do_wrmsr(void *p)
{
    struct msr_op *op = p;

    wrmsr(op->idx, op->val);
}

int rdmsr_safe(uint32_t idx, uint64_t *val)
{
    struct msr_op op = {idx, 0};
    int v = run_catching(do_rdmsr, &op, NULL);

    *val = op.val;
    return v < 0 ? 0 : v;
}

int wrmsr_safe(uint32_t idx, uint64_t val)
{
    struct msr_op op = {idx, val};
    int v = run_catching(do_wrmsr, &op, NULL);

    return v < 0 ? 0 : v;
}
