/*
 * Secondary vCPUs: VCPUOP_initialise with a vcpu_hvm_context that
 * starts them at ap_entry (head.S), each on its own stack, then
 * VCPUOP_up.
 */
#include "guest.h"

#define AP_STACK_SIZE 8192

extern const uint8_t ap_entry[];
void idt_load(void);
void ap_main(unsigned long id);

static uint8_t ap_stacks[MAX_GUEST_VCPUS][AP_STACK_SIZE] __aligned(16);
static void (*ap_fn[MAX_GUEST_VCPUS])(unsigned int id);
volatile unsigned int vcpus_running = 1;

#define CR0_PE 0x1UL
#define CR0_ET 0x10UL

void ap_main(unsigned long id)
{
    idt_load();
    __atomic_fetch_add(&vcpus_running, 1, __ATOMIC_SEQ_CST);
    if (id < MAX_GUEST_VCPUS && ap_fn[id])
        ap_fn[id](id);
    __atomic_fetch_sub(&vcpus_running, 1, __ATOMIC_SEQ_CST);
    HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL);
    for (;;)
        hlt();
}

int vcpu_prepare(unsigned int id, void (*fn)(unsigned int id))
{
    struct vcpu_hvm_context ctx;
    struct vcpu_hvm_x86_32 *r = &ctx.cpu_regs.x86_32;
    uintptr_t sp;

    if (!id || id >= MAX_GUEST_VCPUS)
        return -EINVAL;
    sp = (uintptr_t)(ap_stacks[id] + AP_STACK_SIZE);
    ap_fn[id] = fn;
    /*
     * Start in 32-bit flat mode with paging off, as the boot vCPU did;
     * ap_entry then takes the same path to the variant's mode.
     */
    memset(&ctx, 0, sizeof(ctx));
    ctx.mode = VCPU_HVM_MODE_32B;
    r->eip = (uintptr_t)ap_entry;
    r->esp = sp;
    r->ebx = id;
    r->eflags = 2;
    r->cr0 = CR0_PE | CR0_ET;
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0U;
    r->cs_ar = 0xc9b; /* 32-bit code, present, DPL 0, 4 KiB granularity */
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93; /* read/write data */
    r->tr_limit = 0x67;
    r->tr_ar = 0x8b; /* busy 32-bit TSS */
    return HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &ctx);
}

int vcpu_start(unsigned int id, void (*fn)(unsigned int id))
{
    int rc = vcpu_prepare(id, fn);

    return rc ? rc : HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
}
