#!/bin/sh
# xl's schedulers, vCPU affinity and cpupools on a private stack of two
# pCPUs: sched-credit2 / sched-credit (domains and pools), cpupool-create
# (command line and file), -list, -rename, -cpu-add/-remove, -migrate,
# -destroy, vcpu-pin and vcpu-list on Domain-0, xl info's scheduler lines,
# xl -N create's JSON, and every error a user can make. Output layouts
# are Xen 4.17's. With KVM, a guest is then created in a credit pool
# with a weight and cap, moved, and pinned.
. "$top_srcdir/tests/guests/common.sh"
. "$top_srcdir/tests/integration/stack.sh"
. "$top_srcdir/tests/integration/xl-common.sh"

# out_is NAME TEXT: the last command's stdout is exactly TEXT.
out_is()
{
    if [ -z "$2" ]; then
        : >"$t/want"
    else
        printf '%s\n' "$2" >"$t/want"
    fi
    cmp -s "$t/want" "$t/out" || {
        fail "$1: stdout differs:"
        diff "$t/want" "$t/out" | sed 's/^/    /'
    }
}

# err_has NAME TEXT: the last command's stderr has TEXT in a line.
err_has()
{
    grep -Fq -- "$2" "$t/err" || {
        fail "$1: stderr lacks '$2':"
        sed 's/^/    err: /' "$t/err"
    }
}

SCHED2_HEAD='Name                                ID Weight  Cap'
dom0_line() { printf 'Domain-0                             0 %6d %4d' "$1" "$2"; }
LIST_HEAD='Name               CPUs   Sched     Active   Domain count'
POOL0_BOTH='Pool-0               2   credit2       y          1'
POOL0_ONE='Pool-0               1   credit2       y          1'

stack_start xl-sched pcpus=2
t=$stack/t
mkdir -p "$t"

# --- credit2 (Pool-0's scheduler) --------------------------------------
expect sched-credit2 0 "" "$XL" sched-credit2
out_is sched-credit2 "Cpupool Pool-0: ratelimit=1000us
$SCHED2_HEAD
$(dom0_line 256 0)"
expect credit2-weight 0 "" "$XL" sched-credit2 -d Domain-0 -w 512
expect credit2-show 0 "" "$XL" sched-credit2 -d Domain-0
out_is credit2-show "$SCHED2_HEAD
$(dom0_line 512 0)"
expect credit2-list-l 0 "" "$XL" list -l Domain-0
python3 - "$t/out" <<'EOF' || fail "list -l: sched_params not credit2/512/0"
import json, sys
p = json.load(open(sys.argv[1]))[0]["config"]["b_info"]["sched_params"]
assert p == {"sched": "credit2", "weight": 512, "cap": 0}, p
EOF
expect credit2-cap 0 "" "$XL" sched-credit2 -d 0 -c 150 -w 256
expect credit2-show-cap 0 "" "$XL" sched-credit2 -d 0
out_is credit2-show-cap "$SCHED2_HEAD
$(dom0_line 256 150)"
expect credit2-cap-back 0 "" "$XL" sched-credit2 -d 0 -c 0
expect credit2-weight-0 1 "libxl_domain_sched_params_set failed." \
    "$XL" sched-credit2 -d Domain-0 -w 0
err_has credit2-weight-0 "Cpu weight out of range, valid values are within range from 1 to 65535"
expect credit2-cap-big 1 "libxl_domain_sched_params_set failed." \
    "$XL" sched-credit2 -d Domain-0 -c 201
err_has credit2-cap-big "valid range is from 0 to 200 for specified number of vcpus"
expect credit2-weight-word 1 "Invalid weight 'lots'." \
    "$XL" sched-credit2 -d Domain-0 -w lots
expect credit2-no-domain 1 "Must specify a domain." "$XL" sched-credit2 -w 5
expect credit2-s-and-d 1 \
    "Specifying a cpupool or schedparam is not allowed with domain options." \
    "$XL" sched-credit2 -s -d Domain-0
expect credit2-r-no-s 1 \
    "Must specify schedparam to set schedule parameter values." \
    "$XL" sched-credit2 -r 2000
