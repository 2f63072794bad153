# A private xen host for the integration tests that speak to it over its
# privcmd socket. Sourced after tests/guests/common.sh:
#   host_start NAME [xen args...]   temp dir $run, xen in the background
#                                   with XEN_RUN_DIR=$run, waits for the
#                                   socket ($log holds xen's output)
#   host_run PROGRAM ARGS...        runs a program against it, sets $test_rc
#   host_stop                       SIGTERM, prints the log, sets $failed:
#                                   the program must have exited 0, xen
#                                   with status 0 (70: a domain leaked) and
#                                   without leaving its socket behind
run=
xen_pid=
trap '[ -n "$xen_pid" ] && kill "$xen_pid" 2>/dev/null; [ -n "$run" ] && rm -rf "$run"' EXIT

host_start()
{
    run=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    log=$run/xen.log
    shift
    XEN_RUN_DIR=$run timeout 300 "$XEN" console_to_stderr "$@" >"$log" 2>&1 &
    xen_pid=$!
    tries=0
    while [ ! -S "$run/privcmd" ]; do
        if ! kill -0 "$xen_pid" 2>/dev/null || [ $tries -ge 300 ]; then
            echo "FAIL: xen did not serve $run/privcmd"
            cat "$log"
            exit 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
}

host_run()
{
    XEN_RUN_DIR=$run timeout 240 "$@"
    test_rc=$?
    test_name=$(basename "$1")
}

host_stop()
{
    kill -TERM "$xen_pid"
    wait "$xen_pid"
    xen_rc=$?
    xen_pid=
    sed 's/^/    xen: /' "$log"
    failed=0
    if [ "$test_rc" -ne 0 ]; then
        echo "FAIL: $test_name exited with $test_rc"
        failed=1
    fi
    if [ "$xen_rc" -ne 0 ]; then
        echo "FAIL: xen exited with $xen_rc after SIGTERM"
        failed=1
    fi
    if [ -e "$run/privcmd" ]; then
        echo "FAIL: xen left its socket behind"
        failed=1
    fi
}
