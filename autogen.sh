#!/bin/sh
# Regenerate the autotools files (configure, Makefile.in, libtool glue).
set -e
cd "$(dirname "$0")"
autoreconf --install --force
