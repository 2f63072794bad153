#!/bin/sh
# The tables libacpi builds (written by test-libacpi --write) must
# disassemble with ACPICA's iasl without errors, recompile, and show the
# fields a PVH and an HVM guest get.

if ! command -v iasl >/dev/null 2>&1; then
    echo "SKIP: iasl not installed (Debian package acpica-tools)"
    exit 77
fi
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
"$top_builddir/tests/unit/test-libacpi" --write "$dir" || exit 1

fail=0
# expect FILE PATTERN: the disassembly of FILE must match PATTERN.
expect()
{
    if ! grep -Eq "$2" "$dir/$1"; then
        echo "FAIL: $1 lacks /$2/"
        fail=1
    fi
}

# count FILE PATTERN N: PATTERN matches N lines of FILE's disassembly.
count()
{
    n=$(grep -Ec "$2" "$dir/$1")
    if [ "$n" != "$3" ]; then
        echo "FAIL: $1 has $n lines /$2/, expected $3"
        fail=1
    fi
}

for f in "$dir"/*.dat; do
    t=${f%.dat}
    if ! (cd "$dir" && iasl -d "$f") >"$t.dis.log" 2>&1; then
        cat "$t.dis.log"
        echo "FAIL: iasl -d $(basename "$f")"
        fail=1
        continue
    fi
    # Assemble the disassembly again: a table iasl cannot rebuild is wrong.
    if ! (cd "$dir" && iasl -p "$t.re" "$t.dsl") >"$t.asm.log" 2>&1 ||
        ! grep -q " 0 Errors" "$t.asm.log"; then
        cat "$t.asm.log"
        echo "FAIL: iasl $(basename "$t").dsl"
        fail=1
    fi
done
[ "$(ls "$dir"/*.dsl | wc -l)" = 11 ] || { echo "FAIL: tables missing"; fail=1; }

expect pvh-facp.dsl 'Revision : 05'
expect pvh-facp.dsl 'PM Timer Block Address : 00000000'
expect pvh-facp.dsl 'CMOS RTC Not Present \(V5\) : 1'
expect pvh-facp.dsl 'Control Method Power Button \(V1\) : 1'
expect pvh-facp.dsl 'SCI Interrupt : 0009'
count pvh-apic.dsl 'Subtable Type : 00 \[Processor Local APIC\]' 2
count pvh-apic.dsl 'I/O APIC|Interrupt Source Override' 0
expect pvh-apic.dsl 'Local Apic ID : 02'
count pvh-xsdt.dsl 'ACPI Table Address' 2
expect pvh-dsdt.dsl 'Processor \(PR01, 0x01'

expect hvm-facp.dsl 'Revision : 04'
expect hvm-facp.dsl 'PM Timer Block Address : 0000B008'
expect hvm-facp.dsl 'CMOS RTC Not Present \(V5\) : 0'
expect hvm-facp.dsl 'Address : 0000000000000CF9'
count hvm-apic.dsl 'Subtable Type : 00 \[Processor Local APIC\]' 4
count hvm-apic.dsl 'Subtable Type : 01 \[I/O APIC\]' 1
count hvm-apic.dsl 'Subtable Type : 02 \[Interrupt Source Override\]' 4
expect hvm-apic.dsl 'Address : FEC00000'
expect hvm-apic.dsl 'Interrupt : 00000002'
expect hvm-hpet.dsl 'Hardware Block ID : 8086A201'
expect hvm-hpet.dsl 'Address : 00000000FED00000'
count hvm-xsdt.dsl 'ACPI Table Address' 3
expect hvm-dsdt.dsl 'Name \(\\_S5, Package'
expect hvm-dsdt.dsl 'Processor \(PR03, 0x03'
expect hvm-facs.dsl 'Signature : "FACS"'

[ $fail = 0 ] && echo "PASS libacpi-iasl"
exit $fail
