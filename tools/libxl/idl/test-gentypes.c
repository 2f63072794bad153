/*
 * gentypes.py on test.idl: the C layout it writes, defaults, keyed
 * unions, const and private fields, deprecated fields, and the JSON shape
 * (what libxl omits, how unions and arrays look).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_types_internal.h"
#include "unit.h"

#define BEFORE(a, b) (offsetof(libxl_thing, a) < offsetof(libxl_thing, b))

static const char fresh_json[] = "{\n"
                                 "    \"inner\": {\n"
                                 "\n"
                                 "    },\n"
                                 "    \"shape.none\": {\n"
                                 "\n"
                                 "    }\n"
                                 "}\n";

static const char full_json[] = "{\n"
                                "    \"name\": \"n\",\n"
                                "    \"count\": 0,\n"
                                "    \"size\": 1,\n"
                                "    \"flag\": \"True\",\n"
                                "    \"id\": 0,\n"
                                "    \"cpus\": [\n"
                                "        2\n"
                                "    ],\n"
                                "    \"leaves\": [\n"
                                "        {\n"
                                "\n"
                                "        },\n"
                                "        {\n"
                                "            \"a\": 1,\n"
                                "            \"b\": 8\n"
                                "        }\n"
                                "    ],\n"
                                "    \"numbers\": [\n"
                                "        5\n"
                                "    ],\n"
                                "    \"inner\": {\n"
                                "        \"on\": true,\n"
                                "        \"big\": 18446744073709551615\n"
                                "    },\n"
                                "    \"shape.round\": {\n"
                                "        \"label\": \"r\"\n"
                                "    },\n"
                                "    \"last\": \"square\"\n"
                                "}\n";

static void fill(libxl_thing *t)
{
    libxl_thing_init(t);
    t->name = strdup("n");
    t->count = 0;
    t->size = 1;
    libxl_defbool_set(&t->flag, true);
    t->id = 0;
    libxl_bitmap_alloc(NULL, &t->cpus, 3);
    libxl_bitmap_set(&t->cpus, 2);
    t->num_leaves = 2;
    t->leaves = calloc(2, sizeof(*t->leaves));
    libxl_leaf_init(&t->leaves[0]);
    libxl_leaf_init(&t->leaves[1]);
    t->leaves[1].a = 1;
    t->leaves[1].b = 8;
    t->num_numbers = 1;
    t->numbers = calloc(1, sizeof(*t->numbers));
    t->numbers[0] = 5;
    t->inner.on = true;
    t->inner.big = UINT64_MAX;
    libxl_thing_init_shape(t, LIBXL_SHAPE_ROUND);
    t->u.round.label = strdup("r");
    t->u.round.note = "caller's"; /* const: never freed nor in JSON */
    t->last = LIBXL_SHAPE_SQUARE;
}

int main(void)
{
    libxl_thing t, back, copy;
    libxl_shape s;
    char *j;

    /* Layout: IDL order; an array's count just before it; key before u. */
    EXPECT(BEFORE(link, name) && BEFORE(name, count) && BEFORE(count, size));
    EXPECT(BEFORE(num_leaves, leaves) && BEFORE(leaves, num_numbers));
    EXPECT(BEFORE(inner, shape) && BEFORE(shape, u) && BEFORE(u, last));
    EXPECT(sizeof(t.u) >= sizeof(t.u.round));
    EXPECT(sizeof(t.inner.big) == 8 && sizeof(t.size) == 8);

    /* Enums: values as written, names lower-cased, prefix from the name. */
    EXPECT(LIBXL_SHAPE_NONE == -1 && LIBXL_SHAPE_TRI_ANGLE == 0x10);
    EXPECT(ERROR_INVAL == -6);
    EXPECT(!strcmp(libxl_shape_to_string(LIBXL_SHAPE_SQUARE), "square"));
    EXPECT(!libxl_shape_from_string("Tri_Angle", &s) &&
           s == LIBXL_SHAPE_TRI_ANGLE);

    /* Defaults: field and type init values, the union key's init. */
    libxl_thing_init(&t);
    EXPECT(t.count == -5 && t.size == LIBXL_MEMKB_DEFAULT && t.id == -1);
    EXPECT(t.shape == LIBXL_SHAPE_NONE && t.last == LIBXL_SHAPE_NONE);
    j = libxl_thing_to_json(NULL, &t);
    EXPECT(j && !strcmp(j, fresh_json));
    free(j);
    libxl_thing_init_shape(&t, LIBXL_SHAPE_ROUND);
    EXPECT(t.u.round.radius == 3);
    /* A key value without a member: no member in JSON. */
    libxl_thing_init_shape(&t, LIBXL_SHAPE_TRI_ANGLE);
    j = libxl_thing_to_json(NULL, &t);
    EXPECT(j && !strstr(j, "shape."));
    free(j);
    libxl_thing_dispose(&t);

    /* JSON: set fields only, aggregates always, "key.member" unions. */
    fill(&t);
    j = libxl_thing_to_json(NULL, &t);
    EXPECT(j && !strcmp(j, full_json));
    if (j && strcmp(j, full_json))
        printf("got:\n%s", j);
    libxl_thing_init(&back);
    EXPECT(!libxl_thing_from_json(NULL, &back, j));
    free(j);
    EXPECT(back.shape == LIBXL_SHAPE_ROUND && back.u.round.radius == 3);
    EXPECT(back.leaves[0].b == 7 && back.leaves[1].b == 8);
    EXPECT(back.inner.big == UINT64_MAX && !back.u.round.note);
    j = libxl_thing_to_json(NULL, &back);
    EXPECT(j && !strcmp(j, full_json));
    free(j);
    libxl_thing_dispose(&back);

    /* Copy: deep, except the caller-owned const field. */
    libxl_thing_copy(NULL, &copy, &t);
    EXPECT(copy.name != t.name && !strcmp(copy.name, "n"));
    EXPECT(copy.leaves != t.leaves && copy.leaves[1].a == 1);
    EXPECT(copy.u.round.note == t.u.round.note);

    /* Deprecated: the old field fills the new one, or must agree. */
    EXPECT(!libxl__thing_copy_deprecated(NULL, &t) && t.label &&
           !strcmp(t.label, "r"));
    free(copy.label);
    copy.label = strdup("other");
    EXPECT(libxl__thing_copy_deprecated(NULL, &copy) == ERROR_INVAL);
    libxl_thing_dispose(&copy);
    libxl_thing_dispose(&t);

    /* A member's JSON must be a map; a wrong key type is an error. */
    libxl_thing_init(&t);
    EXPECT(libxl_thing_from_json(NULL, &t, "{\"shape.round\": 1}"));
    libxl_thing_dispose(&t);
    libxl_thing_init(&t);
    EXPECT(libxl_thing_from_json(NULL, &t, "{\"last\": \"hexagon\"}"));
    libxl_thing_dispose(&t);
    UNIT_DONE("test-gentypes");
}
