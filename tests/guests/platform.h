/*
 * What the platform device tests share: 16-bit port writes and MMIO
 * accessors the kit lacks, and the addresses of an HVM-type domain's
 * devices (Xen's: hvmloader's ACPI tables and the device models).
 */
#ifndef GUEST_PLATFORM_H
#define GUEST_PLATFORM_H

#include "guest.h"

#define IOAPIC_BASE 0xfec00000UL
#define HPET_BASE 0xfed00000UL
#define PM1A_EVT 0xb000
#define PM1A_CNT 0xb004
#define PM_TMR 0xb008
#define PM_TMR_HZ 3579545ULL
#define PIT_HZ 1193182ULL

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint32_t mmio_read32(unsigned long addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(unsigned long addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

/* 64-bit registers as two 32-bit halves: the 32-bit variants need that. */
static inline uint64_t mmio_read64(unsigned long addr)
{
    uint32_t lo = mmio_read32(addr), hi = mmio_read32(addr + 4);

    return (uint64_t)hi << 32 | lo;
}

/* Ticks of a clock at hz in ns of system time, without 64-bit division. */
static inline uint64_t ticks_per_ms(uint64_t ticks, uint64_t ns)
{
    uint32_t rem;

    return div64(ticks * 1000, (uint32_t)div64(ns, 1000, &rem), &rem);
}

#endif
