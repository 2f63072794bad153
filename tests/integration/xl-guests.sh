#!/bin/sh
# xl with real guests on a private stack: create, list, pause, rename,
# destroy, one domain and several, the monitor's on_poweroff/on_reboot/
# on_crash actions, -F, -e, -p, -c, a killed monitor, and creations that
# must fail cleanly. Needs KVM.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"
XL_TIMEOUT=120
. "$top_srcdir/tests/integration/xl-common.sh"

require_kvm

# expect_fail NAME CMD...: CMD fails (not by running into the limit).
expect_fail()
{
    name=$1
    shift
    timeout "$XL_TIMEOUT" "$@" >"$t/out" 2>"$t/err"
    rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; then
        fail "$name: exit $rc, want a failure:"
        sed 's/^/    err: /' "$t/err"
    else
        echo "ok   $name (exit $rc)"
    fi
}

# stop_monitor NAME: ends the monitor xl create left for NAME (its pid is
# in its log), so that a domain that keeps rebooting stays down.
stop_monitor()
{
    _pid=$(sed -n 's/.*to die \[pid \([0-9]*\)\].*/\1/p' \
        "$XEN_LOG_DIR/xl-$1.log" | head -1)
    [ -n "$_pid" ] && kill "$_pid" 2>/dev/null
}

# until_true NAME CMD...: CMD succeeds within 60 s (a bound against
# hanging, not a timing requirement).
until_true()
{
    _n=$1
    shift
    _i=0
    while ! "$@" >/dev/null 2>&1; do
        _i=$((_i + 1))
        if [ $_i -ge 600 ]; then
            fail "$_n: gave up waiting for: $*"
            return 1
        fi
        sleep 0.1
    done
}

