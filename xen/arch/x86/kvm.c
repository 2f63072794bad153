/*
 * The KVM engine: VM and vCPU objects, memory slots, and the loop that
 * runs a vCPU on a pCPU thread and turns its exits into hypervisor work.
 *
 * Registers travel through the kvm_run sync_regs area (one ioctl per
 * transition instead of three). No in-kernel irqchip: interrupts are
 * injected with KVM_INTERRUPT when the guest's interrupt window is open.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <asm-x86/cpuid.h>
#include <asm-x86/hvm/intr.h>
#include <asm-x86/msr.h>
#include <asm-x86/io.h>
#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <asm-x86/time.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/sched.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#define SIG_KICK SIGUSR1
#define SYNC_ALL (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)

static int kvm_fd = -1;
static int vcpu_mmap_size;
uint32_t kvm_tsc_khz;

/* The kvm_run of the vCPU this pCPU thread is running, for the signal. */
static __thread struct kvm_run *this_run;
static __thread timer_t slice_timer;

static void kick_handler(int sig)
{
    (void)sig;
    if (this_run)
        this_run->immediate_exit = 1;
}

static int check_cap(long cap, const char *what)
{
    int r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);

    if (r <= 0) {
        printk(LOG_ERR, "/dev/kvm lacks %s, which xen needs\n", what);
        return -ENOSYS;
    }
    return r;
}

