#!/bin/sh
# xl as a user runs it against a private stack with domain 0 only (no
# guest needs to run): the command line, every class of configuration
# error, xl -N create's JSON, the Domain-0 views (list, info, uptime,
# domid/domname, dmesg, vcpu-list) and a create that xen refuses.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"
. "$top_srcdir/tests/integration/xl-common.sh"

# Nothing of a refused domain may remain: no domain besides Domain-0, no
# xenstore home, no saved configuration.
expect_no_guest()
{
    n=$("$XL" list | wc -l)
    [ "$n" -eq 2 ] || fail "$1: $n lines in xl list, a domain is left"
    if command -v xenstore-list >/dev/null; then
        if ! XENSTORED_PATH=$XENSTORED_RUNDIR/socket \
            xenstore-list /local/domain >"$t/xs" 2>&1; then
            fail "$1: cannot list /local/domain: $(cat "$t/xs")"
        elif grep -vxq 0 "$t/xs"; then
            fail "$1: /local/domain still has $(grep -vx 0 "$t/xs")"
        fi
    fi
    # Domain 0's own (userdata-d0.*) stays.
    left=$(ls "$XEN_LIB_DIR" 2>/dev/null | grep userdata | grep -v '^userdata-d0\.')
    [ -z "$left" ] || fail "$1: userdata left in $XEN_LIB_DIR: $left"
}

stack_start xl-cli
t=$stack/t
mkdir -p "$t"
cfg=$t/cfgs
mkdir -p "$cfg"

# --- the command line -------------------------------------------------
expect no-command 1 "" "$XL"
grep -q "^Usage xl \[-vfNtT\] <subcommand> \[args\]" "$t/out" ||
    fail "no-command: no usage on stdout"
expect unknown-command 1 "command not implemented" "$XL" frobnicate
expect unknown-global-option 1 "unknown global option" "$XL" -Z list
expect unknown-option 2 "option \`Z' not supported." "$XL" list -Z
expect missing-argument 2 "'xl domid' requires at least 1 argument." \
    "$XL" domid
expect help 0 "" "$XL" help
for c in create list destroy shutdown reboot pause unpause console info \
    dmesg uptime domid domname rename vcpu-list vcpu-set mem-set mem-max; do
    grep -Eq "^ $c +[A-Z]" "$t/out" || fail "help: $c not listed"
done
expect help-create 0 "" "$XL" help create
grep -Fxq "Usage: xl [-vfN] create <ConfigFile> [options] [vars]" \
    "$t/out" || fail "help-create: usage line"
expect help-h 0 "" "$XL" list -h
grep -Fxq "Usage: xl [-v] list [options] [Domain]" "$t/out" ||
    fail "list -h: usage line"
expect dryrun-refused 1 "command does not implement -N (dryrun) option" \
    "$XL" -N list

# --- Domain-0 views ---------------------------------------------------
expect list 0 "" "$XL" list
head -1 "$t/out" | grep -Fxq "$(printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)')" ||
    fail "list: header"
grep -Eq '^Domain-0 {37}0 [ 0-9]{5} [ 0-9]{5}     [-r][-b]-{4}  [ 0-9]{6}\.[0-9]$' \
    "$t/out" || fail "list: Domain-0 line $(sed -n 2p "$t/out")"
[ "$(wc -l <"$t/out")" -eq 2 ] || fail "list: not exactly one domain"
ncpu=$(sed -n 2p "$t/out" | awk '{print $4}')

expect list-one 0 "" "$XL" list Domain-0
expect list-missing 1 "nosuch is an invalid domain identifier (rc=-6)" \
    "$XL" list nosuch
expect list-v 0 "" "$XL" list -v
head -1 "$t/out" | grep -q "UUID                            Reason-Code" ||
    fail "list -v: header"
expect list-l 0 "" "$XL" list -l
python3 - "$t/out" <<'EOF' || fail "list -l: not [{domid 0, config}]"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]["domid"] == 0, d
assert d[0]["config"]["c_info"]["name"] == "Domain-0", d
EOF

expect info 0 "" "$XL" info
for k in host release version machine nr_cpus max_cpu_id nr_nodes \
    cores_per_socket threads_per_core cpu_mhz hw_caps virt_caps \
    total_memory free_memory sharing_freed_memory sharing_used_memory \
    outstanding_claims xen_major xen_minor xen_extra xen_version xen_caps \
    xen_scheduler xen_pagesize platform_params xen_changeset \
    xen_commandline cc_compiler cc_compile_by cc_compile_domain \
    cc_compile_date build_id xend_config_format; do
    grep -Eq "^$(printf '%-23s' "$k"): " "$t/out" || fail "info: no $k"
