/*
 * Guest time. System time is CLOCK_MONOTONIC in ns (NOW()); guests read
 * it through pvclock (vcpu_time_info): a TSC stamp, the system time at
 * that stamp and a TSC-to-ns scale, refreshed whenever the vCPU is
 * (re)scheduled onto a pCPU. The wallclock in shared_info is the real
 * time at system time zero.
 */
#include <linux/kvm.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include <asm-x86/kvm.h>
#include <asm-x86/time.h>
#include <xen/lib.h>
#include <xen/sched.h>

/* shared_info wallclock fields in the 32-bit (compat) layout. */
#define COMPAT_WC_VERSION_OFF 2304
#define COMPAT_WC_SEC_HI_OFF 2340

static uint32_t tsc_mul;
static int8_t tsc_shift;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/*
 * ns = ((delta << shift) * mul) >> 32, with shift chosen so that the
 * rate, once shifted, lies in (0.5 GHz, 1 GHz] and mul fits 32 bits.
 */
static void compute_scale(uint64_t tsc_hz)
{
    int shift = 0;

    while (tsc_hz > 2000000000ULL) {
        tsc_hz >>= 1;
        shift--;
    }
    while (tsc_hz <= 1000000000ULL) {
        tsc_hz <<= 1;
        shift++;
    }
    tsc_mul = (uint32_t)((1000000000ULL << 32) / tsc_hz);
    tsc_shift = shift;
}

int time_setup_vcpu(struct vcpu *v)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e;
    } msrs = {.hdr.nmsrs = 1, .e.index = 0x10 /* IA32_TSC */};
    struct kvm_device_attr attr = {
        .group = KVM_VCPU_TSC_CTRL,
        .attr = KVM_VCPU_TSC_OFFSET,
        .addr = (uintptr_t)&v->arch.tsc_offset,
    };
    uint64_t after;

    if (!kvm_tsc_khz) {
        int khz = ioctl(v->kvm_fd, KVM_GET_TSC_KHZ, 0);

        if (khz <= 0) {
            printk(LOG_ERR, "KVM does not report the TSC frequency\n");
            return -ENOSYS;
        }
        kvm_tsc_khz = khz;
        compute_scale((uint64_t)khz * 1000);
    }
    /* KVM says the offset exactly where it can. */
    if (!ioctl(v->kvm_fd, KVM_GET_DEVICE_ATTR, &attr))
        return 0;
    /*
     * Else measure it, erring low: pvclock must never stamp a TSC value
     * ahead of what the guest can read afterwards, or its delta goes
     * negative.
     */
    if (ioctl(v->kvm_fd, KVM_GET_MSRS, &msrs) != 1)
        return -EIO;
    after = rdtsc();
    v->arch.tsc_offset = (int64_t)(msrs.e.data - after);
    return 0;
}

uint64_t guest_tsc(const struct vcpu *v)
{
    return rdtsc() + v->arch.tsc_offset;
}

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_time_info *t;
    uint64_t now, tsc;

    if (!v->vcpu_info)
        return;
    t = &v->vcpu_info->time;
    __atomic_store_n(&t->version, (t->version + 1) | 1, __ATOMIC_SEQ_CST);
    tsc = guest_tsc(v);
    now = NOW();
    t->tsc_timestamp = tsc;
    t->system_time = now;
    t->tsc_to_system_mul = tsc_mul;
    t->tsc_shift = tsc_shift;
    t->flags = 0;
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_SEQ_CST);
}

void update_domain_wallclock_time(struct domain *d)
{
    struct timespec rt, mono;
    uint8_t *base = (uint8_t *)d->shared_info;
    uint32_t *wc = d->has_32bit_shinfo
                       ? (uint32_t *)(base + COMPAT_WC_VERSION_OFF)
                       : &d->shared_info->wc_version;
    uint32_t *sec_hi = d->has_32bit_shinfo
                           ? (uint32_t *)(base + COMPAT_WC_SEC_HI_OFF)
                           : &d->shared_info->wc_sec_hi;
    int64_t ns;

    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    ns = (rt.tv_sec - mono.tv_sec + d->time_offset_seconds) * 1000000000LL +
         (rt.tv_nsec - mono.tv_nsec);
    /* wc_version, wc_sec, wc_nsec are consecutive in both layouts. */
    __atomic_store_n(&wc[0], (wc[0] + 1) | 1, __ATOMIC_SEQ_CST);
    wc[1] = (uint32_t)(ns / 1000000000LL);
    wc[2] = (uint32_t)(ns % 1000000000LL);
    *sec_hi = (uint32_t)((uint64_t)(ns / 1000000000LL) >> 32);
    __atomic_store_n(&wc[0], wc[0] + 1, __ATOMIC_SEQ_CST);
}

static uint32_t calibrated_khz;

/* The TSC against CLOCK_MONOTONIC over 20 ms. */
static void calibrate_host_tsc(void)
{
    struct timespec t0, t1, pause = {.tv_nsec = 20000000};
    uint64_t c0, c1, ns;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    c0 = __builtin_ia32_rdtsc();
    nanosleep(&pause, NULL);
    c1 = __builtin_ia32_rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ns = (t1.tv_sec - t0.tv_sec) * 1000000000ULL + t1.tv_nsec - t0.tv_nsec;
    calibrated_khz = ns ? (c1 - c0) * 1000000ULL / ns : 0;
}

uint32_t host_cpu_khz(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    if (kvm_tsc_khz)
        return kvm_tsc_khz;
    pthread_once(&once, calibrate_host_tsc);
    return calibrated_khz;
}
