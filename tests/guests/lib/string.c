/* String helpers; the compiler may emit calls to memcpy/memset itself. */
#include "guest.h"

void *memset(void *s, int c, size_t n)
{
    uint8_t *p = s;

    while (n--)
        *p++ = (uint8_t)c;
    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (uint8_t)*a - (uint8_t)*b;
        if (!*a)
            break;
    }
    return 0;
}

char *strstr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (!strncmp(hay, needle, n))
            return (char *)hay;
    return n ? NULL : (char *)hay;
}

/*
 * 64-by-32 division with 32-bit operations only (i386 has no libgcc
 * here): long division in 16-bit steps keeps every partial dividend
 * below 2^32 as long as d < 2^16; larger divisors use shift-subtract.
 */
uint64_t div64(uint64_t n, uint32_t d, uint32_t *rem)
{
    uint64_t q = 0;

    if (d < 0x10000) {
        uint32_t r = 0;

        for (int shift = 48; shift >= 0; shift -= 16) {
            uint32_t cur = (r << 16) | (uint32_t)((n >> shift) & 0xffff);

            q |= (uint64_t)(cur / d) << shift;
            r = cur % d;
        }
        if (rem)
            *rem = r;
        return q;
    }
    uint64_t r = 0;

    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ULL << bit;
        }
    }
    if (rem)
        *rem = (uint32_t)r;
    return q;
}
