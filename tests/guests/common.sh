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

# new_log: $log, a temporary file removed when the script exits.
new_log()
{
    log=$(mktemp "${TMPDIR:-/tmp}/guest.XXXXXX")
    trap 'rm -f "$log"' EXIT
}

# Scripts that run several cases count them: a failed case sets failed,
# one that passed sets ran. finish exits 1 after any failure, 77 (skip)
# when nothing ran, else 0.
failed=0
ran=0

finish()
{
    [ "$failed" -eq 0 ] || exit 1
    [ "$ran" -gt 0 ] || exit 77
    exit 0
}

# run_pair TEST KERNEL ROLE1 ROLE2 V1 V2: boot KERNEL-V1.elf with
# cmdline=ROLE1 as domain 1 and KERNEL-V2.elf with cmdline=ROLE2 as
# domain 2 (32 MiB each) into $log. Both must PASS and xen exit 0; a SKIP
# from either skips the case.
run_pair()
{
    echo "=== $1 $3-$5 $4-$6"
    run_xen "$log" \
        "domU=kernel=$GUESTS/$2-$5.elf,memory=32,cmdline=$3" \
        "domU=kernel=$GUESTS/$2-$6.elf,memory=32,cmdline=$4"
    v1=$(verdict_of "$log" 1)
    v2=$(verdict_of "$log" 2)
    if [ "$v1" = SKIP ] || [ "$v2" = SKIP ]; then
        echo "--- $1 $5/$6: skipped"
        return
    fi
    ran=$((ran + 1))
    if [ "$v1" = PASS ] && [ "$v2" = PASS ] && [ "$xen_rc" -eq 0 ]; then
        echo "--- ok $1 $5/$6"
    else
        echo "--- FAIL $1 $5/$6: d1 $v1, d2 $v2, xen $xen_rc"
        failed=1
    fi
}

# run_pairs TEST KERNEL ROLE1 ROLE2: run_pair with both domains in each
# variant, and with a 32-bit and a 64-bit one (shared_info layouts differ).
run_pairs()
{
    for _p in 64:64 32:32 32:64 pae:pae; do
        run_pair "$1" "$2" "$3" "$4" "${_p%:*}" "${_p#*:}"
    done
}

# run_variants DOMU-OPTS KERNEL...: each KERNEL's 64, 32 and pae variant
# through run-guest.sh with DOMU_OPTS=DOMU-OPTS.
run_variants()
{
    _opts=$1
    shift
    for _t in "$@"; do
        for _v in 64 32 pae; do
            echo "=== $_t-$_v $_opts"
            DOMU_OPTS=$_opts sh "$(dirname "$0")/run-guest.sh" \
                "$GUESTS/$_t-$_v.elf"
            case $? in
            0) echo "--- ok"; ran=1 ;;
            77) echo "--- skipped" ;;
            *) echo "--- FAIL"; failed=1 ;;
            esac
        done
    done
}
