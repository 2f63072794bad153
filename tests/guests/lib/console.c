/*
 * printk and vsnprintf. Supported: %d %i %u %x %X %o %c %s %p %%, the
 * flags '-', '0', ' ', '+', '#', a width and precision (also '*'), and
 * the length modifiers hh h l ll z.
 */
#include "guest.h"

struct out {
    char *buf;
    size_t size, len; /* len counts every char, even those cut off */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
                       bool left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;

    if (!left)
        while (fill-- > 0)
            put(o, pad);
    while (n--)
        put(o, *s++);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool neg, unsigned int base,
                       bool upper, int width, int prec, bool left, bool zero,
                       char sign, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = 0, total;

    while (v) {
        uint32_t r;

        v = div64(v, base, &r);
        tmp[n++] = digits[r];
    }
    if (!n && prec != 0)
        tmp[n++] = '0';
    if (neg)
        sign = '-';
    if (prefix)
        plen = strlen(prefix);
    int zeros = prec > n ? prec - n : 0;
    total = n + zeros + plen + (sign ? 1 : 0);
    if (zero && !left && prec < 0 && width > total) {
        zeros += width - total;
        total = width;
    }
    if (!left)
        for (int i = total; i < width; i++)
            put(o, ' ');
    if (sign)
        put(o, sign);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    while (zeros-- > 0)
        put(o, '0');
    while (n)
        put(o, tmp[--n]);
    if (left)
        for (int i = total; i < width; i++)
            put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};

    for (; *fmt; fmt++) {
        bool left = false, zero = false, alt = false;
        int width = 0, prec = -1, lng = 0;
        char sign = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (;;) {
            char f = *++fmt;

            if (f == '-')
                left = true;
            else if (f == '0')
                zero = true;
            else if (f == '+')
                sign = '+';
            else if (f == ' ')
                sign = sign ? sign : ' ';
            else if (f == '#')
                alt = true;
            else
                break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = true;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        for (;; fmt++) {
            if (*fmt == 'l')
                lng++;
            else if (*fmt == 'z')
                lng = sizeof(size_t) == 8 ? 2 : 1;
            else if (*fmt == 'h')
                lng--;
            else
                break;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng >= 2   ? va_arg(ap, long long)
                          : lng == 1 ? va_arg(ap, long)
                                     : va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng <= -2)
                v = (signed char)v;
            put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false,
                       width, prec, left, zero, sign, NULL);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v = lng >= 2   ? va_arg(ap, unsigned long long)
                                   : lng == 1 ? va_arg(ap, unsigned long)
                                              : va_arg(ap, unsigned int);
            unsigned int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            const char *prefix = NULL;

            if (lng == -1)
                v = (unsigned short)v;
            else if (lng <= -2)
                v = (unsigned char)v;
            if (alt && v && base == 16)
                prefix = *fmt == 'X' ? "0X" : "0x";
            else if (alt && base == 8)
                prefix = "0";
            put_number(&o, v, false, base, *fmt == 'X', width, prec, left, zero,
                       0, prefix);
            break;
        }
        case 'p':
            put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
                       width, prec, left, zero, 0, "0x");
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);

            if (!s)
                s = "(null)";
            put_padded(&o, s, prec >= 0 ? strnlen(s, prec) : strlen(s), width,
                       left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/*
 * Line buffers, one per vCPU: one console_io write per line keeps exits
 * few, and lines from different vCPUs do not mix.
 */
struct line {
    char buf[160];
    size_t len;
};
static struct line lines[MAX_GUEST_VCPUS];
static bool smp_seen;

static struct line *my_line(void)
{
    unsigned int id = 0;

    /* Skip the CPUID until a second vCPU has run. */
    if (vcpus_running > 1)
        smp_seen = true;
    if (smp_seen)
        id = this_vcpu_id();
    return &lines[id < MAX_GUEST_VCPUS ? id : 0];
}

void console_flush(void)
{
    struct line *l = my_line();

    if (l->len)
        HYPERVISOR_console_io(CONSOLEIO_write, l->len, l->buf);
    l->len = 0;
}

void vprintk(const char *fmt, va_list ap)
{
    struct line *l = my_line();
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    for (int i = 0; i < n; i++) {
        l->buf[l->len++] = buf[i];
        if (buf[i] == '\n' || l->len == sizeof(l->buf)) {
            HYPERVISOR_console_io(CONSOLEIO_write, l->len, l->buf);
            l->len = 0;
        }
    }
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
