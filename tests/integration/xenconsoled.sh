#!/bin/sh
# xenconsoled and the xenconsole client on a private stack (xencommons:
# xen, xenstored, xenconsoled) without guests, so without KVM: options,
# start-up and readiness, the hypervisor log, the pid file and its lock,
# SIGHUP, SIGTERM, restart, daemon mode, console nodes it must leave
# alone, and the client's errors. Guest consoles: xenconsoled-guest.sh.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"

DAEMON=$top_builddir/tools/xenconsoled/xenconsoled
CLIENT=$top_builddir/tools/xenconsoled/xenconsole
TS='\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] '
bad=0
children=

fail()
{
    echo "FAIL: $*"
    bad=1
}

# wait_until SECONDS COMMAND...: poll until COMMAND succeeds; whether it did.
wait_until()
{
    _n=$(($1 * 10))
    shift
    until "$@"; do
        [ "$_n" -gt 0 ] || return 1
        _n=$((_n - 1))
        sleep 0.1
    done
}

# expect STATUS TEXT COMMAND...: COMMAND exits with STATUS and prints TEXT.
expect()
{
    _want=$1 _text=$2
    shift 2
    _out=$("$@" 2>&1 </dev/null)
    _rc=$?
    if [ "$_rc" -ne "$_want" ] || ! printf '%s\n' "$_out" | grep -qF -- "$_text"
    then
        fail "$(basename "$1") ${*#"$1"}: exit $_rc, want $_want with \"$_text\"; got:"
        printf '%s\n' "$_out" | sed 's/^/    /'
    else
        echo "ok   $(basename "$1")${*#"$1"} -> $_rc"
    fi
}

alive()
{
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

dead()
{
    ! alive "$1"
}

# section NAME: ends the previous section (an "ok" line if it had no
# failure) and starts the next.
section_name=
section()
{
    [ -n "$section_name" ] && [ "$bad" -eq "$section_bad" ] &&
        echo "ok   -- $section_name"
    section_name=$1
    section_bad=$bad
    [ -n "$1" ] && echo "=== $1"
}

cleanup_children()
{
    for p in $children; do
        kill "$p" 2>/dev/null
    done
}

section "options"
expect 0 "--log=none|guest|hv|all" "$DAEMON" --help
expect 0 "Xen Console Daemon 3.0" "$DAEMON" -V
expect 22 "invalid argument 'bogus' for --log" "$DAEMON" -i --log=bogus
expect 22 "invalid argument 'sometimes' for --timestamp" "$DAEMON" -i -t sometimes
expect 22 "invalid argument 'x' for --overflow-data" "$DAEMON" -i -o x
expect 22 "Try \`" "$DAEMON" --no-such-option
expect 22 "unexpected argument 'extra'" "$DAEMON" -i extra
expect 0 "Attaches to a virtual domain console" "$CLIENT" --help
expect 22 "DOMID should be specified" "$CLIENT"
expect 22 "Invalid DOMID \`abc'" "$CLIENT" abc
expect 22 "Invalid DOMID \`-1'" "$CLIENT" -- -1
expect 22 "Invalid type argument" "$CLIENT" --type bogus 1
expect 22 "Invalid argument" "$CLIENT" --bogus 1

section "no xenstored"
nowhere=$(mktemp -d "${TMPDIR:-/tmp}/xenconsoled-none.XXXXXX")
export XENSTORED_PATH=$nowhere/socket XEN_RUN_DIR=$nowhere
expect 1 "Failed to contact xenstore" "$DAEMON" -i --pid-file="$nowhere/pid"
[ -e "$nowhere/pid" ] && fail "a daemon that never served left its pid file"
expect 2 "Could not contact XenStore" "$CLIENT" 1
unset XENSTORED_PATH XEN_RUN_DIR
rm -rf "$nowhere"

section "start-up through xencommons (hypervisor log, timestamps)"
export XENCONSOLED_TRACE=hv XENCONSOLED_ARGS=--timestamp=hv
stack_start xenconsoled
trap 'cleanup_children; [ -n "$stack" ] && { "$XENCOMMONS" stop >/dev/null 2>&1; rm -rf "$stack"; }' EXIT
cons=$XEN_LOG_DIR/console
ready=$XEN_RUN_DIR/xenconsoled.ready
pid=$(cat "$ready")
alive "$pid" || fail "the pid in $ready ($pid) is not running"
hvlog=$cons/hypervisor.log
grep -qE "^${TS}Logfile Opened$" "$hvlog" ||
    fail "no timestamped 'Logfile Opened' in hypervisor.log"
# What xen printed before xenconsoled started is in the log, each line
# timestamped: the first line of xen's own output, for one.
first=$(head -n 1 "$XEN_LOG_DIR/xen.log")
case "$first" in
"(XEN) "*) ;;
*) fail "xen.log starts with '$first'" ;;
esac
grep -qF -- "$first" "$hvlog" || fail "hypervisor.log lacks '$first'"
grep -F -- "$first" "$hvlog" | grep -qE "^$TS" ||
    fail "'$first' is not timestamped in hypervisor.log"
lines=$(grep -c . "$hvlog")
[ "$(grep -cE "^$TS" "$hvlog")" -eq "$lines" ] ||
    fail "not every hypervisor.log line is timestamped"
echo "--- hypervisor.log:"
sed 's/^/    /' "$hvlog"

