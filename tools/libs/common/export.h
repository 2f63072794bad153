/*
 * The libraries are built with -fvisibility=hidden: only what this marks
 * is exported, with the version tag its library's .map file gives it.
 */
#ifndef XENTOOLS_EXPORT_H
#define XENTOOLS_EXPORT_H

#define XENTOOLS_EXPORT __attribute__((visibility("default")))

#endif
