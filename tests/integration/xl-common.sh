# Shared by the xl tests (xl-cli.sh, xl-guests.sh): failure bookkeeping
# and the command check. Sourced; $t is the test's scratch directory and
# XL_TIMEOUT (default 60) the seconds a command may take before it
# counts as hung.

: "${XL_TIMEOUT:=60}"
failed=0
fail()
{
    echo "FAIL $*"
    failed=1
}

# expect NAME WANT-STATUS WANT-LINE CMD...: CMD exits WANT-STATUS and
# WANT-LINE (if not empty) is a whole line of its stderr.
expect()
{
    name=$1 want=$2 line=$3
    shift 3
    timeout "$XL_TIMEOUT" "$@" >"$t/out" 2>"$t/err"
    rc=$?
    if [ "$rc" -ne "$want" ] ||
        { [ -n "$line" ] && ! grep -Fxq -- "$line" "$t/err"; }; then
        fail "$name: exit $rc (want $want, stderr line '$line'):"
        sed 's/^/    out: /' "$t/out"
        sed 's/^/    err: /' "$t/err"
    else
        echo "ok   $name"
    fi
}
