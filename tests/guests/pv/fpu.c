/*
 * fpu_taskswitch sets and clears the guest's CR0.TS (smsw shows it, as
 * on Xen). With TS set, Xen bounces the #NM of an FPU or SSE
 * instruction to the guest's handler once, clearing TS. kvm_pvm runs
 * CPL 3 code under the host's CR0, so no #NM comes there (measured:
 * smsw reads 0x3b, pxor and fnop run): the test says which it saw and
 * checks the bounce where one comes.
 */
#include "pv.h"

#define CR0_TS 0x8

static volatile unsigned int nm_count;
static volatile unsigned long nm_rip, nm_cs;

void nm_c(unsigned long *frame);
/* #NM: frame rcx r11 rip cs rflags rsp ss; back through iret. */
asm(".text\nnm_entry:\n"
    "pop %rcx\n pop %r11\n mov %rsp, %rdi\n"
    "push %rcx\n push %r11\n call nm_c\n pop %r11\n pop %rcx\n"
    "push $0\n jmp hypercall_page + 23 * 32\n");
extern char nm_entry[];

void nm_c(unsigned long *frame)
{
    nm_count++;
    nm_rip = frame[0];
    nm_cs = frame[1];
}

static long fpu_taskswitch(int set)
{
    return hypercall1(__HYPERVISOR_fpu_taskswitch, set);
}

static unsigned long cr0_ts(void)
{
    unsigned long msw;

    asm volatile("smsw %0" : "=r"(msw));
    return msw & CR0_TS;
}

/*
 * An SSE instruction; returns its own address (where #NM must point).
 * Test kernels are built without SSE, so xmm0 is nobody else's.
 */
static unsigned long sse_op(void)
{
    unsigned long at;

    asm volatile("lea 1f(%%rip), %0\n1: pxor %%xmm0, %%xmm0" : "=r"(at));
    return at;
}

void test_main(void)
{
    const struct trap_info traps[] = {
        {7, 0, FLAT_KERNEL_CS64, (unsigned long)nm_entry},
        {0, 0, 0, 0},
    };
    unsigned long at, nm_seen;

    check_eq(hypercall1(__HYPERVISOR_set_trap_table, traps), 0);
    check_eq(cr0_ts(), 0);
    sse_op();
    check_eq(nm_count, 0);

    check_eq(fpu_taskswitch(1), 0);
    check_eq(cr0_ts(), CR0_TS);
    at = sse_op();
    if (nm_count) {
        /* One #NM at the instruction, which then ran with TS clear. */
        check_eq(nm_count, 1);
        check_eq(nm_rip, at);
        check_eq(nm_cs & 0xffff, FLAT_KERNEL_CS64 & ~3);
        check_eq(cr0_ts(), 0);
    }
    nm_seen = nm_count;
    printk("fpu_taskswitch: TS set, #NM %s\n",
           nm_seen ? "bounced" : "not raised by this KVM");

    check_eq(fpu_taskswitch(1), 0);
    check_eq(fpu_taskswitch(0), 0);
    check_eq(cr0_ts(), 0);
    sse_op();
    check_eq(nm_count, nm_seen); /* TS clear: no #NM */
}
