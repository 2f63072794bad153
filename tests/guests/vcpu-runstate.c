/*
 * Runstate: VCPUOP_get_runstate_info reports the current state and times
 * that grow with what the vCPU does (running, blocked); a registered
 * runstate area is kept current by the hypervisor at every change (also
 * with VMASST_TYPE_runstate_update_flag), and a registered vcpu_time_info
 * area carries a valid pvclock. 32-bit guests get the packed layout.
 */
#include "guest.h"

#define MS 1000000ULL
#define BAD_PTR ((void *)0xe0000000UL)

static struct vcpu_runstate_info area;
static struct vcpu_time_info time_area;

static uint64_t now(void)
{
    return system_time_ns();
}

/* Blocked for ms: SCHEDOP_poll on no port, with a deadline. */
static void block_for(unsigned int ms)
{
    struct sched_poll p = {.nr_ports = 0, .timeout = now() + ms * MS};

    set_xen_guest_handle(p.ports, NULL);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0);
}

static void get(struct vcpu_runstate_info *r)
{
    memset(r, 0xff, sizeof(*r));
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, r), 0);
}

static uint64_t total(const struct vcpu_runstate_info *r)
{
    return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

/*
 * From a to b over a poll of `elapsed` ns: every ns is accounted to some
 * state, and some of it to blocked. (How much is blocked depends on the
 * host: a pCPU thread preempted before it leaves the vCPU keeps it
 * "running", so a single poll may show no blocked time at all.)
 */
static bool accounted(const struct vcpu_runstate_info *a,
                      const struct vcpu_runstate_info *b, uint64_t elapsed)
{
    for (unsigned int i = 0; i < 4; i++)
        check(b->time[i] >= a->time[i], "time[%u] went back", i);
    check(total(b) - total(a) + MS >= elapsed, "%llu ns accounted over %llu ns",
          (unsigned long long)(total(b) - total(a)),
          (unsigned long long)elapsed);
    return b->time[RUNSTATE_blocked] > a->time[RUNSTATE_blocked];
}

static void test_get(void)
{
    struct vcpu_runstate_info a, b;
    uint64_t t;

    get(&a);
    t = now();
    check_eq(a.state, RUNSTATE_running);
    check(a.state_entry_time && a.state_entry_time <= t,
          "entered %llu, now %llu", (unsigned long long)a.state_entry_time,
          (unsigned long long)t);
    check(a.time[RUNSTATE_running] > 0, "no running time");
    check_eq(a.time[RUNSTATE_offline], 0);

    for (unsigned int tries = 0;; tries++) {
        check(tries < 5, "no blocked time over 5 polls");
        t = now();
        block_for(20);
        get(&b);
        t = now() - t;
        check_eq(b.state, RUNSTATE_running);
        check(b.time[RUNSTATE_running] > a.time[RUNSTATE_running],
              "running time did not grow");
        check(b.state_entry_time > a.state_entry_time,
              "entry time did not move");
        if (accounted(&a, &b, t))
            break;
        a = b;
    }

    check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &a), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, BAD_PTR), -EFAULT);
}

static void test_area(void)
{
    struct vcpu_register_runstate_memory_area r;
    struct vcpu_runstate_info before;
    uint64_t t;

    memset(&area, 0xff, sizeof(area));
    r.addr.p = (uintptr_t)&area;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r),
             0);
    /* Filled at once. */
    check_eq(ACCESS_ONCE(area.state), RUNSTATE_running);
    check(area.time[RUNSTATE_running] > 0, "area not filled");

    /* Updated as we block and run again. */
    for (unsigned int tries = 0;; tries++) {
        check(tries < 5, "no blocked time in the area over 5 polls");
        before = area;
        t = now();
        block_for(10);
        t = now() - t;
        check_eq(ACCESS_ONCE(area.state), RUNSTATE_running);
        check(area.state_entry_time > before.state_entry_time,
              "area entry time did not move");
        if (accounted(&before, &area, t))
            break;
    }

    /* With the update flag the copy is never left marked in flux. */
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_runstate_update_flag),
             0);
    before = area;
    block_for(5);
    check(!(area.state_entry_time & XEN_RUNSTATE_UPDATE),
          "update flag left set");
    check(area.state_entry_time > before.state_entry_time,
          "no update with the flag");
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                  VMASST_TYPE_runstate_update_flag),
             0);

    /* An address that cannot be written is accepted and ignored. */
    r.addr.p = (uintptr_t)BAD_PTR;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r),
             0);
    before = area;
    block_for(2);
    check(!memcmp(&before, &area, sizeof(area)), "old area still updated");
    /* 0 unregisters: the copy is left alone from then on. */
    r.addr.p = (uintptr_t)&area;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r),
             0);
    check(area.state_entry_time > before.state_entry_time, "not re-filled");
    r.addr.p = 0;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &r),
             0);
    before = area;
    block_for(5);
    check(!memcmp(&before, &area, sizeof(area)), "area still updated");

    check_eq(
        HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, BAD_PTR),
        -EFAULT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 2, &r),
             -ENOENT);
}

static void test_time_area(void)
{
    struct vcpu_register_time_memory_area r;
    const struct vcpu_time_info *si_time =
        &map_shared_info(NULL)->vcpu_info[0].time;
    uint64_t a, b;

    memset(&time_area, 0, sizeof(time_area));
    r.addr.p = (uintptr_t)&time_area;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &r),
             0);
    check(!(time_area.version & 1), "copy version %u", time_area.version);
    check(time_area.version != 0, "copy not written");
    check_eq(time_area.tsc_to_system_mul, si_time->tsc_to_system_mul);
    check_eq(time_area.tsc_shift, si_time->tsc_shift);
    a = pvclock_ns(&time_area, NULL);
    b = system_time_ns();
    check((a > b ? a - b : b - a) < MS, "copy says %llu, shared_info %llu",
          (unsigned long long)a, (unsigned long long)b);
    block_for(5);
    check(!(time_area.version & 1), "copy left odd");
    a = pvclock_ns(&time_area, NULL);
    b = system_time_ns();
    check((a > b ? a - b : b - a) < MS, "copy says %llu, shared_info %llu",
          (unsigned long long)a, (unsigned long long)b);
    check_eq(
        HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, BAD_PTR),
        -EFAULT);
    r.addr.p = 0;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &r),
             0);
}

void test_main(void)
{
    int rc;

    if (!map_shared_info(&rc))
        fail("cannot map shared_info (%d)", rc);
    test_get();
    test_area();
    test_time_area();
}