int kvm_init(void)
{
    struct sigaction sa = {.sa_handler = kick_handler};
    int r;

    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_fd < 0 && errno == ENOENT)
        return -ENODEV;
    if (kvm_fd < 0) {
        r = -errno;
        printk(LOG_ERR,
               "cannot open /dev/kvm (%s): xen needs KVM; load kvm_intel, "
               "kvm_amd or kvm_pvm and run as root\n",
               strerror(errno));
        return r;
    }
    if (ioctl(kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        printk(LOG_ERR, "/dev/kvm speaks an unknown API version\n");
        return -ENOSYS;
    }
    r = check_cap(KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS");
    if (r < 0)
        return r;
    if ((r & SYNC_ALL) != SYNC_ALL) {
        printk(LOG_ERR, "/dev/kvm cannot sync regs, sregs and events\n");
        return -ENOSYS;
    }
    if ((r = check_cap(KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR")) < 0 ||
        (r = check_cap(KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER")) < 0 ||
        (r = check_cap(KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT")) < 0 ||
        (r = check_cap(KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID")) < 0)
        return r;
    if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XEN_HVM) > 0)
        printk(LOG_INFO, "KVM offers KVM_CAP_XEN_HVM (not used yet)\n");

    vcpu_mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (vcpu_mmap_size < (int)sizeof(struct kvm_run))
        return -ENOSYS;
    r = cpuid_init(kvm_fd);
    if (r)
        return r;
    sigaction(SIG_KICK, &sa, NULL);
    return 0;
}

int arch_domain_create(struct domain *d)
{
    struct kvm_enable_cap cap = {
        .cap = KVM_CAP_X86_USER_SPACE_MSR,
        .args[0] = KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER |
                   KVM_MSR_EXIT_REASON_INVAL,
    };
    /*
     * Send the Xen MSR and our LAPIC's MSRs (APIC base, TSC deadline,
     * x2APIC) to us even where KVM knows those indices.
     */
    static uint8_t deny[256 / 8];
    const uint32_t rw = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
    struct kvm_msr_filter filter = {
        .flags = KVM_MSR_FILTER_DEFAULT_ALLOW,
        .ranges = {
            {.flags = rw, .nmsrs = 1, .base = XEN_HYPERCALL_MSR, .bitmap = deny},
            {.flags = rw, .nmsrs = 1, .base = MSR_IA32_APICBASE, .bitmap = deny},
            {.flags = rw, .nmsrs = 1, .base = MSR_IA32_TSC_DEADLINE,
             .bitmap = deny},
            {.flags = rw, .nmsrs = 256, .base = APIC_MSR_BASE, .bitmap = deny},
        },
    };

    if (kvm_fd < 0) {
        printk(LOG_ERR, "d%u: this host has no /dev/kvm: guests cannot run\n",
               d->domain_id);
        return -ENODEV;
    }
    d->kvm_vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (d->kvm_vm_fd < 0) {
        printk(LOG_ERR, "d%u: KVM_CREATE_VM: %s\n", d->domain_id,
               strerror(errno));
        return -errno;
    }
    fcntl(d->kvm_vm_fd, F_SETFD, FD_CLOEXEC);
    if (ioctl(d->kvm_vm_fd, KVM_ENABLE_CAP, &cap) ||
        ioctl(d->kvm_vm_fd, KVM_X86_SET_MSR_FILTER, &filter)) {
        printk(LOG_ERR, "d%u: cannot route MSRs to xen: %s\n", d->domain_id,
               strerror(errno));
        return -errno;
    }
    /* Intel needs a TSS area for real mode; harmless elsewhere. */
    ioctl(d->kvm_vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
    return hvm_lapics_create(d);
}

void arch_domain_destroy(struct domain *d)
{
    hvm_lapics_destroy(d);
    pv_domain_destroy(d);
    if (d->kvm_vm_fd >= 0)
        close(d->kvm_vm_fd);
    d->kvm_vm_fd = -1;
}

int kvm_set_memslot(struct domain *d, uint32_t slot, uint64_t gpa,
                    uint64_t size, void *hva)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot,
        .guest_phys_addr = gpa,
        .memory_size = size,
        .userspace_addr = (uintptr_t)hva,
    };

    if (ioctl(d->kvm_vm_fd, KVM_SET_USER_MEMORY_REGION, &r)) {
        printk(LOG_ERR, "d%u: memslot %u at %#llx: %s\n", d->domain_id, slot,
               (unsigned long long)gpa, strerror(errno));
        return -errno;
    }
    return 0;
}

int arch_vcpu_create(struct vcpu *v)
{
    struct domain *d = v->domain;
    int r;

    v->kvm_fd = ioctl(d->kvm_vm_fd, KVM_CREATE_VCPU, v->vcpu_id);
    if (v->kvm_fd < 0)
        return -errno;
    fcntl(v->kvm_fd, F_SETFD, FD_CLOEXEC);
    v->run = mmap(NULL, vcpu_mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                  v->kvm_fd, 0);
    if (v->run == MAP_FAILED) {
        v->run = NULL;
        return -errno;
    }
    /* Time first: the CPUID leaves report the TSC frequency. */
    r = time_setup_vcpu(v);
    if (r)
        return r;
    r = cpuid_setup_vcpu(v);
    if (r)
        return r;
    hvm_lapic_vcpu_init(v);
    v->run->kvm_valid_regs = SYNC_ALL;
    v->arch.last_pcpu = -1;
    return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    hvm_lapic_vcpu_destroy(v);
    if (v->run)
        munmap(v->run, vcpu_mmap_size);
    if (v->kvm_fd >= 0)
        close(v->kvm_fd);
}

static void flat_segment(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
    *s = (struct kvm_segment){
        .base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
        .present = 1, .dpl = 0, .db = 1, .s = 1, .g = 1,
    };
}

static int set_state(struct vcpu *v, struct kvm_regs *regs,
                     struct kvm_sregs *sregs)
{
    if (ioctl(v->kvm_fd, KVM_SET_SREGS, sregs) ||
        ioctl(v->kvm_fd, KVM_SET_REGS, regs))
        return -errno;
    v->arch.regs_valid = false;
    /* What an earlier exit left to write back must not overwrite this. */
    v->run->kvm_dirty_regs = 0;
    return 0;
}

int arch_vcpu_pvh_entry(struct vcpu *v, uint32_t eip, uint32_t ebx)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs = {.rip = eip, .rbx = ebx, .rflags = 2};

    if (ioctl(v->kvm_fd, KVM_GET_SREGS, &sregs))
        return -errno;
    flat_segment(&sregs.cs, 0x10, 0xb);
    flat_segment(&sregs.ds, 0x18, 0x3);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    sregs.tr.type = 0xb; /* a busy 32-bit TSS, as VMX wants */
    sregs.tr.present = 1;
    sregs.tr.limit = 0x67;
    sregs.cr0 = X86_CR0_PE | (1 << 4) /* ET */;
    sregs.cr4 = 0;
    sregs.efer = 0;
    return set_state(v, &regs, &sregs);
}

static void real_mode_segment(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
    *s = (struct kvm_segment){
        .base = (uint32_t)sel << 4, .limit = 0xffff, .selector = sel,
        .type = type, .present = 1, .s = 1,
    };
}

int arch_vcpu_real_mode_entry(struct vcpu *v, uint16_t cs)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs = {.rflags = 2};
    /* Nothing pending or injected, NMIs unblocked: a CPU after INIT. */
    struct kvm_vcpu_events events = {0};

    if (ioctl(v->kvm_fd, KVM_SET_VCPU_EVENTS, &events) ||
        ioctl(v->kvm_fd, KVM_GET_SREGS, &sregs))
        return -errno;
    real_mode_segment(&sregs.cs, cs, 0xb);
    real_mode_segment(&sregs.ds, 0, 0x3);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    sregs.tr.type = 0xb;
    sregs.tr.present = 1;
    sregs.tr.limit = 0xffff;
    sregs.gdt.base = sregs.idt.base = 0;
    sregs.gdt.limit = sregs.idt.limit = 0xffff;
    sregs.cr0 = 1 << 4; /* ET */
    sregs.cr2 = sregs.cr3 = sregs.cr4 = 0;
    sregs.efer = 0;
    memset(sregs.interrupt_bitmap, 0, sizeof(sregs.interrupt_bitmap));
    return set_state(v, &regs, &sregs);
}

void arch_vcpu_set_apic_base(struct vcpu *v, uint64_t val)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e;
    } m = {.hdr.nmsrs = 1, .e = {.index = MSR_IA32_APICBASE, .data = val}};

    if (ioctl(v->kvm_fd, KVM_SET_MSRS, &m) != 1)
        printk(LOG_WARNING, "d%uv%u: KVM refused APIC base %#llx\n",
               v->domain->domain_id, v->vcpu_id, (unsigned long long)val);
}

int arch_vcpu_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *c)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs = {.rflags = 2};

    if (ioctl(v->kvm_fd, KVM_GET_SREGS, &sregs))
        return -errno;
    switch (c->mode) {
    case VCPU_HVM_MODE_32B: {
        const struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

        regs.rax = r->eax;
        regs.rcx = r->ecx;
        regs.rdx = r->edx;
        regs.rbx = r->ebx;
        regs.rsp = r->esp;
        regs.rbp = r->ebp;
        regs.rsi = r->esi;
        regs.rdi = r->edi;
        regs.rip = r->eip;
        regs.rflags = r->eflags | 2;
        sregs.cr0 = r->cr0;
        sregs.cr3 = r->cr3;
        sregs.cr4 = r->cr4;
        sregs.efer = r->efer;
        flat_segment(&sregs.cs, 0x10, 0xb);
        sregs.cs.base = r->cs_base;
        sregs.cs.limit = r->cs_limit;
        flat_segment(&sregs.ds, 0x18, 0x3);
        sregs.ds.base = r->ds_base;
        sregs.ds.limit = r->ds_limit;
        sregs.es = sregs.fs = sregs.gs = sregs.ds;
        sregs.ss = sregs.ds;
        sregs.ss.base = r->ss_base;
        sregs.ss.limit = r->ss_limit;
        break;
    }
    case VCPU_HVM_MODE_64B: {
        const struct vcpu_hvm_x86_64 *r = &c->cpu_regs.x86_64;

        regs.rax = r->rax;
        regs.rcx = r->rcx;
        regs.rdx = r->rdx;
        regs.rbx = r->rbx;
        regs.rsp = r->rsp;
        regs.rbp = r->rbp;
        regs.rsi = r->rsi;
        regs.rdi = r->rdi;
        regs.rip = r->rip;
        regs.rflags = r->rflags | 2;
        sregs.cr0 = r->cr0;
        sregs.cr3 = r->cr3;
        sregs.cr4 = r->cr4;
        sregs.efer = r->efer;
        flat_segment(&sregs.cs, 0x10, 0xb);
        sregs.cs.l = 1;
        sregs.cs.db = 0;
        flat_segment(&sregs.ds, 0x18, 0x3);
        sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
        break;
    }
    default:
        return -EINVAL;
    }
    sregs.tr.type = 0xb;
    sregs.tr.present = 1;
    sregs.tr.limit = 0x67;
    return set_state(v, &regs, &sregs);
}

int arch_pcpu_thread_init(void)
{
    struct sigevent sev = {
        .sigev_notify = SIGEV_THREAD_ID,
        .sigev_signo = SIG_KICK,
    };
    sigset_t set;

    sev._sigev_un._tid = syscall(SYS_gettid);
    sigemptyset(&set);
    sigaddset(&set, SIG_KICK);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return timer_create(CLOCK_MONOTONIC, &sev, &slice_timer) ? -errno : 0;
}

void arch_vcpu_kick(struct vcpu *v)
{
    if (v->is_running)
        pthread_kill(sched_vcpu_thread(v), SIG_KICK);
}

static void arm_slice_timer(uint64_t when)
{
    struct itimerspec its = {
        .it_value = {.tv_sec = when / 1000000000ULL,
                     .tv_nsec = when % 1000000000ULL},
    };

    timer_settime(slice_timer, when ? TIMER_ABSTIME : 0, &its, NULL);
}

/*
 * An NMI goes at once (KVM holds it until the guest can take it); the
 * next interrupt (hvm/intr.c decides which) when the window is open.
 * Returns true when an interrupt has to wait for the guest to open its
 * interrupt window.
 */
static bool inject_pending(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    struct hvm_intack a;

    run->request_interrupt_window = 0;
    /* PV upcalls are a frame on the guest stack, not an interrupt. */
    if (v->domain->pv) {
        pv_deliver_events(v);
        return false;
    }
    if (hvm_vcpu_take_nmi(v))
        ioctl(v->kvm_fd, KVM_NMI, 0);
    a = hvm_vcpu_pending_intr(v);
    if (a.source == hvm_intsrc_none)
        return false;
    if (run->ready_for_interrupt_injection && run->if_flag) {
        struct kvm_interrupt irq;

        a = hvm_vcpu_ack_intr(v, a);
        irq.irq = a.vector;
        if (a.source != hvm_intsrc_none)
            ioctl(v->kvm_fd, KVM_INTERRUPT, &irq);
        return false;
    }
    run->request_interrupt_window = 1;
    return true;
}

static void handle_hypercall(struct vcpu *v)
{
    struct kvm_regs *r = &v->run->s.regs.regs;
    uint64_t a[5];
    long ret;

    /* Like Xen, only the guest kernel may make hypercalls. */
    if (v->arch.cpl) {
        r->rax = -EPERM;
        v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
        return;
    }
    if (hypercall_is_compat(v)) {
        a[0] = (uint32_t)r->rbx;
        a[1] = (uint32_t)r->rcx;
        a[2] = (uint32_t)r->rdx;
        a[3] = (uint32_t)r->rsi;
        a[4] = (uint32_t)r->rdi;
    } else {
        a[0] = r->rdi;
        a[1] = r->rsi;
        a[2] = r->rdx;
        a[3] = r->r10;
        a[4] = r->r8;
    }
    ret = hypercall_dispatch(v, (uint32_t)r->rax, a);
    r->rax = hypercall_is_compat(v) ? (uint32_t)ret : (uint64_t)ret;
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
}

static void handle_io(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    bool write = run->io.direction == KVM_EXIT_IO_OUT;

    /* A PV guest has no ports: these are its trampoline's exits. */
    if (v->domain->pv) {
        pv_handle_io(v);
        return;
    }
    if (run->io.port == XEN_HYPERCALL_PORT && write && run->io.size == 4 &&
        run->io.count == 1) {
        handle_hypercall(v);
        return;
    }
    for (uint32_t i = 0; i < run->io.count; i++) {
        uint64_t val = 0;

        if (write)
            memcpy(&val, data, run->io.size);
        io_dispatch(v, false, run->io.port, run->io.size, write, &val);
        if (!write)
            memcpy(data, &val, run->io.size);
        data += run->io.size;
    }
}

static void handle_mmio(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    uint64_t gpa = run->mmio.phys_addr;
    unsigned int len = MIN(run->mmio.len, 8u);
    uint64_t val = 0;
    uint8_t *page = gfn_to_virt(v->domain, gpa >> PAGE_SHIFT);

    /* A populated frame whose slot is being replaced: plain memory. */
    if (page && (gpa & ~PAGE_MASK) + len <= PAGE_SIZE) {
        if (run->mmio.is_write)
            memcpy(page + (gpa & ~PAGE_MASK), run->mmio.data, len);
        else
            memcpy(run->mmio.data, page + (gpa & ~PAGE_MASK), len);
        return;
    }
    if (run->mmio.is_write)
        memcpy(&val, run->mmio.data, len);
    io_dispatch(v, true, gpa, len, run->mmio.is_write, &val);
    if (!run->mmio.is_write)
        memcpy(run->mmio.data, &val, len);
}

/*
 * HLT: wait for an event or a deliverable LAPIC interrupt (vcpu_block
 * looks at local_events_need_delivery); with interrupts off the vCPU
 * goes down (Xen).
 */
bool arch_vcpu_nmi_held(const struct vcpu *v)
{
    const struct kvm_vcpu_events *e = &v->run->s.regs.events;

    return e->nmi.pending || e->nmi.injected;
}

static void handle_hlt(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vcpu *o;
    bool all_down = true;

    if (v->run->s.regs.regs.rflags & X86_EFLAGS_IF) {
        vcpu_block(v);
        return;
    }
    vcpu_down(v);
    for_each_vcpu (d, o)
        if (!(o->pause_flags & VPF_down))
            all_down = false;
    if (all_down) {
        printk(LOG_INFO, "d%u: all vCPUs offline -- powering off\n",
               d->domain_id);
        domain_shutdown(d, SHUTDOWN_poweroff);
    }
}

static void handle_msr(struct vcpu *v, bool write)
{
    struct kvm_run *run = v->run;
    uint64_t val = run->msr.data;
    int r = write ? guest_wrmsr(v, run->msr.index, val)
                  : guest_rdmsr(v, run->msr.index, &val);

    run->msr.data = val;
    /* Anything we do not emulate raises #GP in the guest. */
    run->msr.error = r ? 1 : 0;
}

/* Latch what the page walker and hypercall ABI need from this exit. */
static void latch_state(struct vcpu *v)
{
    struct kvm_sregs *s = &v->run->s.regs.sregs;

    v->arch.cr0 = s->cr0;
    v->arch.cr3 = s->cr3;
    v->arch.cr4 = s->cr4;
    v->arch.efer = s->efer;
    v->arch.cs_long = s->cs.l;
    v->arch.cpl = s->ss.dpl;
    v->arch.regs_valid = true;
}

static void handle_exit(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    char why[96];

    latch_state(v);
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        handle_io(v);
        return;
    case KVM_EXIT_MMIO:
        handle_mmio(v);
        return;
    case KVM_EXIT_HLT:
        handle_hlt(v);
        return;
    case KVM_EXIT_X86_RDMSR:
        handle_msr(v, false);
        return;
    case KVM_EXIT_X86_WRMSR:
        handle_msr(v, true);
        return;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
    case KVM_EXIT_INTR:
        return;
    case KVM_EXIT_SHUTDOWN:
        snprintf(why, sizeof(why), "v%u triple fault at rip %#llx",
                 v->vcpu_id, (unsigned long long)run->s.regs.regs.rip);
        break;
    case KVM_EXIT_INTERNAL_ERROR:
        snprintf(why, sizeof(why),
                 "v%u instruction KVM cannot run (suberror %u) at rip %#llx",
                 v->vcpu_id, run->internal.suberror,
                 (unsigned long long)run->s.regs.regs.rip);
        break;
    case KVM_EXIT_FAIL_ENTRY:
        snprintf(why, sizeof(why), "v%u invalid state (entry failure %#llx)",
                 v->vcpu_id,
                 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        break;
    default:
        snprintf(why, sizeof(why), "v%u unexpected KVM exit %u", v->vcpu_id,
                 run->exit_reason);
        break;
    }
    domain_crash(v->domain, why);
}

/*
 * A software KVM emulating CPL 0 code may not leave KVM_RUN when the
 * guest opens its interrupt window (seen on kvm_pvm after "sti"), so
 * while an upcall waits for the window we also look again this often.
 */
#define WINDOW_RECHECK_NS MICROSECS(100)

void arch_vcpu_run(struct vcpu *v, uint64_t slice_end)
{
    struct kvm_run *run = v->run;
    uint64_t timer_at = slice_end;

    this_run = run;
    arm_slice_timer(slice_end);
    for (;;) {
        /* Clear first: a kick from now on makes KVM_RUN return at once. */
        run->immediate_exit = 0;
        if (!v->sched_runnable || v->yield || NOW() >= slice_end)
            break;
        /* An INIT takes the vCPU down; a SIPI has given it a new state. */
        if (hvm_vcpu_mp_event(v))
            break;
        if (v->arch.last_pcpu != v->processor) {
            v->arch.last_pcpu = v->processor;
            update_vcpu_system_time(v);
        }
        if (inject_pending(v)) {
            uint64_t now = NOW();
            uint64_t recheck = MIN(slice_end, now + WINDOW_RECHECK_NS);

            if (timer_at <= now || recheck < timer_at) {
                timer_at = recheck;
                arm_slice_timer(timer_at);
            }
        } else if (timer_at != slice_end) {
            timer_at = slice_end;
            arm_slice_timer(timer_at);
        }
        if (ioctl(v->kvm_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            char why[64];
            snprintf(why, sizeof(why), "v%u KVM_RUN failed: %s", v->vcpu_id,
                     strerror(errno));
            domain_crash(v->domain, why);
            break;
        }
        handle_exit(v);
    }
    arm_slice_timer(0);
    this_run = NULL;
    hvm_vcpu_descheduled(v);
}
