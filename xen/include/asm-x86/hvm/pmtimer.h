/*
 * Virtual ACPI PM registers at Xen's version-1 locations: the PM1a event
 * block (status, enable) at 0xb000, the PM1a control block at 0xb004 and
 * the PM timer at 0xb008, counting at 3.579545 MHz, 32 bits wide (the
 * FADT's TMR_VAL_EXT) or 24. SCI is ISA IRQ 9, level. Writing SLP_EN
 * with the S5 sleep type (0, as the DSDT's _S5 says) powers off.
 */
#ifndef ASM_HVM_PMTIMER_H
#define ASM_HVM_PMTIMER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/vpt.h>

#define ACPI_PM1A_EVT_BLK_ADDRESS_V1 0xb000
#define ACPI_PM1A_CNT_BLK_ADDRESS_V1 (ACPI_PM1A_EVT_BLK_ADDRESS_V1 + 0x04)
#define ACPI_PM_TMR_BLK_ADDRESS_V1 (ACPI_PM1A_EVT_BLK_ADDRESS_V1 + 0x08)
#define ACPI_PM1A_EVT_BLK_LEN 4
#define ACPI_PM1A_CNT_BLK_LEN 2
#define ACPI_PM_TMR_BLK_LEN 4

#define FREQUENCE_PMTIMER 3579545
#define SCI_IRQ 9

/* PM1 status and enable bits. */
#define TMR_STS (1U << 0)
#define GBL_STS (1U << 5)
#define PWRBTN_STS (1U << 8)
#define SLPBTN_STS (1U << 9)
#define RTC_STS (1U << 10)
#define WAK_STS (1U << 15)
#define TMR_EN (1U << 0)
#define GBL_EN (1U << 5)
#define PWRBTN_EN (1U << 8)
#define SLPBTN_EN (1U << 9)
#define RTC_EN (1U << 10)
#define SCI_MASK (TMR_STS | PWRBTN_STS | SLPBTN_STS | GBL_STS)

/* PM1 control bits. */
#define SCI_EN (1U << 0)
#define SLP_TYP_SHIFT 10
#define SLP_TYP_MASK (7U << SLP_TYP_SHIFT)
#define SLP_EN (1U << 13)
#define ACPI_S5_SLP_TYP 0

struct vpmtimer {
    pthread_mutex_t lock;
    uint16_t pm1a_sts, pm1a_en, pm1a_cnt;
    bool tmr_val_ext;    /* 32-bit counter, else 24 */
    uint64_t base_ns;    /* NOW() at count 0 */
    uint64_t last_ticks; /* for TMR_STS: when the top bit toggled */
    struct timer timer;  /* next top-bit toggle, while TMR_EN */
    uint64_t next_toggle;
    bool sci;
    struct hvm_irq_line isa;
    void (*poweroff)(void *opaque); /* called without the lock */
    void *opaque;
};

void vpmtimer_init(struct vpmtimer *pm, struct hvm_irq_line isa,
                   bool tmr_val_ext, void (*poweroff)(void *opaque),
                   void *opaque);
void vpmtimer_destroy(struct vpmtimer *pm);

/* Ports 0xb000-0xb005 and 0xb008-0xb00b. */
int vpmtimer_io_access(struct vpmtimer *pm, uint16_t port, unsigned int size,
                       bool write, uint64_t *val);
/* The power button was pressed (xl trigger power): PWRBTN_STS and SCI. */
void pmtimer_power_button(struct vpmtimer *pm);

#endif
