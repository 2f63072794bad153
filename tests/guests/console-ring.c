/*
 * A domain that talks through its PV console ring, driven by
 * tests/integration/xenconsoled-guest.c through xenconsoled's pty. It
 * says "READY dN", then runs the commands it reads, one a line:
 *   echo TEXT     answers "TEXT"
 *   flood N       writes N numbered 64-byte lines, then "FLOOD END"
 *   spam          writes numbered lines until any input comes, then
 *                 "SPAM END"
 *   corrupt-out   makes out_prod impossible (3000 past out_cons) and
 *                 notifies, then puts it back and says "OUT BACK"
 *   corrupt-in    makes in_cons impossible (2000 past in_prod), says
 *                 "IN BROKEN", waits 200 ms (no input may come), puts it
 *                 back and says "IN BACK"
 *   quit          passes and powers off
 */
#include "pvconsole.h"

#define LINE_MAX 128
#define SECOND 1000000000ULL

static void say(const char *fmt, ...)
{
    char buf[LINE_MAX];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf) - 2, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 3)
        n = sizeof(buf) - 3;
    buf[n++] = '\r';
    buf[n++] = '\n';
    pvcons_write(buf, n);
}

/* A line of input (without its end), or fail after a minute of silence. */
static void read_line(char *buf, size_t size)
{
    size_t n = 0;

    for (;;) {
        int c = pvcons_getc(60 * SECOND);

        if (c < 0)
            fail("no input for a minute");
        if (c == '\r' || c == '\n') {
            if (!n)
                continue;
            break;
        }
        if (n + 1 < size)
            buf[n++] = c;
    }
    buf[n] = '\0';
}

/* A numbered line of 64 bytes, \r\n included. */
static void numbered_line(unsigned int i)
{
    char line[65];

    snprintf(line, sizeof(line), "line %08u %048u\r\n", i, i);
    pvcons_write(line, 64);
}

static void input_pending_spam(void)
{
    volatile struct xencons_interface *r = pvcons_ring();
    unsigned int i = 0;

    while (ACCESS_ONCE(r->in_prod) == ACCESS_ONCE(r->in_cons))
        numbered_line(i++);
    pvcons_getc(0); /* the key that stopped us */
    say("SPAM END %u", i);
}

static void corrupt_out(void)
{
    volatile struct xencons_interface *r = pvcons_ring();
    uint32_t cons = ACCESS_ONCE(r->out_cons);

    ACCESS_ONCE(r->out_prod) = cons + 3000;
    for (int i = 0; i < 5; i++) {
        pvcons_notify();
        pvcons_wait(SECOND / 50);
    }
    /* The backend must not have moved out_cons past what is there. */
    if (ACCESS_ONCE(r->out_cons) != cons)
        fail("out_cons moved from %u to %u", cons, r->out_cons);
    ACCESS_ONCE(r->out_prod) = cons;
    say("OUT BACK");
}

static void corrupt_in(void)
{
    volatile struct xencons_interface *r = pvcons_ring();
    uint32_t prod = ACCESS_ONCE(r->in_prod);

    ACCESS_ONCE(r->in_cons) = prod + 2000;
    /* What the backend wrote meanwhile is lost; from here on, nothing. */
    prod = ACCESS_ONCE(r->in_prod);
    pvcons_notify();
    say("IN BROKEN");
    for (int i = 0; i < 10; i++)
        pvcons_wait(SECOND / 50);
    /* No input while the ring looks impossible. */
    if (ACCESS_ONCE(r->in_prod) != prod)
        fail("in_prod moved from %u to %u", prod, r->in_prod);
    ACCESS_ONCE(r->in_cons) = prod;
    pvcons_notify();
    say("IN BACK");
}

void test_main(void)
{
    char cmd[LINE_MAX];
    unsigned int n;

    check_eq(pvcons_init(), 0);
    say("READY d%d", cpuid_domid());
    for (;;) {
        read_line(cmd, sizeof(cmd));
        if (!strncmp(cmd, "echo ", 5)) {
            say("%s", cmd + 5);
        } else if (!strncmp(cmd, "flood ", 6)) {
            n = 0;
            for (const char *p = cmd + 6; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (*p - '0');
            for (unsigned int i = 0; i < n; i++)
                numbered_line(i);
            say("FLOOD END");
        } else if (!strcmp(cmd, "spam")) {
            input_pending_spam();
        } else if (!strcmp(cmd, "corrupt-out")) {
            corrupt_out();
        } else if (!strcmp(cmd, "corrupt-in")) {
            corrupt_in();
        } else if (!strcmp(cmd, "quit")) {
            say("BYE");
            pass();
        } else {
            say("unknown command '%s'", cmd);
        }
    }
}
