# Shell helpers for the guest tests; sourced by run-guest.sh and the
# *.sh guest tests. Expects top_builddir (the test harness exports it).

: "${top_builddir:=.}"
XEN=${XEN:-$top_builddir/xen/xen}
GUESTS=$top_builddir/tests/guests

# Exit 77 (skip) where this machine cannot run guests.
require_kvm()
{
    if [ ! -e /dev/kvm ]; then
        echo "SKIP: /dev/kvm is absent (no KVM on this machine)"
        exit 77
    fi
    if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
        echo "SKIP: /dev/kvm is not readable and writable by $(id -un)"
        exit 77
    fi
    if [ ! -x "$XEN" ]; then
        echo "FAIL: $XEN is not built"
        exit 1
    fi
}

# run_xen LOG ARGS...: run xen with the console on stderr, exit on
# shutdown, a 120 s limit; output goes to LOG and to our stdout. Sets
# xen_rc to its exit status.
run_xen()
{
    _log=$1
    shift
    timeout 120 "$XEN" console_to_stderr exit_on_shutdown "$@" >"$_log" 2>&1
    xen_rc=$?
    cat "$_log"
    echo "xen exit status: $xen_rc"
}

# verdict_of LOG DOMID: the verdict word a domain printed (PASS, FAIL,
# SKIP or NONE).
verdict_of()
{
    if grep -q "^(d$2) FAIL " "$1"; then
        echo FAIL
    elif grep -q "^(d$2) SKIP " "$1"; then
        echo SKIP
    elif grep -q "^(d$2) PASS " "$1"; then
        echo PASS
    else
        echo NONE
    fi
}