done
[ "$(sed -n 's/^nr_cpus  *: //p' "$t/out")" -eq "$(nproc)" ] ||
    fail "info: nr_cpus is not the host's $(nproc)"
[ "$(sed -n 's/^host  *: //p' "$t/out")" = "$(uname -n)" ] ||
    fail "info: host is not $(uname -n)"
[ "$(sed -n 's/^xen_version  *: //p' "$t/out")" = \
    "$(sed -n 's/^xen_major  *: //p' "$t/out").$(sed -n 's/^xen_minor  *: //p' "$t/out")$(sed -n 's/^xen_extra  *: //p' "$t/out")" ] ||
    fail "info: xen_version does not add up"
sched=$(sed -n 's/^xen_scheduler  *: //p' "$t/out")
expect info-field 0 "" "$XL" info xen_scheduler
[ "$(cat "$t/out")" = "$sched" ] || fail "info xen_scheduler: $(cat "$t/out")"

expect uptime 0 "" "$XL" uptime
[ "$(head -1 "$t/out")" = "Name                                ID Uptime" ] ||
    fail "uptime: header"
grep -Eq '^Domain-0 {29}0 +[0-9]+:[0-9]{2}:[0-9]{2}$|^Domain-0 {29}0 [0-9]+ days?, ' \
    "$t/out" || fail "uptime: Domain-0 line"
expect uptime-s 0 "" "$XL" uptime -s Domain-0
grep -Eq '^ [0-9]{2}:[0-9]{2}:[0-9]{2} up .*, Domain-0 \(0\)$' "$t/out" ||
    fail "uptime -s: $(cat "$t/out")"

expect domid 0 "" "$XL" domid Domain-0
[ "$(cat "$t/out")" = 0 ] || fail "domid: $(cat "$t/out")"
expect domname 0 "" "$XL" domname 0
[ "$(cat "$t/out")" = Domain-0 ] || fail "domname: $(cat "$t/out")"
expect domid-missing 1 \
    "Can't get domid of domain name 'nosuch', maybe this domain does not exist." \
    "$XL" domid nosuch
expect domname-missing 1 \
    "Can't get domain name of domain id '77', maybe this domain does not exist." \
    "$XL" domname 77
expect domname-bad 1 "Invalid domain id." "$XL" domname xyz

expect vcpu-list 0 "" "$XL" vcpu-list Domain-0
[ "$(head -1 "$t/out")" = \
    "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)" ] ||
    fail "vcpu-list: header"
[ "$(grep -c '^Domain-0 ' "$t/out")" -eq "$ncpu" ] ||
    fail "vcpu-list: not one line per Domain-0 vCPU ($ncpu)"

expect dmesg 0 "" "$XL" dmesg
[ -s "$t/out" ] || fail "dmesg: empty"
expect dmesg-clear 0 "" "$XL" dmesg -c
expect dmesg-after-clear 0 "" "$XL" dmesg
[ ! -s "$t/out" ] || fail "dmesg: ring not cleared"

expect destroy-dom0 1 "Not destroying domain 0; use -f to force." \
    "$XL" destroy 0
expect pause-missing 1 "nosuch is an invalid domain identifier (rc=-6)" \
    "$XL" pause nosuch
expect shutdown-nothing 1 "You must specify -a or a domain id." \
    "$XL" shutdown
expect mem-set-bad 1 "invalid memory size: 12q" "$XL" mem-set 0 12q
expect vcpu-set-bad 1 "Error: Invalid argument." "$XL" vcpu-set 0 many

# --- configuration errors ---------------------------------------------
good="name='g'
type='pvh'
kernel='$GUESTS/demo.elf'
memory=32"
printf '%s\n' "$good" >"$cfg/good.cfg"

# cfgerr NAME WANT-STATUS WANT-LINE CONFIG-TEXT [ARGS]: xl -N create of a
# file holding CONFIG-TEXT.
cfgerr()
{
    printf '%s\n' "$4" >"$cfg/$1.cfg"
    n=$1 w=$2 l=$3
    shift 4
    expect "cfg-$n" "$w" "$l" "$XL" -N create "$cfg/$n.cfg" "$@"
}

cfgerr lexical 1 "$cfg/lexical.cfg:2: config parsing error near \`-colors': lexical error" \
    "name='g'
