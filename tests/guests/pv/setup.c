/* Start of day of the PV test kernels (see pv.h). */
#include "pv.h"

void pv_start(const start_info_t *si);

const start_info_t *pv_start_info;
const char *cmdline = "";
/* The PV kit runs one vCPU; console.c asks. */
volatile unsigned int vcpus_running = 1;

unsigned int this_vcpu_id(void)
{
    return 0;
}

/* No IDT of our own: an unhandled exception crashes the domain. */
void die_hard(void)
{
    for (;;)
        asm volatile("ud2");
}

void pv_start(const start_info_t *si)
{
    pv_start_info = si;
    hypercalls_ready = true;
    if (strncmp(si->magic, "xen-3.0-x86_64", sizeof(si->magic)))
        fail("bad start_info magic \"%.32s\" at %p", si->magic, si);
    if (si->cmd_line[0])
        cmdline = (const char *)si->cmd_line;
    test_main();
    pass();
}

unsigned long pv_spare_va(unsigned int n)
{
    /* Xen's rule: past the boot stack, 512 KiB spare, to 4 MiB. */
    unsigned long stack_end =
        pv_start_info->pt_base + (pv_start_info->nr_pt_frames + 1) * PAGE_SIZE;
    unsigned long end =
        (stack_end + (512UL << 10) + (4UL << 20) - 1) & ~((4UL << 20) - 1);

    return end - (n + 1) * PAGE_SIZE;
}

struct shared_info *pv_map_shared_info(void)
{
    unsigned long va = pv_spare_va(0);
    long rc = HYPERVISOR_update_va_mapping(
        va, pv_start_info->shared_info | 0x63 /* P RW A D */, UVMF_INVLPG);

    if (rc)
        fail("update_va_mapping of shared_info: %ld", rc);
    return (struct shared_info *)va;
}

#define PTE_USER_RW 0x67UL   /* P RW US A D */
#define PTE_USER_RO 0x25UL   /* P US A */
#define PTE_KERNEL_RO 0x21UL /* P A */

static uint64_t pte(unsigned long va, uint64_t flags)
{
    return (uint64_t)pv_pfn_of(va) << 12 | flags;
}

void pv_user_tables(void)
{
    uint64_t *l4 = (void *)pv_spare_va(1), *l3 = (void *)pv_spare_va(2),
             *l2 = (void *)pv_spare_va(3), *l1 = (void *)pv_spare_va(4);

    memset(l4, 0, PAGE_SIZE);
    memset(l3, 0, PAGE_SIZE);
    memset(l2, 0, PAGE_SIZE);
    memset(l1, 0, PAGE_SIZE);
    l4[0] = pte((unsigned long)l3, PTE_USER_RW);
    l3[0] = pte((unsigned long)l2, PTE_USER_RW);
    l2[PV_USER_CODE >> 21] = pte((unsigned long)l1, PTE_USER_RW);
    l1[(PV_USER_CODE >> 12) & 511] = pte(pv_spare_va(5), PTE_USER_RO);
    l1[(PV_USER_PAGE >> 12) & 511] = pte(pv_spare_va(6), PTE_USER_RW);
}

void pv_user_pin(void)
{
    unsigned long l4 = pv_pfn_of(pv_spare_va(1));

    for (unsigned int i = 1; i <= 4; i++)
        check_eq(HYPERVISOR_update_va_mapping(
                     pv_spare_va(i), pte(pv_spare_va(i), PTE_KERNEL_RO),
                     UVMF_INVLPG),
                 0);
    check_eq(pv_mmuext(MMUEXT_PIN_L4_TABLE, l4), 0);
    check_eq(pv_mmuext(MMUEXT_NEW_USER_BASEPTR, l4), 0);
}

unsigned long pv_kernel_resume_rsp; /* used from asm */
asm(".text\n.globl pv_enter_user\n.globl pv_back_to_kernel\npv_enter_user:\n"
    "push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "mov %rsp, pv_kernel_resume_rsp(%rip)\n"
    "mov %rdx, %rbx\n"
    "push $0xe02b\n push %rsi\n push $0x202\n push $0xe033\n push %rdi\n"
    "push $0\n jmp hypercall_page + 23 * 32\n"
    "pv_back_to_kernel:\n"
    "mov pv_kernel_resume_rsp(%rip), %rsp\n"
    "pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n ret\n");
