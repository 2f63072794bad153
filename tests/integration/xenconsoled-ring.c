/*
 * xenconsoled's ring and log code on the host (tools/xenconsoled/ring.c
 * and log.c compiled in): a console page in our memory plays the guest,
 * including a hostile one that writes impossible indices.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xenconsoled.h"
#include "testlib.h"

/* What main.c would provide. */
bool log_guest, log_hv, log_time_guest, log_time_hv;
bool discard_overflowed_data = true;
bool replace_escape;
const char *log_dir;

void dolog(int priority, const char *fmt, ...)
{
    va_list ap;

    printf("    log %d: ", priority);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static struct xencons_interface page;

/* The guest side: append len bytes to out[] and publish them. */
static void guest_write(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        page.out[MASK_XENCONS_IDX(page.out_prod + i, page.out)] = data[i];
    page.out_prod += len;
}

static void reset(XENCONS_RING_IDX out_idx, XENCONS_RING_IDX in_idx)
{
    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = out_idx;
    page.in_cons = page.in_prod = in_idx;
}

static void test_output(void)
{
    int before = failures;
    struct buffer b = {0};
    char big[2048];

    reset(0, 0);
    CHECK(buffer_take_ring(&b, &page) == 0);
    CHECK(buffer_empty(&b));

    guest_write("hello", 5);
    CHECK(buffer_take_ring(&b, &page) == 5);
    CHECK(b.size == 5 && !memcmp(b.data, "hello", 5));
    CHECK(page.out_cons == 5, "out_cons %u", page.out_cons);

    /* Across the end of out[] and across the 32-bit index wrap. */
    buffer_dispose(&b);
    reset(0xfffffffcu, 0);
    guest_write("0123456789", 10);
    CHECK(buffer_take_ring(&b, &page) == 10);
    CHECK(b.size == 10 && !memcmp(b.data, "0123456789", 10));
    CHECK(page.out_cons == 6, "out_cons %u", page.out_cons);

    /* A full ring is fine. */
    buffer_dispose(&b);
    reset(100, 0);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = 'a' + i % 26;
    guest_write(big, sizeof(big));
    CHECK(buffer_take_ring(&b, &page) == (int)sizeof(big));
    CHECK(b.size == sizeof(big) && !memcmp(b.data, big, sizeof(big)));

    /* Written out in two parts, then the buffer is empty again. */
    buffer_advance(&b, 1000);
    CHECK(!buffer_empty(&b) && b.consumed == 1000);
    buffer_advance(&b, b.size - b.consumed);
    CHECK(buffer_empty(&b) && b.size == 0 && b.consumed == 0);
    buffer_dispose(&b);
    section("guest output: simple, wrapping, full", before);
}

static void test_hostile_output(void)
{
    int before = failures;
    struct buffer b = {0};
    uint32_t seed = 12345;

    /* One byte more than the ring holds: left alone, nothing taken. */
    reset(0, 0);
    page.out_prod = sizeof(page.out) + 1;
    CHECK(buffer_take_ring(&b, &page) == -EIO);
    CHECK(page.out_cons == 0 && b.size == 0);
    /* prod behind cons. */
    page.out_cons = 10;
    page.out_prod = 5;
    CHECK(buffer_take_ring(&b, &page) == -EIO);
    CHECK(page.out_cons == 10 && b.size == 0);

    /* Any pair of indices: an error or exactly prod - cons bytes. */
    for (int i = 0; i < 100000; i++) {
        uint32_t cons, prod, want;
        int n;

        seed = seed * 1103515245u + 12345u;
        cons = seed;
        seed = seed * 1103515245u + 12345u;
        prod = i & 1 ? cons + (seed >> 20) : seed;
        page.out_cons = cons;
        page.out_prod = prod;
        want = prod - cons;
        n = buffer_take_ring(&b, &page);
        if (want > sizeof(page.out)) {
            if (!CHECK(n == -EIO && page.out_cons == cons, "%u/%u: %d", cons,
                       prod, n))
                break;
        } else if (!CHECK(n == (int)want && page.out_cons == prod, "%u/%u: %d",
                          cons, prod, n)) {
            break;
        }
        buffer_advance(&b, b.size - b.consumed);
    }
    buffer_dispose(&b);
    section("hostile output indices", before);
}

static void test_overflow(void)
{
    int before = failures;
    struct buffer b = {.max_capacity = 1000};
    char chunk[500];
    size_t total = 0;

    /* Nobody reads: the buffer stays bounded (a quarter of slack). */
    reset(0, 0);
    for (int i = 0; i < 20; i++) {
        for (size_t j = 0; j < sizeof(chunk); j++)
            chunk[j] = (char)(total + j);
        guest_write(chunk, sizeof(chunk));
        CHECK(buffer_take_ring(&b, &page) == (int)sizeof(chunk));
        total += sizeof(chunk);
        buffer_discard_overflow(&b);
        CHECK(b.size <= 5 * b.max_capacity / 4, "size %zu", b.size);
    }
    /* The oldest bytes stay (what a reader sees first) and the newest. */
    CHECK(b.data[0] == 0 && b.data[1] == 1);
    CHECK(b.data[b.size - 1] == (char)(total - 1));
    CHECK(b.capacity <= 5 * b.max_capacity / 4 + 2048 + 1024, "capacity %zu",
          b.capacity);

    /* A reader took the start: it goes first when trimming. */
    buffer_advance(&b, 900);
    guest_write(chunk, sizeof(chunk));
    CHECK(buffer_take_ring(&b, &page) == (int)sizeof(chunk));
    buffer_discard_overflow(&b);
    CHECK(b.consumed == 0, "consumed %zu", b.consumed);
    CHECK(b.size <= b.max_capacity + b.max_capacity / 4, "size %zu", b.size);

    /* Drained: the memory goes back to the limit. */
    buffer_advance(&b, b.size - b.consumed);
    CHECK(b.capacity <= b.max_capacity, "capacity %zu", b.capacity);
    buffer_dispose(&b);
    section("overflow is discarded from the middle", before);
}

static void test_input(void)
{
    int before = failures;
    char got[8];

    reset(0, 0xfffffffeu);
    CHECK(ring_in_room(&page) == sizeof(page.in));
    ring_in_put(&page, "abcd", 4);
    CHECK(page.in_prod == 2, "in_prod %u", page.in_prod);
    CHECK(ring_in_room(&page) == sizeof(page.in) - 4);
    for (int i = 0; i < 4; i++)
        got[i] = page.in[MASK_XENCONS_IDX(0xfffffffeu + i, page.in)];
    CHECK(!memcmp(got, "abcd", 4));
    CHECK(page.in[sizeof(page.in) - 2] == 'a' && page.in[1] == 'd');

    /* A guest that consumed nothing: no room, nothing written. */
    page.in_cons = page.in_prod - sizeof(page.in);
    CHECK(ring_in_room(&page) == 0);
    /* Impossible indices: no room either. */
    page.in_cons = page.in_prod - sizeof(page.in) - 1;
    CHECK(ring_in_room(&page) == 0);
    page.in_cons = page.in_prod + 1;
    CHECK(ring_in_room(&page) == 0);
    section("guest input", before);
}

/* The file's contents (NUL-terminated, static). */
static const char *slurp(const char *path)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

static bool matches(const char *text, const char *pattern)
{
    regex_t re;
    bool ok;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
        return false;
    ok = !regexec(&re, text, 0, NULL, 0);
    regfree(&re);
    return ok;
}

#define TS "\\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\] "

static void test_log(void)
{
    int before = failures;
    char dir[] = "/tmp/xenconsoled-ring.XXXXXX", path[64];
    const char *text;
    bool need_ts;
    int fd;

    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    log_dir = dir;
    snprintf(path, sizeof(path), "%s/guest-t.log", dir);

    fd = log_open("guest-t.log", true, &need_ts);
    CHECK(fd >= 0);
    CHECK(log_write(fd, "one\ntw", 6, true, &need_ts) == 0);
    CHECK(log_write(fd, "o\n\r\rthree", 9, true, &need_ts) == 0);
    close(fd);
    text = slurp(path);
    CHECK(matches(text,
                  "^" TS "Logfile Opened\n" TS "one\n" TS "two\n" TS "three$"),
          "timestamped log:\n%s", text);

    /* Without timestamps: the bytes as they came; ESC only if asked. */
    unlink(path);
    fd = log_open("guest-t.log", false, &need_ts);
    CHECK(log_write(fd, "a\x1b[1mb\n", 7, false, &need_ts) == 0);
    replace_escape = true;
    CHECK(log_write(fd, "c\x1b[0m\x1b\n", 8, false, &need_ts) == 0);
    replace_escape = false;
    close(fd);
    text = slurp(path);
    CHECK(!strcmp(text, "a\x1b[1mb\nc.[0m.\n"), "plain log: \"%s\"", text);
    unlink(path);

    /* A log directory that is not there: an error, not a crash. */
    log_dir = "/nonexistent/xenconsoled";
    CHECK(log_open("hypervisor.log", false, &need_ts) == -1);
    rmdir(dir);
    section("log files", before);
}

int main(void)
{
    test_output();
    test_hostile_output();
    test_overflow();
    test_input();
    test_log();
    return failures ? 1 : 0;
}
