#!/bin/sh
# xenstore-cxenstored.sh RUNDIR SHIM.so: start Xen 4.17's own C xenstored
# (Debian package xen-utils-4.17) with its socket at RUNDIR/socket and
# guest rings as files in RUNDIR (see xenstore-cshim.c); its pid goes to
# RUNDIR/cxenstored.pid. Exit status 77 if the daemon is not installed.
set -eu
run=$1
shim=$2
bin=/usr/lib/xen-4.17/bin/xenstored
if [ ! -x "$bin" ]; then
    echo "SKIP: $bin missing (Debian package xen-utils-4.17)" >&2
    exit 77
fi
mkdir -p "$run"
printf 1 >"$run/xsd_port"
head -c 4096 /dev/zero >"$run/xsd_kva"
rm -f "$run/socket"
XENSTORED_RUNDIR="$run" XENSTORED_PATH="$run/socket" XS_SHIM_DIR="$run" \
    LD_PRELOAD="$shim" setsid "$bin" --no-fork --internal-db \
    --pid-file "$run/xenstored.pid" >"$run/cxenstored.log" 2>&1 &
echo $! >"$run/cxenstored.pid"
i=0
while [ ! -S "$run/socket" ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
if [ ! -S "$run/socket" ]; then
    echo "C xenstored did not start:" >&2
    cat "$run/cxenstored.log" >&2
    exit 1
fi