expect credit2-unchanged 0 "" "$XL" sched-credit2
out_is credit2-unchanged "Cpupool Pool-0: ratelimit=1000us
$SCHED2_HEAD
$(dom0_line 256 0)"
expect credit2-ratelimit 0 "" "$XL" sched-credit2 -s -r 2000
expect credit2-s 0 "" "$XL" sched-credit2 -s
out_is credit2-s "Cpupool Pool-0: ratelimit=2000us"
expect credit2-ratelimit-low 1 "libxl_sched_credit2_params_set failed." \
    "$XL" sched-credit2 -s -r 50
err_has credit2-ratelimit-low "Ratelimit out of range, valid range is from 100 to 500000"
expect credit2-ratelimit-back 0 "" "$XL" sched-credit2 -s -r 1000 -p Pool-0
expect credit2-pool-unknown 1 "unknown cpupool 'nosuch'" \
    "$XL" sched-credit2 -p nosuch
expect credit2-domain-unknown 1 \
    "nosuch is an invalid domain identifier (rc=-6)" \
    "$XL" sched-credit2 -d nosuch
# No pool runs credit yet: nothing to show.
expect sched-credit-none 0 "" "$XL" sched-credit
out_is sched-credit-none ""

# --- pools --------------------------------------------------------------
expect cpupool-list 0 "" "$XL" cpupool-list
out_is cpupool-list "$LIST_HEAD
$POOL0_BOTH"
expect cpupool-list-c 0 "" "$XL" cpupool-list -c
out_is cpupool-list-c "Name               CPU list
Pool-0             0,1"
expect cpupool-list-missing 1 "Pool 'nosuch' does not exist" \
    "$XL" cpupool-list nosuch
expect info-sched 0 "" "$XL" info
grep -Fxq "xen_scheduler          : credit2" "$t/out" ||
    fail "info: xen_scheduler is not credit2"
grep -Fxq "free_cpus              : 0" "$t/out" || fail "info: free_cpus not 0"

# pCPU 0 stays in Pool-0; like Xen's xl, a pCPU that cannot move is
# reported but does not fail the command.
expect cpu-remove-0 0 "some cpus may not have been removed from Pool-0" \
    "$XL" cpupool-cpu-remove Pool-0 0
err_has cpu-remove-0 "Error removing cpu 0 from cpupool: Invalid argument"
expect cpu-remove-bad 1 "Invalid pcpu range: x." \
    "$XL" cpupool-cpu-remove Pool-0 x
expect cpu-remove-1 0 "" "$XL" cpupool-cpu-remove Pool-0 1
expect list-after-remove 0 "" "$XL" cpupool-list
out_is list-after-remove "$LIST_HEAD
$POOL0_ONE"
expect info-free 0 "" "$XL" info free_cpus
out_is info-free 1

expect create-dry 0 "" "$XL" cpupool-create -n 'name="p1"' 'sched="credit"' 'cpus="1"'
out_is create-dry 'Using config file "command line"
cpupool name:   p1
scheduler:      credit
number of cpus: 1'
expect create-dry-N 0 "" "$XL" -N cpupool-create 'name="p1"' 'cpus=[1]'
expect after-dry 1 "Pool 'p1' does not exist" "$XL" cpupool-list p1
expect create-p1 0 "" "$XL" cpupool-create 'name="p1"' 'sched="credit"' 'cpus="1"'
expect list-p1 0 "" "$XL" cpupool-list
out_is list-p1 "$LIST_HEAD
$POOL0_ONE
p1                   1    credit       y          0"
expect list-c-p1 0 "" "$XL" cpupool-list -c p1
out_is list-c-p1 "Name               CPU list
p1                 1"
expect create-dup 1 'Pool name "p1" already exists' \
    "$XL" cpupool-create 'name="p1"'
expect create-bad-sched 1 "Unknown scheduler" \
    "$XL" cpupool-create 'name="p3"' 'sched="foo"'
expect create-busy-cpu 1 "cpu 1 illegal or not free" \
    "$XL" cpupool-create 'name="p3"' 'cpus="1"'
expect create-busy-list 1 "cpu 0 illegal or not free" \
    "$XL" cpupool-create 'name="p3"' 'cpus=[0]'
expect create-no-name 1 "Missing cpupool name!" \
    "$XL" cpupool-create 'sched="credit"'
