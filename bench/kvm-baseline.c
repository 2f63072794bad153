/*
 * The raw-KVM baseline for the benchmarks: the smallest VMM that runs the
 * same I/O-exit round trip a hypercall takes (a 32-bit CPL 0 guest calls a
 * stub "mov $nr,%eax; out %eax,$0xe8; ret" in a loop; the host answers
 * each exit by writing %eax through sync_regs) and reports TSC cycles per
 * iteration, measured by the guest itself around the loop.
 *
 * usage: kvm-baseline [iterations]     prints "cycles-per-iteration N"
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PORT 0xe8

/*
 * At 0x1000, 32-bit code:
 *   mov $N,%esi; rdtsc; mov %eax,%edi; mov %edx,%ebp
 * 1: call 0x2000; dec %esi; jnz 1b
 *   rdtsc; sub %edi,%eax; sbb %ebp,%edx; mov %eax,%ebx; mov %edx,%ecx
 *   mov $1,%eax; out %eax,$PORT+1; hlt
 * At 0x2000: mov $17,%eax; out %eax,$PORT; ret
 */
static const uint8_t loop_code[] = {
    0xbe, 0, 0, 0, 0,             /* mov $N, %esi (patched) */
    0x0f, 0x31,                   /* rdtsc */
    0x89, 0xc7,                   /* mov %eax, %edi */
    0x89, 0xd5,                   /* mov %edx, %ebp */
    0xe8, 0, 0, 0, 0,             /* call rel32 (patched) */
    0x4e,                         /* dec %esi */
    0x75, 0xf8,                   /* jnz -8 (to the call) */
    0x0f, 0x31,                   /* rdtsc */
    0x29, 0xf8,                   /* sub %edi, %eax */
    0x19, 0xea,                   /* sbb %ebp, %edx */
    0x89, 0xc3,                   /* mov %eax, %ebx */
    0x89, 0xd1,                   /* mov %edx, %ecx */
    0xb8, 1, 0, 0, 0,             /* mov $1, %eax */
    0xe7, PORT + 1,               /* out %eax, $PORT+1: report */
    0xf4,                         /* hlt */
};
static const uint8_t stub_code[] = {
    0xb8, 17, 0, 0, 0, 0xe7, PORT, 0xc3,
};

static void die(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char **argv)
{
    uint32_t iters = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 20000;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm, vcpu;
    size_t mem_size = 1 << 20;
    uint8_t *mem;
    struct kvm_run *run;
    struct kvm_sregs sregs;
    struct kvm_regs regs = {.rip = 0x1000, .rsp = 0x8000, .rflags = 2};
    int32_t rel;

    if (kvm < 0)
        die("/dev/kvm");
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region region = {
        .memory_size = mem_size, .userspace_addr = (uintptr_t)mem};
    if (vm < 0 || mem == MAP_FAILED ||
        ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
        die("vm setup");
    memcpy(mem + 0x1000, loop_code, sizeof(loop_code));
    memcpy(mem + 0x1001, &iters, 4);
    rel = 0x2000 - (0x1000 + 11 + 5);
    memcpy(mem + 0x100c, &rel, 4);
    memcpy(mem + 0x2000, stub_code, sizeof(stub_code));

    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        die("vcpu");
    run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
               PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs))
        die("vcpu setup");
    struct kvm_segment seg = {.limit = 0xffffffff, .selector = 0x10,
                              .type = 0xb, .present = 1, .db = 1, .s = 1,
                              .g = 1};
    sregs.cs = seg;
    seg.type = 3;
    seg.selector = 0x18;
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = seg;
    sregs.cr0 = 0x11;
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) || ioctl(vcpu, KVM_SET_REGS, &regs))
        die("vcpu state");
    run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;

    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0)
            die("KVM_RUN");
        if (run->exit_reason != KVM_EXIT_IO)
            break;
        if (run->io.port == PORT) {
            run->s.regs.regs.rax = 0; /* the "hypercall" result */
            run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
        } else if (run->io.port == PORT + 1) {
            uint64_t cycles = (run->s.regs.regs.rcx & 0xffffffffULL) << 32 |
                              (uint32_t)run->s.regs.regs.rbx;

            printf("cycles-per-iteration %llu\n",
                   (unsigned long long)(cycles / iters));
            return 0;
        }
    }
    fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
    return 1;
}
