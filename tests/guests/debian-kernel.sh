# Sourced by tests that need a real Debian kernel: sets DEBIAN_KERNEL to a
# Debian 12 amd64 bzImage (linux-image-6.1.0-*-amd64-unsigned), cached in
# $top_builddir/tests/cache, or skips the test (exit 77) saying why.
# Expects top_builddir (the test harness exports it).

debian_kernel_skip()
{
    echo "SKIP: no Debian kernel: $*"
    exit 77
}

debian_kernel_fetch()
{
    _pkg=$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
        grep -E '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' |
        sort -V | tail -n 1)
    [ -n "$_pkg" ] ||
        debian_kernel_skip "apt-cache knows no linux-image-6.1.0-*-amd64-unsigned"
    _tmp=$(mktemp -d "${TMPDIR:-/tmp}/debian-kernel.XXXXXX") ||
        debian_kernel_skip "cannot make a temporary directory"
    if ! (cd "$_tmp" && apt-get download "$_pkg") >"$_tmp/log" 2>&1; then
        tail -n 3 "$_tmp/log"
        rm -rf "$_tmp"
        debian_kernel_skip "apt-get download $_pkg failed"
    fi
    if ! dpkg-deb --fsys-tarfile "$_tmp"/*.deb | tar -x -C "$_tmp" ./boot ||
        ! ls "$_tmp"/boot/vmlinuz-* >/dev/null 2>&1; then
        rm -rf "$_tmp"
        debian_kernel_skip "$_pkg holds no /boot/vmlinuz-*"
    fi
    mkdir -p "$debian_kernel_cache"
    for _k in "$_tmp"/boot/vmlinuz-*; do
        # Copy, then rename: a test running beside us never sees half a file.
        cp "$_k" "$debian_kernel_cache/.partial.$$" &&
            mv "$debian_kernel_cache/.partial.$$" \
                "$debian_kernel_cache/${_k##*/}"
    done
    rm -rf "$_tmp"
}

debian_kernel_cache=${top_builddir:-.}/tests/cache
DEBIAN_KERNEL=$(ls "$debian_kernel_cache"/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$DEBIAN_KERNEL" ]; then
    debian_kernel_fetch
    DEBIAN_KERNEL=$(ls "$debian_kernel_cache"/vmlinuz-* 2>/dev/null |
        sort -V | tail -n 1)
    [ -n "$DEBIAN_KERNEL" ] || debian_kernel_skip "nothing in $debian_kernel_cache"
fi
echo "Debian kernel: $DEBIAN_KERNEL"