# What xen prints later arrives too (VIRQ_CON_RING): creating a domain
# makes xen log a line about it, whether or not this host can run it.
before=$(grep -c "(XEN) d[1-9]" "$hvlog")
printf 'name="hvlog"\ntype="pvh"\nkernel="%s"\nmemory=16\n' \
    "$top_builddir/tests/guests/demo.elf" >"$stack/hvlog.cfg"
"$XL" create -p "$stack/hvlog.cfg" >/dev/null 2>&1 &&
    "$XL" destroy hvlog >/dev/null 2>&1
i=0
while [ "$(grep -c "(XEN) d[1-9]" "$hvlog")" -le "$before" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ "$(grep -c "(XEN) d[1-9]" "$hvlog")" -gt "$before" ] ||
    fail "xen's messages after start-up do not reach hypervisor.log"

section "the client without a console"
expect 3 "Failed to get domain information: No such process" "$CLIENT" 7
expect 3 "Failed to get domain information" "$CLIENT" --type pv 7
expect 22 "Can't specify Domain-0" "$CLIENT" 0

section "one daemon per pid file"
expect 1 "is locked" "$DAEMON" -i --pid-file="$ready" --log-dir="$cons"
[ "$(cat "$ready")" = "$pid" ] || fail "the refused daemon changed $ready"
alive "$pid" || fail "xenconsoled died"

section "console nodes it must leave alone"
if command -v xenstore-write >/dev/null && command -v xenstore-read >/dev/null
then
    # Domain 0 has no console here; domain 9 does not exist.
    xenstore-write -- /local/domain/0/console/ring-ref junk \
        /local/domain/0/console/port -5 /local/domain/0/console/type \
        xenconsoled /local/domain/0/console/tty "" \
        /local/domain/9/console/ring-ref 99999999999999999999999 \
        /local/domain/9/console/port 3 /local/domain/9/name "../../x" ||
        fail "xenstore-write"
    alive "$pid" || fail "xenconsoled died after the bogus nodes"
    [ -z "$(xenstore-read /local/domain/0/console/tty)" ] ||
        fail "domain 0 got a tty"
    xenstore-read /local/domain/9/console/tty >/dev/null 2>&1 &&
        fail "non-existent domain 9 got a tty"
    [ -e "$cons/guest-x.log" ] && fail "a log for a bogus name"
    echo "ok   bogus nodes ignored"
else
    echo "skip bogus nodes: no xenstore-write (Debian package xenstore-utils)"
fi

section "SIGHUP reopens the log"
mv "$hvlog" "$hvlog.1"
kill -HUP "$pid"
if wait_until 10 test -s "$hvlog"; then
    grep -qE "^${TS}Logfile Opened$" "$hvlog" ||
        fail "the reopened log does not start with 'Logfile Opened'"
else
    fail "no new hypervisor.log after SIGHUP"
fi
alive "$pid" || fail "xenconsoled died on SIGHUP"

section "SIGTERM, then a restart by xencommons"
kill -TERM "$pid"
wait_until 10 dead "$pid" || fail "xenconsoled ignored SIGTERM"
[ -e "$ready" ] && fail "xenconsoled left $ready behind"
if "$XENCOMMONS" start >"$stack/restart.out" 2>&1; then
    grep -q "Starting xenconsoled" "$stack/restart.out" ||
        fail "xencommons did not restart xenconsoled"
    pid=$(cat "$ready")
    alive "$pid" || fail "the restarted xenconsoled is not running"
    [ "$(grep -cE "^${TS}Logfile Opened$" "$hvlog")" -eq 2 ] ||
        fail "the restarted daemon did not reopen hypervisor.log"
else
    fail "xencommons start after the restart"
    cat "$stack/restart.out"
fi

section "a second daemon in the foreground: exit status on SIGTERM"
"$DAEMON" -i --pid-file="$stack/fg.pid" --log-dir="$cons" \
    2>"$stack/fg.err" &
fg=$!
children="$fg"
if wait_until 20 test -s "$stack/fg.pid"; then
    [ "$(cat "$stack/fg.pid")" = "$fg" ] ||
        fail "fg.pid holds $(cat "$stack/fg.pid"), not $fg"
    kill -TERM "$fg"
    wait "$fg"
    rc=$?
    [ "$rc" -eq 0 ] || fail "xenconsoled -i exited $rc on SIGTERM"
    [ -e "$stack/fg.pid" ] && fail "fg.pid left behind"
else
    fail "xenconsoled -i never became ready"
    cat "$stack/fg.err"
fi
children=

section "daemon mode"
if "$DAEMON" --pid-file="$stack/bg.pid" --log-dir="$cons"; then
    bg=$(cat "$stack/bg.pid" 2>/dev/null)
    children="$bg"
    alive "$bg" || fail "the daemon in $stack/bg.pid ($bg) is not running"
    kill -TERM "$bg"
    wait_until 10 dead "$bg" || fail "the daemon ignored SIGTERM"
    [ -e "$stack/bg.pid" ] && fail "the daemon left bg.pid behind"
    children=
else
    fail "xenconsoled (daemon mode) exited $?"
fi
# A daemon that cannot serve says so, and through its exit status.
XENSTORED_PATH=$stack/none expect 1 "Failed to contact xenstore" "$DAEMON" \
    --pid-file="$stack/bg2.pid"

section ""
stack_stop
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ]
