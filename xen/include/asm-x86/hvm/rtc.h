/*
 * Virtual MC146818 RTC: index port 0x70, data port 0x71, the 14 clock
 * registers of the CMOS (time, alarm, status A-D) in BCD or binary and
 * 12- or 24-hour format, the update cycle (UIP, update-ended interrupt),
 * the alarm and the periodic interrupt on ISA IRQ 8. CMOS bytes from 14
 * up are not the clock's: those accesses are left to the device model,
 * as in Xen.
 */
#ifndef ASM_HVM_RTC_H
#define ASM_HVM_RTC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/vpt.h>

#define RTC_PORT(x) (0x70 + (x))
#define RTC_IRQ 8
#define RTC_CMOS_SIZE 14

#define RTC_SECONDS 0
#define RTC_SECONDS_ALARM 1
#define RTC_MINUTES 2
#define RTC_MINUTES_ALARM 3
#define RTC_HOURS 4
#define RTC_HOURS_ALARM 5
#define RTC_DAY_OF_WEEK 6
#define RTC_DAY_OF_MONTH 7
#define RTC_MONTH 8
#define RTC_YEAR 9
#define RTC_REG_A 10
#define RTC_REG_B 11
#define RTC_REG_C 12
#define RTC_REG_D 13

/* Register A */
#define RTC_UIP 0x80
#define RTC_DIV_CTL 0x70
#define RTC_REF_CLCK_32KHZ 0x20
#define RTC_RATE_SELECT 0x0f
/* Register B */
#define RTC_SET 0x80
#define RTC_PIE 0x40
#define RTC_AIE 0x20
#define RTC_UIE 0x10
#define RTC_SQWE 0x08
#define RTC_DM_BINARY 0x04
#define RTC_24H 0x02
#define RTC_DST_EN 0x01
/* Register C */
#define RTC_IRQF 0x80
#define RTC_PF 0x40
#define RTC_AF 0x20
#define RTC_UF 0x10
/* Register D */
#define RTC_VRT 0x80

/* An alarm byte with both top bits set matches any value. */
#define RTC_ALARM_DONT_CARE 0xc0

struct vrtc {
    pthread_mutex_t lock;
    uint8_t index;
    uint8_t cmos[RTC_CMOS_SIZE]; /* alarms and A-D; time is computed */
    /* The clock: seconds since 1970 (UTC) at base_ns, or frozen. */
    int64_t base_seconds;
    uint64_t base_ns;
    struct timer update_timer; /* once a second, while running */
    uint64_t next_update;
    struct timer periodic_timer; /* while PIE is set */
    uint64_t next_periodic;      /* next PF, 0: rate 0 */
    struct hvm_irq_line isa;
};

/* The clock starts at 'seconds' since 1970 (the host's time, usually). */
void vrtc_init(struct vrtc *rtc, struct hvm_irq_line isa, int64_t seconds);
void vrtc_destroy(struct vrtc *rtc);

/* Ports 0x70-0x71, byte accesses only. */
int vrtc_io_access(struct vrtc *rtc, uint16_t port, unsigned int size,
                   bool write, uint64_t *val);

#endif
