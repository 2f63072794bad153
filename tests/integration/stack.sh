# A private host for whole-stack tests: xen, xenstored and xenconsoled
# started by the real xencommons script under a temp dir, and the
# environment that points xl and the libraries at them. Sourced after
# tests/guests/common.sh:
#   stack_start NAME [xen args...]   temp dir $stack; exports XEN_RUN_DIR,
#                                    XEN_LOG_DIR, XEN_LIB_DIR,
#                                    XENSTORED_RUNDIR, XEN_CONFIG_DIR
#                                    ($stack/etc, an empty xl.conf) and
#                                    XENCONSOLE_PATH; $XL is xl
#   stack_logs                       prints the daemons' logs
#   stack_stop                       checks every daemon is still running,
#                                    stops them with xencommons; sets
#                                    $failed (xen reported a leaked domain,
#                                    a daemon died or would not stop)
XL=$top_builddir/tools/xl/xl
XENCOMMONS=$top_builddir/tools/hotplug/Linux/xencommons
stack=
trap '[ -n "$stack" ] && { "$XENCOMMONS" stop >/dev/null 2>&1; rm -rf "$stack"; }' EXIT

stack_start()
{
    stack=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    shift
    export XEN_RUN_DIR=$stack/run XEN_LOG_DIR=$stack/log \
        XEN_LIB_DIR=$stack/lib XENSTORED_RUNDIR=$stack/xenstored \
        XEN_CONFIG_DIR=$stack/etc XENCOMMONS_CONFIG=/dev/null \
        XEN_ARGS="$*" XENCOMMONS_WAIT=30 \
        XENSTORED=$top_builddir/tools/xenstored/xenstored \
        XENCONSOLED=$top_builddir/tools/xenconsoled/xenconsoled \
        XEN_INIT_DOM0=$top_builddir/tools/helpers/xen-init-dom0 \
        XENCONSOLE_PATH=$top_builddir/tools/xenconsoled/xenconsole
    export XEN
    unset XENSTORED_PATH
    mkdir -p "$XEN_CONFIG_DIR"
    : >"$XEN_CONFIG_DIR/xl.conf"
    if ! "$XENCOMMONS" start >"$stack/xencommons.out" 2>&1; then
        echo "FAIL: xencommons start"
        cat "$stack/xencommons.out"
        stack_logs
        exit 1
    fi
}

stack_logs()
{
    for f in "$XEN_LOG_DIR"/*.log; do
        [ -f "$f" ] && sed "s|^|    $(basename "$f" .log): |" "$f"
    done
}

stack_stop()
{
    failed=0
    if ! "$XENCOMMONS" status >"$stack/status.out" 2>&1; then
        echo "FAIL: a daemon died during the test:"
        cat "$stack/status.out"
        failed=1
    fi
    if ! "$XENCOMMONS" stop >"$stack/stop.out" 2>&1; then
        echo "FAIL: xencommons stop:"
        cat "$stack/stop.out"
        failed=1
    fi
    stack_logs
}
