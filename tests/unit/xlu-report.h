/*
 * What the libxlutil tests share: the parser's report stream, captured
 * in memory so that a test can compare its messages with Xen's.
 */
#ifndef XLU_REPORT_H
#define XLU_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

static FILE *report;
static char *report_buf;
static size_t report_len;

/* Start the report again, empty; @cfg (if any) writes to it from now. */
static inline void report_restart(XLU_Config *cfg)
{
    if (report)
        fclose(report);
    free(report_buf);
    report_buf = NULL;
    report = open_memstream(&report_buf, &report_len);
    if (!report) {
        perror("open_memstream");
        exit(1);
    }
    if (cfg)
        cfg->report = report;
}

/* What the report holds so far. */
static inline const char *reported(void)
{
    fflush(report);
    return report_buf ? report_buf : "";
}

/* Whether the report so far is @want; shows both if not. */
static inline bool report_matches(const char *want)
{
    const char *got = reported();

    if (!strcmp(got, want))
        return true;
    printf("report: got\n%s---- want\n%s----\n", got, want);
    return false;
}

#endif
