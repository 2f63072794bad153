# Shared by the xenstore tests: private daemons in a temporary directory.
# Sourced; needs top_srcdir and top_builddir (make check sets them).

XENSTORED=$top_builddir/tools/xenstored/xenstored
WIRE=$top_builddir/tests/integration/xenstore-wire
CSHIM=$top_builddir/tests/integration/.libs/xenstore-cshim.so
pids=

xs_cleanup()
{
    for p in $pids; do
        kill "$p" 2>/dev/null
    done
    for p in $pids; do
        wait "$p" 2>/dev/null
    done
    [ -n "${tmp:-}" ] && [ -z "${XS_KEEP:-}" ] && rm -rf "$tmp"
}

xs_tmpdir()
{
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/xenstore-test.XXXXXX")
    trap xs_cleanup EXIT
    trap 'exit 1' INT TERM
}

# make_rings DIR "DOMIDS": empty ring pages for those domains.
make_rings()
{
    mkdir -p "$1"
    for d in $2; do
        head -c 4096 /dev/zero >"$1/ring-$d"
    done
}

wait_socket()
{
    i=0
    while [ ! -S "$1" ] && [ $i -lt 200 ]; do
        sleep 0.02
        i=$((i + 1))
    done
    [ -S "$1" ] || { echo "FAIL: no socket $1"; exit 1; }
}

# start_ours DIR "DOMIDS" [OPTIONS]: our xenstored, socket DIR/socket.
start_ours()
{
    dir=$1 doms=$2
    shift 2
    make_rings "$dir" "$doms"
    XENSTORED_PATH=$dir/socket "$XENSTORED" --no-fork --test-rings "$dir" \
        "$@" 2>"$dir/xenstored.log" &
    pids="$pids $!"
    wait_socket "$dir/socket"
}

# start_theirs DIR "DOMIDS": Xen's C xenstored; status 77 if it is not
# installed (xenstore-cxenstored.sh says so), other failures end the test.
start_theirs()
{
    make_rings "$1" "$2"
    sh "$top_srcdir/tests/integration/xenstore-cxenstored.sh" "$1" "$CSHIM"
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 77 ] || exit $rc
    [ $rc -eq 0 ] && pids="$pids $(cat "$1/cxenstored.pid")"
    return $rc
}
