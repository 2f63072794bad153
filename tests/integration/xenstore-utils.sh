#!/bin/sh
# Debian's own clients (package xenstore-utils, linked with Debian's
# libxenstore) against our xenstored: the same commands run against Xen
# 4.17's C xenstored must print exactly the same.
. "$top_srcdir/tests/integration/xenstore-common.sh"

for tool in xenstore-read xenstore-write xenstore-ls xenstore-rm \
    xenstore-chmod xenstore-watch xenstore-list xenstore-exists \
    xenstore-control; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool missing (Debian package xenstore-utils)"
        exit 77
    fi
done

# session SOCKET: the commands, with their output and exit status.
session()
{
    XENSTORED_PATH=$1
    export XENSTORED_PATH
    r() {
        echo "\$ $*"
        "$@" 2>&1
        echo "[exit $?]"
    }
    r xenstore-write /u/a 1 /u/b "two words" /u/c/d deep
    r xenstore-read /u/a /u/b /u/c/d
    r xenstore-read -p /u/a
    r xenstore-read /u/missing
    r xenstore-write /u/esc 'tab\there\x41'
    r xenstore-read /u/esc
    r xenstore-read -R /u/esc
    r xenstore-ls /u
    r xenstore-ls -f /u
    r xenstore-ls -p /u
    r xenstore-list /u
    r xenstore-list /u/a
    r xenstore-exists /u/a
    r xenstore-exists /u/zz
    r xenstore-chmod /u/a n0 r5
    r xenstore-chmod -r /u/c b0 w7
    r xenstore-chmod /u/a x5
    r xenstore-ls -p /u
    r xenstore-rm /u/b
    r xenstore-list /u
    r xenstore-rm /u/zz
    r xenstore-rm /u/zz/yy
    r xenstore-rm -t /u/c/d
    r xenstore-ls /u
    r xenstore-write u-rel relative
    r xenstore-read /local/domain/0/u-rel
    r xenstore-read u-rel
    r xenstore-write /u/bad/ x
    r xenstore-write '/u/a b' x
    # A listing too long for one message (DIRECTORY_PART).
    i=0
    set --
    while [ $i -lt 300 ]; do
        set -- "$@" "/u/big/entry-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "$i"
        i=$((i + 1))
    done
    xenstore-write "$@"
    echo "\$ xenstore-list /u/big | wc -l; md5sum"
    xenstore-list /u/big | wc -l
    xenstore-ls /u/big | md5sum
    # /usr/bin/xenstore-control wants a hypervisor; Xen's own binary not.
    ctl=/usr/lib/xen-4.17/bin/xenstore-control
    if [ -x "$ctl" ]; then
        r "$ctl" check
        r "$ctl" quota
        r "$ctl" print "from xenstore-utils.sh"
    fi
    # Watches: the initial event, then one per change.
    xenstore-watch -n 3 /u/w >"$tmp/watch.out" 2>&1 &
    wp=$!
    while ! xenstore-read /u/w-ready >/dev/null 2>&1; do
        xenstore-write /u/w-ready 1
    done
    sleep 0.3
    xenstore-write /u/w/x 1
    sleep 0.1
    xenstore-rm /u/w
    wait $wp
    echo "\$ xenstore-watch -n 3 /u/w"
    cat "$tmp/watch.out"
    r xenstore-rm /u
    r xenstore-ls /
}

xs_tmpdir
start_ours "$tmp/ours" ""
start_theirs "$tmp/c" "" || exit $?
session "$tmp/c/socket" >"$tmp/c.out"
session "$tmp/ours/socket" >"$tmp/ours.out"
if ! diff -u "$tmp/c.out" "$tmp/ours.out"; then
    echo "FAIL: Debian's clients see a difference (- Xen's C xenstored, + ours)"
    exit 1
fi
[ -n "${XS_SHOW:-}" ] && cat "$tmp/ours.out"
echo "ok: $(grep -c '^\$' "$tmp/ours.out") commands print the same against both"
