#!/bin/sh
# gentypes.py refuses a broken IDL with the file and line, writes nothing,
# and on test.idl writes the declarations libxl's layout needs.
set -u
PYTHON3=${PYTHON3:-python3}
gen="$top_srcdir/tools/libxl/idl/gentypes.py"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_error NAME MESSAGE: the IDL on stdin must fail with MESSAGE.
expect_error() {
    cat >"$tmp/$1.idl"
    mkdir "$tmp/$1"
    if "$PYTHON3" "$gen" "$tmp/$1.idl" "$tmp/$1" 2>"$tmp/err"; then
        echo "FAIL $1: accepted"; fail=1; return
    fi
    if ! grep -q "$1.idl:[0-9]*: $2" "$tmp/err"; then
        echo "FAIL $1: wrong message:"; cat "$tmp/err"; fail=1
    fi
    if [ -n "$(ls "$tmp/$1")" ]; then
        echo "FAIL $1: wrote output"; fail=1
    fi
}

expect_error unknown 'unknown type nosuch' <<'X'
struct libxl_a
    x nosuch
end
X
expect_error noend 'unexpected end of file' <<'X'
builtin integer ctype=int
struct libxl_a
    x integer
X
expect_error dupfield 'field x defined twice' <<'X'
builtin integer ctype=int
struct libxl_a
    x integer
    x integer
end
X
expect_error dupname 'type libxl_a defined twice' <<'X'
enum libxl_a
    1 one
end
enum libxl_a
    1 one
end
X
expect_error badvalue 'bad enum value one' <<'X'
enum libxl_a
    one 1
end
X
expect_error keynotenum 'union key must be an enum' <<'X'
builtin integer ctype=int
struct libxl_a
    u union integer k
    end
end
X
expect_error notamember 'hexagon is not a value of libxl_e' <<'X'
enum libxl_e
    1 round
end
struct libxl_a
    u union libxl_e k
        hexagon none
    end
end
X
expect_error nested 'one keyed union per named struct only' <<'X'
enum libxl_e
    1 round
end
struct libxl_a
    s struct
        u union libxl_e k
        end
    end
end
X

# The shape of a struct with an array, a keyed union and a const field.
mkdir "$tmp/ok"
if ! "$PYTHON3" "$gen" "$top_srcdir/tools/libxl/idl/test.idl" "$tmp/ok" \
        --sym "$tmp/ok/sym"; then
    echo "FAIL: test.idl"; exit 1
fi
sed -n '/^typedef struct libxl_thing {/,/^} libxl_thing;/p' \
    "$tmp/ok/_libxl_types.h" >"$tmp/thing.h"
cat >"$tmp/want.h" <<'X'
typedef struct libxl_thing {
    libxl_ev_link link;
    char *name;
    int count;
    uint64_t size;
    libxl_defbool flag;
    libxl_devid id;
    libxl_bitmap cpus;
    int num_leaves;
    libxl_leaf *leaves;
    int num_numbers;
    uint32_t *numbers;
    char *label;
    libxl_string_list args;
    struct {
        bool on;
        uint64_t big;
    } inner;
    libxl_shape shape;
    union {
        struct {
            int radius;
            char *label;
            const char *note;
        } round;
    } u;
    libxl_shape last;
} libxl_thing;
X
if ! diff -u "$tmp/want.h" "$tmp/thing.h"; then
    echo "FAIL: libxl_thing's layout"; fail=1
fi
# Per-type functions as Xen names them; none for what has no dispose.
for fn in 'void libxl_thing_init_shape(libxl_thing \*p, libxl_shape shape);' \
          'int libxl__thing_copy_deprecated(libxl_ctx \*ctx, libxl_thing \*p);' \
          'extern libxl_enum_string_table libxl_shape_string_table\[\];' \
          'int libxl_shape_from_string(const char \*s, libxl_shape \*e);'; do
    grep -q "^$fn\$" "$tmp/ok/_libxl_types.h" || {
        echo "FAIL: no $fn"; fail=1; }
done
if grep -q libxl_leaf_dispose "$tmp/ok/_libxl_types.h"; then
    echo "FAIL: libxl_leaf has a dispose"; fail=1
fi
# The export list: generated names, hand-written ones, nothing private.
for name in libxl_thing_to_json libxl_shape_string_table; do
    grep -qx "$name" "$tmp/ok/sym" || { echo "FAIL: $name not in sym"; fail=1; }
done
if grep -q '^libxl__' "$tmp/ok/sym"; then
    echo "FAIL: private names in sym"; fail=1
fi

[ $fail = 0 ] && echo "PASS test-gentypes-errors"
exit $fail
