/* What every host unit test uses: EXPECT() and the failure count. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static int failures;

/* Count and report a failed condition; the test goes on. */
#define EXPECT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                     \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* main()'s ending: the verdict line and the exit status. */
#define UNIT_DONE(name)                                                        \
    do {                                                                       \
        if (failures)                                                          \
            return 1;                                                          \
        printf("PASS %s\n", name);                                             \
        return 0;                                                              \
    } while (0)

#endif