exists() { "$XL" domid "$1"; }
gone() { ! "$XL" domid "$1"; }
# state NAME: the State column of xl list (rbpsRd letters).
state() { "$XL" list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
# state_has NAME REGEX: the State column matches (r b p s reason d).
state_has() { state "$1" | grep -Eq "$2"; }
log_has() { grep -Fq -- "$2" "$XEN_LOG_DIR/xl-$1.log"; }
ndomains() { "$XL" list | tail -n +2 | wc -l; }

# cfg NAME KERNEL [LINES...]: a PVH config file $cfg/NAME.cfg.
cfg()
{
    _f=$cfg/$1.cfg
    printf "name='%s'\ntype='pvh'\nkernel='%s'\nmemory=32\n" "$1" \
        "$GUESTS/$2" >"$_f"
    shift 2
    for _l in "$@"; do
        printf '%s\n' "$_l" >>"$_f"
    done
}

stack_start xl-guests
t=$stack/t
cfg=$stack/cfgs
mkdir -p "$t" "$cfg"

# --- a guest that powers off: on_poweroff=destroy (default) ------------
cfg h1 hello-64.elf
expect create-poweroff 0 "Parsing config from $cfg/h1.cfg" \
    "$XL" create "$cfg/h1.cfg"
until_true poweroff-gone gone h1
until_true poweroff-monitor log_has h1 "Done. Exiting now"
for l in "has shut down, reason code 0 0x0" \
    "Action for shutdown reason code 0 is destroy" \
    "needs to be cleaned up: destroying the domain"; do
    log_has h1 "$l" || fail "poweroff: monitor log lacks '$l'"
done
[ "$(ndomains)" -eq 1 ] || fail "poweroff: domains left"

# --- one running domain: every view and control -----------------------
cfg s1 spinner-64.elf vcpus=2 maxvcpus=3
expect create-spinner 0 "" "$XL" create "$cfg/s1.cfg"
id=$("$XL" domid s1)
[ -n "$id" ] && [ "$id" -gt 0 ] || fail "domid s1: '$id'"
[ "$("$XL" domname "$id")" = s1 ] || fail "domname $id"
expect list-s1 0 "" "$XL" list s1
# vCPUs other than 0 stay down until the guest brings them up (as in Xen).
grep -Eq "^s1 {38} *$id +32 +1     [-r][-b]-{4}  " "$t/out" ||
    fail "list s1: $(sed -n 2p "$t/out")"
expect list-l-s1 0 "" "$XL" list -l s1
python3 - "$t/out" "$GUESTS/spinner-64.elf" <<'EOF' || fail "list -l s1"
import json, sys
d = json.load(open(sys.argv[1]))[0]
c = d["config"]
assert c["c_info"]["name"] == "s1", c
assert c["b_info"]["kernel"] == sys.argv[2], c
assert c["b_info"]["max_vcpus"] == 3, c
EOF
expect vcpu-list-s1 0 "" "$XL" vcpu-list s1
[ "$(grep -c '^s1 ' "$t/out")" -eq 3 ] || fail "vcpu-list s1: not 3 vCPUs"
grep -Eq '^s1 +[0-9]+ +2 +- +--p ' "$t/out" || fail "vcpu-list: vCPU 2 online"
expect uptime-s1 0 "" "$XL" uptime s1
grep -Eq "^s1 +$id +[ 0-9]+:[0-9]{2}:[0-9]{2}$" "$t/out" || fail "uptime s1"
expect pause 0 "" "$XL" pause s1
state_has s1 '^..p' || fail "pause: state $(state s1)"
expect unpause 0 "" "$XL" unpause "$id"
state_has s1 '^..-' || fail "unpause: state $(state s1)"
expect rename 0 "" "$XL" rename s1 s2
[ "$("$XL" domid s2)" = "$id" ] || fail "rename: s2 is not domain $id"
gone s1 || fail "rename: s1 still exists"
expect mem-max 0 "" "$XL" mem-max s2 64m
expect mem-set 0 "" "$XL" mem-set s2 16384k
cfg s2 spinner-64.elf
expect_fail duplicate-name "$XL" create "$cfg/s2.cfg"
[ "$(ndomains)" -eq 2 ] || fail "duplicate-name: $(ndomains) domains"
expect destroy 0 "" "$XL" destroy s2
until_true destroy-gone gone s2
until_true destroy-monitor log_has s1 "Domain $id has been destroyed."

# --- several domains at once ---------------------------------------------
for n in m1 m2 m3; do
    cfg $n spinner-64.elf
    expect "create-$n" 0 "" "$XL" create "$cfg/$n.cfg"
done
[ "$(ndomains)" -eq 4 ] || fail "many: $(ndomains) domains, want 4"
ids=$(for n in m1 m2 m3; do "$XL" domid $n; done | sort -u | wc -l)
[ "$ids" -eq 3 ] || fail "many: ids not distinct"
for n in m1 m2 m3; do
    expect "destroy-$n" 0 "" "$XL" destroy $n
done
[ "$(ndomains)" -eq 1 ] || fail "many: domains left"

# --- shutdown and reboot of a guest without PV control -------------------
# The spinner offers no control/feature-*: xl's request falls back to the
# hypervisor's remote shutdown, so each reboot happens exactly once.
cfg sd spinner-64.elf on_poweroff=\'preserve\'
expect create-sd 0 "" "$XL" create "$cfg/sd.cfg"
expect shutdown-nopv 0 "Shutting down domain $("$XL" domid sd)" \
    "$XL" shutdown sd
until_true shutdown-preserved state_has sd '^...s-'
until_true shutdown-monitor log_has sd "Action for shutdown reason code 0 is preserve"
expect destroy-sd 0 "" "$XL" destroy sd

cfg rp spinner-64.elf on_reboot=\'preserve\'
expect reboot-preserve 0 "" "$XL" create "$cfg/rp.cfg"
expect reboot-rp 0 "" "$XL" reboot rp
until_true reboot-preserve state_has rp '^...sr'
until_true reboot-preserve-monitor log_has rp "Done. Exiting now"
log_has rp "Action for shutdown reason code 1 is preserve" ||
    fail "reboot-preserve: action not logged"
expect destroy-rp 0 "" "$XL" destroy rp

cfg rr spinner-64.elf
expect reboot-restart 0 "" "$XL" create "$cfg/rr.cfg"
first=$("$XL" domid rr)
expect reboot-rr 0 "Rebooting domain $first" "$XL" reboot rr
new_id() { id=$("$XL" domid rr) && [ "$id" != "$first" ]; }
until_true reboot-restarted new_id
# Built and running: the monitor watches it (a destroy mid-build would
# fail the restart instead).
until_true reboot-restart-watched log_has rr "Waiting for domain rr (domid $id)"
log_has rr "Action for shutdown reason code 1 is restart" ||
    fail "reboot-restart: action not logged"
expect destroy-rr 0 "" "$XL" destroy rr
until_true destroy-rr-monitor log_has rr "Domain $id has been destroyed."

cfg rn spinner-64.elf on_reboot=\'rename-restart\'
expect reboot-rename 0 "" "$XL" create "$cfg/rn.cfg"
first=$("$XL" domid rn)
expect reboot-rn 0 "" "$XL" reboot rn
until_true reboot-rename log_has rn "Done. Rebooting now"
new_rn() { id=$("$XL" domid rn) && [ "$id" != "$first" ]; }
until_true reboot-rename-new new_rn
until_true reboot-rename-watched log_has rn "Waiting for domain rn (domid $id)"
old=$("$XL" list | awk '{ print $1 }' | grep -E '^rn-[0-9]{8}T[0-9]{4}Z$')
[ -n "$old" ] && [ "$("$XL" domid "$old")" = "$first" ] ||
    fail "reboot-rename: domain $first not preserved as rn-YYYYMMDDTHHMMZ"
for n in rn $old; do
    "$XL" destroy "$n" || fail "reboot-rename: destroy $n"
done
[ "$(ndomains)" -eq 1 ] || fail "reboot: domains left"

# --- on_crash -----------------------------------------------------------
cfg cp crash-64.elf cmdline=\'triple\' on_crash=\'preserve\'
expect crash-preserve 0 "" "$XL" create "$cfg/cp.cfg"
until_true crash-preserve state_has cp '^...sc'
expect destroy-cp 0 "" "$XL" destroy cp
cfg cd crash-64.elf cmdline=\'triple\'
expect crash-destroy 0 "" "$XL" create "$cfg/cd.cfg"
until_true crash-destroy log_has cd "Action for shutdown reason code 3 is destroy"
until_true crash-destroy-gone gone cd

# --- -F, -e, -p ----------------------------------------------------------
cfg hf hello-64.elf
expect foreground 0 "" "$XL" create -F "$cfg/hf.cfg"
grep -q "has shut down, reason code 0 0x0" "$t/err" ||
    fail "-F: monitor messages not on stderr"
gone hf || fail "-F: domain left"
[ ! -e "$XEN_LOG_DIR/xl-hf.log" ] || fail "-F: wrote a monitor log"

cfg se spinner-64.elf
expect no-monitor 0 "" "$XL" create -e "$cfg/se.cfg"
[ ! -e "$XEN_LOG_DIR/xl-se.log" ] || fail "-e: a monitor was started"
expect destroy-se 0 "" "$XL" destroy se

cfg hp hello-64.elf
expect paused 0 "" "$XL" create -p "$cfg/hp.cfg"
state_has hp '^..p' || fail "-p: state $(state hp)"
# Destroying a domain that never ran.
expect destroy-paused 0 "" "$XL" destroy hp
until_true destroy-paused gone hp

# --- a killed monitor leaves the domain alone ---------------------------
cfg km spinner-64.elf
expect kill-monitor 0 "" "$XL" create "$cfg/km.cfg"
until_true kill-monitor log_has km "to die [pid"
stop_monitor km || fail "kill-monitor: no monitor process"
exists km >/dev/null || fail "kill-monitor: domain went with its monitor"
expect destroy-km 0 "" "$XL" destroy km

# --- the console ------------------------------------------------------------
cfg hc demo.elf
if command -v script >/dev/null; then
    timeout 60 script -qec "$XL create -c $cfg/hc.cfg" /dev/null \
        >"$t/console" 2>&1 </dev/null
    grep -q "Hello from a Xenon guest" "$t/console" ||
        fail "create -c: no guest output: $(cat "$t/console")"
    until_true console-gone gone hc
fi

# --- creations that must fail and leave nothing ---------------------------
cfg big hello-64.elf memory=1048576
expect_fail too-much-memory "$XL" create "$cfg/big.cfg"
cfg nok spinner-64.elf kernel=\'/nonexistent/kernel\'
expect_fail missing-kernel "$XL" create "$cfg/nok.cfg"
[ "$(ndomains)" -eq 1 ] || fail "failed creations left domains"

# --- the stack stops under a running domain: its monitor ends too --------
cfg orphan spinner-64.elf
expect create-orphan 0 "" "$XL" create "$cfg/orphan.cfg"
until_true orphan-monitor log_has orphan "to die [pid"
mon=$(sed -n 's/.*to die \[pid \([0-9]*\)\].*/\1/p' \
    "$XEN_LOG_DIR/xl-orphan.log" | head -1)

# stack_stop sets $failed from the daemons' health alone.
test_failed=$failed
stack_stop
[ "$test_failed" -eq 0 ] || failed=1
gone_pid() { ! kill -0 "$mon" 2>/dev/null; }
if until_true monitor-after-stop gone_pid; then
    log_has orphan "lost the connection to xenstored" ||
        fail "monitor-after-stop: no message about xenstored"
    echo "ok   monitor-after-stop"
else
    kill "$mon"
fi
exit $failed