llc-colors = \"9-13\""
grep -Fxq "Failed to parse config: Invalid argument" "$t/err" ||
    fail "cfg-lexical: no 'Failed to parse config'"
cfgerr empty-value 1 "" "name='g'
memory =
vcpus = 1"
grep -q "^$cfg/empty-value.cfg:[0-9]*: config parsing error near <newline>: syntax error" \
    "$t/err" || fail "cfg-empty-value: not a syntax error at the newline"
cfgerr unterminated 1 "" "name='g'
kernel = \"/boot/x"
grep -q "^$cfg/unterminated.cfg:2: config parsing error near " "$t/err" ||
    fail "cfg-unterminated: error does not cite line 2"
cfgerr bad-list 1 "" "name='g'

disk = [ 'a', ]]"
grep -q "^$cfg/bad-list.cfg:3: config parsing error near " "$t/err" ||
    fail "cfg-bad-list: error does not cite line 3"
# An override is a line after the file's (Xen joins them with a newline).
cfgerr override-error 1 "" "$good" 'memory=]'
grep -q "^$cfg/override-error.cfg:6: config parsing error near \`]'" \
    "$t/err" || fail "cfg-override-error: error does not cite line 6"
cfgerr no-name 1 "Domain name must be specified." "type='pvh'"
cfgerr bad-type 1 "Invalid domain type banana." "name='g'
type='banana'"
cfgerr builder-conflict 1 \
    'Contradicting "builder" and "type" options specified.' "name='g'
type='pvh'
builder='hvm'"
cfgerr bad-uuid 1 "Failed to parse UUID: 1234" "name='g'
uuid='1234'"
cfgerr bad-action 1 'Unknown on_crash action "explode" specified' \
    "name='g'
on_crash='explode'"
cfgerr maxvcpus 1 "xl: maxvcpus < vcpus" "name='g'
vcpus=4
maxvcpus=2"
cfgerr vcpus-zero 1 "xl: vcpus=0 is out of range (1-4096)" "name='g'
vcpus=0"
cfgerr memory-huge 1 "xl: invalid memory size 99999999999999 (MiB)" \
    "name='g'
memory=99999999999999"
cfgerr vif-key 1 "unrecognized argument \`colour=blue'" "name='g'
vif=['bridge=br0, colour=blue']"
cfgerr vif-mac 1 "Invalid parameter \`mac'." "name='g'
vif=['mac=00:16:3e:zz:00:01']"
cfgerr vif-type 1 "Invalid parameter \`type'." "name='g'
vif=['type=tap']"
cfgerr vif-mtu 1 'xl: failed to convert "big" to number' "name='g'
vif=['mtu=big']"
cfgerr vif-rate 1 "$cfg/vif-rate.cfg: config parsing error in vif: invalid rate in \`fast'" \
    "name='g'
vif=['rate=fast']"
cfgerr disk-novdev 1 \
    "$cfg/disk-novdev.cfg: config parsing error in disk specification: no vdev specified in \`target=/dev/x'" \
    "name='g'
disk=['target=/dev/x']"
cfgerr cpus-range 1 "Invalid pcpu range: 3-1." "name='g'
vcpus=1
cpus='3-1'"
cfgerr cpus-all 1 'Can'"'"'t combine "^" and "all".' "name='g'
vcpus=1
cpus='^all'"
expect missing-file 3 \
    "Failed to read config file: $cfg/nonexistent.cfg: No such file or directory" \
    "$XL" create "$cfg/nonexistent.cfg"
expect no-file 6 "Config file not specified and none in save file" \
    "$XL" create
expect two-files 2 "" "$XL" create "$cfg/good.cfg" "$cfg/good.cfg"

# --- xl -N create: the configuration as JSON --------------------------
# Every kind of syntax: both quotes, ';', '+=' on a string and a list,
# hex and octal numbers, comments, and command-line overrides.
cat >"$cfg/rich.cfg" <<EOF
# a rich configuration
name = "rich" ; type = 'pvh'
uuid = "5502539d-c0a3-4126-9eeb-63e96f6b1de7"
kernel = '/boot/vmlinuz'
ramdisk = "/boot/guest.cpio.gz"
cmdline = "console=hvc0"
cmdline += ' rdinit=/init'
memory = 0x100     # 256, overridden below
maxmem = 0400
vcpus = 2
maxvcpus = 3
on_crash = "preserve"
on_reboot = 'rename-restart'
vif = [ 'mac=00:16:3e:01:02:03, bridge=br1, ip=10.0.0.2, mtu=9000',
        '' ]
