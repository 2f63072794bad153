/*
 * console_io: writes (also empty and unterminated ones), reads are
 * refused to a domU, bad buffers give -EFAULT.
 */
#include "guest.h"

#define UNBACKED 0xe0000000UL

void test_main(void)
{
    static const char msg[] = "console_io: one line\n";
    static char big[600];
    char rd[16];

    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0);
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 0, msg), 0);
    /* A zero-length write does not touch the buffer. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 0, (void *)UNBACKED), 0);
    /* Pieces of a line, then a line longer than any internal buffer. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 11, "console_io:"), 0);
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 7, " pieces"), 0);
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 1, "\n"), 0);
    for (unsigned int i = 0; i < sizeof(big) - 1; i++)
        big[i] = 'a' + i % 26;
    big[sizeof(big) - 1] = '\n';
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(big), big), 0);
    /* Control characters must not reach the log raw; the call succeeds. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 8, "\x1b[2J\x07ok\n"), 0);

    /* Reading the hypervisor console is for the control domain only. */
    memset(rd, 0x5a, sizeof(rd));
    check_eq(HYPERVISOR_console_io(CONSOLEIO_read, sizeof(rd), rd), -EPERM);
    check(rd[0] == 0x5a, "read wrote the buffer despite -EPERM");
    check_eq(HYPERVISOR_console_io(CONSOLEIO_read, 0, rd), -EPERM);

    /* Bad buffers. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 4, (void *)UNBACKED),
             -EFAULT);
    uint64_t ram = ram_bytes();
    if (ram && ram < UNBACKED) {
        /* Starts in RAM, runs off its end. */
        const void *edge = (const void *)(uintptr_t)(ram - 4);
        check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 64, edge), -EFAULT);
    }
#ifdef __x86_64__
    check_eq(
        HYPERVISOR_console_io(CONSOLEIO_write, 4, (void *)0x100000000000UL),
        -EFAULT);
    check_eq(
        HYPERVISOR_console_io(CONSOLEIO_write, 4, (void *)0x8000000000000000UL),
        -EFAULT);
#endif
    console_flush();
}