expect create-syntax 1 "" "$XL" cpupool-create 'name=='
expect create-no-file 1 \
    "Failed to read config file: $t/none.cfg: No such file or directory" \
    "$XL" cpupool-create "$t/none.cfg"
# From a file, named after it, with the command line overriding the file.
printf 'sched = "credit2"\ncpus = []\n' >"$t/pool-f"
expect create-file 0 "" "$XL" cpupool-create "$t/pool-f" 'sched="null"'
out_is create-file "Using config file \"$t/pool-f\"
cpupool name:   pool-f
scheduler:      null
number of cpus: 0"
expect list-file 0 "" "$XL" cpupool-list pool-f
out_is list-file "$LIST_HEAD
pool-f               0      null       y          0"
expect destroy-file 0 "" "$XL" cpupool-destroy pool-f

# credit's pool parameters, and a domain in a pool of another scheduler.
expect sched-credit 0 "" "$XL" sched-credit
out_is sched-credit "Cpupool p1: tslice=30ms ratelimit=1000us migration-delay=0us
$SCHED2_HEAD"
expect credit-set 0 "" "$XL" sched-credit -s -p p1 -t 10 -r 500 -m 100
expect credit-show 0 "" "$XL" sched-credit -s -p p1
out_is credit-show "Cpupool p1: tslice=10ms ratelimit=500us migration-delay=100us"
expect credit-tslice-0 1 "libxl_sched_credit_params_set failed." \
    "$XL" sched-credit -s -p p1 -t 0
err_has credit-tslice-0 "Time slice out of range, valid range is from 1 to 1000"
expect credit-rl-over 1 "libxl_sched_credit_params_set failed." \
    "$XL" sched-credit -s -p p1 -t 1 -r 5000
err_has credit-rl-over "Ratelimit cannot be greater than timeslice"
expect credit-delay-big 1 "libxl_sched_credit_params_set failed." \
    "$XL" sched-credit -s -p p1 -m 200000
err_has credit-delay-big "vcpu migration delay should be >= 0 and <= 100000us"
expect credit-t-word 1 "Invalid time slice 'ten'." \
    "$XL" sched-credit -s -p p1 -t ten
expect credit-unchanged 0 "" "$XL" sched-credit -s -p 1
out_is credit-unchanged "Cpupool p1: tslice=10ms ratelimit=500us migration-delay=100us"
expect credit-dom0 1 "libxl_domain_sched_params_get returned credit2 not credit." \
    "$XL" sched-credit -d Domain-0
expect credit2-in-credit-pool 0 "" "$XL" sched-credit2 -p p1
out_is credit2-in-credit-pool ""

# Domain 0 cannot move itself (Xen's rule).
expect migrate-dom0 1 "" "$XL" cpupool-migrate Domain-0 p1
err_has migrate-dom0 "Error moving domain to cpupool: Operation not permitted"
expect migrate-unknown 1 "unknown cpupool 'nosuch'" \
    "$XL" cpupool-migrate Domain-0 nosuch
expect cpu-add-busy 0 "some cpus may not have been added to Pool-0" \
    "$XL" cpupool-cpu-add Pool-0 1
err_has cpu-add-busy "Error moving cpu 1 to cpupool: No such device"
expect cpu-add-unknown 1 "unknown cpupool 'nosuch'" \
    "$XL" cpupool-cpu-add nosuch 1

expect rename 0 "" "$XL" cpupool-rename p1 p2
expect rename-taken 1 "Can't rename cpupool 'p2'" \
    "$XL" cpupool-rename p2 Pool-0
err_has rename-taken "Pool 'Pool-0' already exists"
expect rename-unknown 1 "unknown cpupool 'p1'" "$XL" cpupool-rename p1 p3
expect list-renamed 0 "" "$XL" cpupool-list
out_is list-renamed "$LIST_HEAD
$POOL0_ONE
p2                   1    credit       y          0"