vif += [ 'vifname=v2,script=vif-nat,model=e1000,type=ioemu,devid=7,backend=0' ]
disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg/rich' ]
unknown_key = "ignored"
EOF
expect json 0 "Parsing config from $cfg/rich.cfg" \
    env XEN_RUN_DIR="$t/no-xen" "$XL" -N create "$cfg/rich.cfg" \
    memory=192 'cmdline+=" loglevel=4"' 'vif+=["rate=10Mb/s"]'
cp "$t/out" "$t/rich.json"
# Derived by hand from Xen's rules: memory and maxmem in KiB, vcpus as
# the avail_vcpus bitmap, on_* as libxl's enum names, defaults left out,
# each vif numbered by its place in the list unless devid= says otherwise.
python3 - "$t/rich.json" <<'EOF' || fail "json: not the expected configuration"
import json, sys
got = json.load(open(sys.argv[1]))
want = {
    "c_info": {
        "type": "pvh",
        "name": "rich",
        "uuid": "5502539d-c0a3-4126-9eeb-63e96f6b1de7",
        "run_hotplug_scripts": "True",
    },
    "b_info": {
        "max_vcpus": 3,
        "avail_vcpus": [0, 1],
        "max_memkb": 262144,
        "target_memkb": 196608,
        "sched_params": {},
        "claim_mode": "True",
        "kernel": "/boot/vmlinuz",
        "cmdline": "console=hvc0 rdinit=/init loglevel=4",
        "ramdisk": "/boot/guest.cpio.gz",
        "type.pvh": {},
        "arch_arm": {},
        "arch_x86": {},
    },
    "disks": [{
        "pdev_path": "/dev/vg/rich",
        "vdev": "xvda",
        "format": "raw",
        "readwrite": 1,
    }],
    "nics": [
        {"devid": 0, "mtu": 9000, "mac": "00:16:3e:01:02:03",
         "ip": "10.0.0.2", "bridge": "br1"},
        {"devid": 1},
        {"backend_domname": "0", "devid": 7, "model": "e1000",
         "ifname": "v2", "script": "vif-nat", "nictype": "vif_ioemu"},
        {"devid": 3, "rate_bytes_per_interval": 62500,
         "rate_interval_usecs": 50000},
    ],
    "on_reboot": "restart_rename",
    "on_crash": "preserve",
    "on_soft_reset": "soft_reset",
}
def diff(path, a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            diff(path + "." + k, a.get(k), b.get(k))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            diff("%s[%d]" % (path, i), x, y)
    elif a != b:
        print("    %s: got %r, want %r" % (path, a, b))
        diff.bad = True
diff.bad = False
diff("", got, want)
sys.exit(1 if diff.bad else 0)
EOF
# Xen's layout: yajl's, four spaces a level.
grep -q '^    "c_info": {$' "$t/rich.json" &&
    grep -q '^        "name": "rich",$' "$t/rich.json" ||
    fail "json: not indented four spaces a level"

# Without -N nothing is printed; -d prints it on stderr; -q drops the
# "Parsing config" line.
expect json-q 0 "" env XEN_RUN_DIR="$t/no-xen" "$XL" -N create -q \
    "$cfg/rich.cfg"
grep -q "Parsing config" "$t/err" && fail "json-q: still says Parsing config"
expect json-n 0 "" env XEN_RUN_DIR="$t/no-xen" "$XL" create -n \
    "$cfg/rich.cfg" memory=192 'cmdline+=" loglevel=4"' 'vif+=["rate=10Mb/s"]'
cmp -s "$t/out" "$t/rich.json" || fail "create -n differs from -N create"
expect json-devnull 0 "" env XEN_RUN_DIR="$t/no-xen" "$XL" -N create \
    /dev/null "name='cmdline'" memory=16
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["c_info"]["name"]=="cmdline" and d["b_info"]["target_memkb"]==16384' \
    "$t/out" || fail "json-devnull: $(cat "$t/out")"
# root= and extra= make a command line when cmdline= is absent.
expect json-root 0 "" env XEN_RUN_DIR="$t/no-xen" "$XL" -N create \
    /dev/null "name='r'" "root='/dev/xvda1'" "extra='ro quiet'"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["b_info"]["cmdline"]=="root=/dev/xvda1 ro quiet"' \
    "$t/out" || fail "json-root: $(cat "$t/out")"
expect json-root-ignored 0 \
    "Warning: ignoring root= and extra= in favour of cmdline=" \
    env XEN_RUN_DIR="$t/no-xen" "$XL" -N create /dev/null "name='r'" \
    "root='/dev/xvda1'" "cmdline='a'"

# CPU affinity needs the host's CPU count, so the stack's xen answers.
expect json-cpus 0 "" "$XL" -N create /dev/null "name='c'" vcpus=2 \
    "cpus='0-3,^1'" "cpus_soft=['1', 'nodes:0,^2']"
python3 - "$t/out" <<'EOF' || fail "json-cpus: $(cat "$t/out")"
import json, os, sys
b = json.load(open(sys.argv[1]))["b_info"]
assert b["vcpu_hard_affinity"] == [[0, 2, 3], [0, 2, 3]], b
ncpu = os.cpu_count()
node0 = [c for c in range(ncpu) if c != 2]
assert b["vcpu_soft_affinity"] == [[1], node0], b
assert b["numa_placement"] == "False", b
EOF

# --- creations that fail and must leave nothing behind ------------------
# expect_refused NAME WORD CMD...: CMD fails, says WORD, leaves nothing.
expect_refused()
{
    name=$1 word=$2
    shift 2
    timeout "$XL_TIMEOUT" "$@" >"$t/out" 2>"$t/err"
    rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || ! grep -q -- "$word" "$t/err"
    then
        fail "$name: exit $rc, stderr: $(cat "$t/err")"
    else
        echo "ok   $name (exit $rc)"
    fi
    expect_no_guest "$name"
}
expect_refused missing-kernel no-such-kernel "$XL" create /dev/null \
    "name='nk'" "type='pvh'" "kernel='$t/no-such-kernel'" memory=16
expect_refused too-much-memory memory "$XL" create /dev/null \
    "name='big'" "type='pvh'" "kernel='$GUESTS/demo.elf'" memory=100000000
expect pv-refused 6 "" "$XL" create /dev/null "name='pv'" "type='pv'" \
    "kernel='$GUESTS/demo.elf'" memory=16
expect_no_guest pv-refused

# --- the global configuration (xl.conf) --------------------------------
# The installed file parses and sets nothing that changes a domain.
XEN_CONFIG_DIR=$top_srcdir/tools/xl "$XL" -N create -q /dev/null \
    "name='d'" >"$t/out" 2>"$t/err" && [ ! -s "$t/err" ] &&
    XEN_CONFIG_DIR=$top_srcdir/tools/xl "$XL" list >/dev/null ||
    fail "installed xl.conf: $(cat "$t/err")"
mkdir -p "$t/etc"
printf '%s\n' 'vif.default.bridge = "xenbr7"' 'defaultbridge = "old"' \
    'vif.default.script = "vif-route"' \
    "lockfile = \"$t/no-such-dir/xl.lock\"" >"$t/etc/xl.conf"
expect conf-deprecated 0 \
    "the global config option defaultbridge is deprecated, please switch to vif.default.bridge" \
    env XEN_CONFIG_DIR="$t/etc" "$XL" -N create -q /dev/null "name='d'" \
    "vif=['', 'bridge=br9']"
python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["nics"]; assert n[0]["bridge"]=="xenbr7" and n[0]["script"]=="vif-route" and n[1]["bridge"]=="br9", n' \
    "$t/out" || fail "conf defaults: $(cat "$t/out")"
expect conf-lockfile 3 \
    "cannot open the lockfile $t/no-such-dir/xl.lock errno=2" \
    env XEN_CONFIG_DIR="$t/etc" "$XL" create -q "$cfg/good.cfg"
expect_no_guest conf-lockfile
printf 'autoballoon = [\n' >"$t/etc/xl.conf"
expect conf-bad 1 "Failed to parse config file: Invalid argument" \
    env XEN_CONFIG_DIR="$t/etc" "$XL" list
rm -f "$t/etc/xl.conf"
expect conf-missing 0 \
    "Failed to read config file: $t/etc/xl.conf: No such file or directory" \
    env XEN_CONFIG_DIR="$t/etc" "$XL" list

# --- a valid domain that xen cannot create here -----------------------
if [ ! -e /dev/kvm ]; then
    expect refused 3 "" "$XL" create "$cfg/good.cfg"
    grep -Fxq "Parsing config from $cfg/good.cfg" "$t/err" ||
        fail "refused: no 'Parsing config from'"
    expect_no_guest refused
    expect refused-again 3 "" "$XL" create -p -e "$cfg/good.cfg"
    expect_no_guest refused-again
fi

# stack_stop sets $failed from the daemons' health alone.
test_failed=$failed
stack_stop
[ "$test_failed" -eq 0 ] || failed=1
exit $failed
