/*
 * Boot-time domains (the dom0less path): each domU= option describes a
 * PVH domain that xen builds and starts by itself, without a toolstack:
 *   domU=kernel=PATH[,ramdisk=PATH],memory=MiB,vcpus=N,name=NAME,cmdline=...
 * cmdline comes last and may contain commas.
 */
#ifndef XEN_DOM0LESS_H
#define XEN_DOM0LESS_H

#include <xen/sched.h>

/* Build and start every domU= domain; 0 or the first error. */
int dom0less_build_all(void);
/* Number of domU= options given. */
unsigned int dom0less_count(void);

#endif