# Names live in xenstore as Xen keeps them; a pool that lost its name
# is listed as Pool-<id> and can still be acted on.
if command -v xenstore-read >/dev/null; then
    xs() { XENSTORED_PATH=$XENSTORED_RUNDIR/socket "$@"; }
    [ "$(xs xenstore-read /local/pool/0/name)" = Pool-0 ] ||
        fail "xenstore: /local/pool/0/name is not Pool-0"
    [ "$(xs xenstore-read /local/pool/1/name)" = p2 ] ||
        fail "xenstore: /local/pool/1/name is not p2"
    xs xenstore-read /local/pool/1/uuid | grep -Eq '^[0-9a-f-]{36}$' ||
        fail "xenstore: /local/pool/1/uuid is not a uuid"
    xs xenstore-rm /local/pool/1/name || fail "xenstore-rm"
    expect list-unnamed 0 "" "$XL" cpupool-list -c Pool-1
    out_is list-unnamed "Name               CPU list
Pool-1             1"
    expect rename-unnamed 0 "" "$XL" cpupool-rename 1 p2
fi

expect destroy-pool0 1 "" "$XL" cpupool-destroy Pool-0
err_has destroy-pool0 "Pool-0 cannot be destroyed"
expect destroy-unknown 1 "unknown cpupool 'nosuch'" \
    "$XL" cpupool-destroy nosuch
expect destroy-p2 0 "" "$XL" cpupool-destroy p2
if command -v xenstore-read >/dev/null &&
    xs xenstore-read /local/pool/1/name >/dev/null 2>&1; then
    fail "xenstore: /local/pool/1 is left after destroy"
fi
expect info-free-after 0 "" "$XL" info free_cpus
out_is info-free-after 1
expect cpu-add-back 0 "" "$XL" cpupool-cpu-add Pool-0 1
expect list-back 0 "" "$XL" cpupool-list
out_is list-back "$LIST_HEAD
$POOL0_BOTH"

# --- vCPU affinity of Domain-0 ------------------------------------------
VL_HEAD='Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)'
# vcpu_aff N: the Affinity column of Domain-0's vCPU N.
vcpu_aff() { awk -v n="$1" '$1 == "Domain-0" && $3 == n { print $7, $8, $9 }' "$t/out"; }
expect vcpu-list 0 "" "$XL" vcpu-list Domain-0
[ "$(head -1 "$t/out")" = "$VL_HEAD" ] || fail "vcpu-list: header"
grep -Eq '^Domain-0 +0 +0 +[0-9-]+ +[-r][-b][-p] +[0-9]+\.[0-9]  all / all$' \
    "$t/out" || fail "vcpu-list: vCPU 0 line: $(sed -n 2p "$t/out")"
expect vcpu-pin 0 "" "$XL" vcpu-pin Domain-0 0 1
expect vcpu-list-pinned 0 "" "$XL" vcpu-list Domain-0
[ "$(vcpu_aff 0)" = "1 / all" ] || fail "vcpu-pin: vCPU 0 has $(vcpu_aff 0)"
[ "$(vcpu_aff 1)" = "all / all" ] || fail "vcpu-pin: vCPU 1 has $(vcpu_aff 1)"
expect vcpu-pin-soft 0 "" "$XL" vcpu-pin Domain-0 all - 0
expect vcpu-list-soft 0 "" "$XL" vcpu-list Domain-0
[ "$(vcpu_aff 0)" = "1 / 0" ] || fail "vcpu-pin soft: vCPU 0 has $(vcpu_aff 0)"
[ "$(vcpu_aff 1)" = "all / 0" ] || fail "vcpu-pin soft: vCPU 1 has $(vcpu_aff 1)"
expect vcpu-pin-apart 1 "Could not set affinity for vcpu \`0'." \
    "$XL" vcpu-pin Domain-0 0 1 0
expect vcpu-pin-bad-vcpu 1 "Error: Invalid argument x as VCPU." \
    "$XL" vcpu-pin Domain-0 x all
expect vcpu-pin-bad-cpus 1 "Invalid pcpu range: 3-1." \
    "$XL" vcpu-pin Domain-0 0 3-1
expect vcpu-pin-dry 0 "" "$XL" -N vcpu-pin Domain-0 0 0-1 ^0,1
out_is vcpu-pin-dry "cpumap: all 1"
expect vcpu-pin-back 0 "" "$XL" vcpu-pin Domain-0 all all all
expect vcpu-list-back 0 "" "$XL" vcpu-list Domain-0
[ "$(vcpu_aff 0) $(vcpu_aff 1)" = "all / all all / all" ] ||
    fail "vcpu-pin all: $(vcpu_aff 0), $(vcpu_aff 1)"

