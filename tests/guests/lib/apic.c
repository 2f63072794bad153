/*
 * The local APIC from a test kernel (see apic.h).
 */
#include "apic.h"

#define SIPI_TRAMP_BASE 0x8000
#define AP_STACK_SIZE 8192

extern const uint8_t sipi_tramp_start[], sipi_tramp_end[];
/* The started vCPU's stack and id; it sets sipi_taken once it has them. */
volatile uint32_t sipi_esp, sipi_id, sipi_taken;
static uint8_t sipi_stacks[MAX_GUEST_VCPUS][AP_STACK_SIZE] __aligned(16);

/*
 * Real mode at 0800:0000 after the SIPI (vector 8): load a flat GDT,
 * set CR0.PE and jump to 32-bit code in the image, which takes the
 * runtime's secondary entry (ap_entry: %esp a stack, %ebx the vCPU id).
 */
asm(".pushsection .text\n"
    ".globl sipi_tramp_start, sipi_tramp_end\n"
    ".code16\n"
    "sipi_tramp_start:\n"
    "    cli\n"
    "    mov %cs, %ax\n"
    "    mov %ax, %ds\n"
    "    lgdtl (sipi_gdtr - sipi_tramp_start)\n"
    "    mov %cr0, %eax\n"
    "    or $1, %eax\n"
    "    mov %eax, %cr0\n"
    "    ljmpl $0x10, $sipi_tramp32\n"
    "    .balign 8\n"
    "sipi_gdt:\n"
    "    .quad 0, 0\n"
    "    .quad 0x00cf9b000000ffff\n" /* 0x10: 32-bit code, flat */
    "    .quad 0x00cf93000000ffff\n" /* 0x18: data, flat */
    "sipi_gdtr:\n"
    "    .word 4 * 8 - 1\n"
    "    .long 0x8000 + (sipi_gdt - sipi_tramp_start)\n"
    "sipi_tramp_end:\n"
    ".code32\n"
    "sipi_tramp32:\n"
    "    mov $0x18, %eax\n"
    "    mov %eax, %ds\n"
    "    mov %eax, %es\n"
    "    mov %eax, %ss\n"
    "    mov sipi_esp, %esp\n"
    "    mov sipi_id, %ebx\n"
    "    movl $1, sipi_taken\n"
    "    jmp ap_entry\n"
#ifdef __x86_64__
    ".code64\n"
#endif
    ".popsection\n");

bool apic_x2apic(void)
{
    return rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD;
}

volatile uint32_t *apic_page(void)
{
    return (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_APIC_BASE) &
                                            0xfffff000UL);
}

uint32_t apic_read(unsigned int reg)
{
    if (apic_x2apic())
        return (uint32_t)rdmsr(MSR_X2APIC_FIRST + reg / 16);
    return apic_page()[reg / 4];
}

void apic_write(unsigned int reg, uint32_t val)
{
    if (apic_x2apic())
        wrmsr(MSR_X2APIC_FIRST + reg / 16, val);
    else
        apic_page()[reg / 4] = val;
}

void apic_ipi(uint32_t dest, uint32_t icr)
{
    if (apic_x2apic()) {
        wrmsr(MSR_X2APIC_FIRST + APIC_ICR / 16, (uint64_t)dest << 32 | icr);
        return;
    }
    apic_page()[APIC_ICR2 / 4] = dest << 24;
    apic_page()[APIC_ICR / 4] = icr;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

void apic_sw_enable(void)
{
    apic_write(APIC_SPIV, APIC_SPIV_ENABLE | 0xff);
    apic_write(APIC_TPR, 0);
}

bool apic_vec_test(unsigned int reg, uint8_t vector)
{
    return apic_read(reg + (vector / 32) * 0x10) & (1U << (vector % 32));
}

void apic_start_ap(unsigned int id, uint32_t apic_id)
{
    uint64_t deadline;

    memcpy((void *)SIPI_TRAMP_BASE, sipi_tramp_start,
           sipi_tramp_end - sipi_tramp_start);
    sipi_esp = (uint32_t)(uintptr_t)(sipi_stacks[id] + AP_STACK_SIZE);
    sipi_id = id;
    sipi_taken = 0;
    apic_ipi(apic_id, APIC_DM_INIT | APIC_INT_LEVEL | APIC_INT_ASSERT);
    apic_ipi(apic_id, APIC_DM_INIT | APIC_INT_LEVEL);
    /* The second SIPI is ignored: the vCPU left wait-for-SIPI. */
    for (unsigned int i = 0; i < 2; i++)
        apic_ipi(apic_id, APIC_DM_STARTUP | (SIPI_TRAMP_BASE >> 12));
    /* The next start reuses the variables: wait until they are taken. */
    deadline = hvm_get_time() + 10000000000ULL;
    while (!sipi_taken) {
        check(hvm_get_time() < deadline, "vCPU %u did not start", id);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

void apic_wait(bool (*cond)(void), uint64_t timeout_ns, const char *what)
{
    uint64_t deadline = hvm_get_time() + timeout_ns;

    while (!cond()) {
        /*
         * No ports: wakes on a deliverable interrupt or the timeout, 1 ms
         * at most, as cond() may also change by another vCPU's hand.
         */
        uint64_t now = hvm_get_time();
        struct sched_poll poll = {
            .timeout = deadline < now + 1000000 ? deadline : now + 1000000};

        check(now < deadline, "timed out waiting for %s", what);
        sti();
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
        cli();
    }
}
