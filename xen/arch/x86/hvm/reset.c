/* Reset through port 0x92 or 0xcf9 (see asm-x86/hvm/reset.h). */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/reset.h>

void vreset_init(struct vreset *r, void (*reset)(void *opaque), void *opaque)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    r->port92 = SYSCTL_A20;
    r->reset = reset;
    r->opaque = opaque;
}

void vreset_destroy(struct vreset *r)
{
    pthread_mutex_destroy(&r->lock);
}

int vreset_io_access(struct vreset *r, uint16_t port, unsigned int size,
                     bool write, uint64_t *val)
{
    bool reset = false;

    if ((port != SYSCTL_PORT_A && port != RST_CNT_PORT) || size != 1)
        return X86EMUL_UNHANDLEABLE;
    pthread_mutex_lock(&r->lock);
    if (port == SYSCTL_PORT_A) {
        if (write) {
            r->port92 = *val & SYSCTL_A20;
            reset = *val & SYSCTL_FAST_RESET;
        } else {
            *val = r->port92;
        }
    } else if (write) {
        r->rst_cnt = *val & (RST_CNT_SYS_RST | RST_CNT_FULL_RST);
        reset = *val & RST_CNT_RST_CPU;
    } else {
        *val = r->rst_cnt;
    }
    pthread_mutex_unlock(&r->lock);
    if (reset && r->reset)
        r->reset(r->opaque);
    return X86EMUL_OKAY;
}