# --- the configuration: cpu_weight, cap, pool, cpus ---------------------
expect create-N 0 "" "$XL" -N create /dev/null 'name="g"' 'type="pvh"' \
    "kernel=\"$XEN\"" vcpus=2 cpu_weight=512 cap=50 'pool="p1"' 'cpus="1"' \
    'cpus_soft="0-1"'
python3 - "$t/out" <<'EOF' || fail "-N create: JSON lacks the scheduling keys"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["c_info"]["pool_name"] == "p1", d["c_info"]
b = d["b_info"]
assert b["sched_params"] == {"weight": 512, "cap": 50}, b
assert b["vcpu_hard_affinity"] == [[1], [1]], b
assert b["vcpu_soft_affinity"] == [[0, 1], [0, 1]], b
EOF
timeout "$XL_TIMEOUT" "$XL" create /dev/null 'name="g"' 'type="pvh"' \
    "kernel=\"$XEN\"" 'pool="nosuch"' >"$t/out" 2>"$t/err" &&
    fail "create-bad-pool: xl create succeeded"
err_has create-bad-pool "Illegal pool specified: nosuch"
[ "$("$XL" list | wc -l)" -eq 2 ] || fail "create-bad-pool: a domain is left"

# --- guests (KVM) -------------------------------------------------------
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    expect g-pool 0 "" "$XL" cpupool-cpu-remove Pool-0 1
    expect g-create-pool 0 "" "$XL" cpupool-create 'name="p1"' \
        'sched="credit"' 'cpus="1"'
    printf "name='g1'\ntype='pvh'\nkernel='%s'\nmemory=32\nvcpus=1\n" \
        "$GUESTS/spinner-64.elf" >"$t/g1.cfg"
    expect g-create 0 "" "$XL" create "$t/g1.cfg" 'pool="p1"' \
        cpu_weight=512 cap=50
    expect g-credit 0 "" "$XL" sched-credit -d g1
    grep -Eq '^g1 +[0-9]+    512   50$' "$t/out" ||
        fail "g-credit: $(cat "$t/out")"
    expect g-list-l 0 "" "$XL" list -l g1
    python3 - "$t/out" <<'EOF' || fail "g-list-l: sched_params"
import json, sys
p = json.load(open(sys.argv[1]))[0]["config"]["b_info"]["sched_params"]
assert p == {"sched": "credit", "weight": 512, "cap": 50}, p
EOF
    expect g-pools 0 "" "$XL" cpupool-list p1
    grep -q ' credit       y          1$' "$t/out" ||
        fail "g-pools: $(cat "$t/out")"
    expect g-destroy-busy 1 "" "$XL" cpupool-destroy p1
    err_has g-destroy-busy "still has 1 domain(s)"
    expect g-weight 0 "" "$XL" sched-credit -d g1 -w 128
    expect g-weight-show 0 "" "$XL" sched-credit -d g1
    grep -Eq '^g1 +[0-9]+    128   50$' "$t/out" ||
        fail "g-weight-show: $(cat "$t/out")"
    # A move resets the parameters, as in Xen.
    expect g-migrate 0 "" "$XL" cpupool-migrate g1 Pool-0
    expect g-credit2 0 "" "$XL" sched-credit2 -d g1
    grep -Eq '^g1 +[0-9]+    256    0$' "$t/out" ||
        fail "g-credit2: $(cat "$t/out")"
    expect g-pin 0 "" "$XL" vcpu-pin g1 0 0
    expect g-vcpu-list 0 "" "$XL" vcpu-list g1
    grep -Eq '^g1 +[0-9]+ +0 .*  0 / all$' "$t/out" ||
        fail "g-vcpu-list: $(cat "$t/out")"
    expect g-destroy 0 "" "$XL" destroy g1
    expect g-pool-destroy 0 "" "$XL" cpupool-destroy p1
    expect g-pool-back 0 "" "$XL" cpupool-cpu-add Pool-0 1
else
    echo "SKIP guest checks: /dev/kvm is absent or not usable here"
fi

# stack_stop sets $failed from the daemons' health alone.
test_failed=$failed
stack_stop
[ "$test_failed" -eq 0 ] || failed=1
exit $failed
