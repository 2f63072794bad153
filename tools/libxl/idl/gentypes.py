#!/usr/bin/env python3
"""Generate libxl's C types and their helpers from an IDL file.

The IDL is line based; '#' starts a comment.

  builtin NAME [ctype=C] [byref] [private] [init=V] [dispose=FN]
               [copy=FN|strdup] [gen=FN] [parse=FN] [isdefault=FN] [equal=FN]
      A type written by hand.  parse=FN gets a pointer, copy=FN is called
      as FN(ctx, &dst, &src) (strdup: duplicate a string, none: assign);
      byref: gen/isdefault/equal/dispose take a pointer too.  init: its
      value in a fresh object.  isdefault (else init, else zero): when JSON
      leaves it out.  private: libxl's own, not in JSON, not copied.
  enum NAME [init=V] [prefix=P]
      VALUE NAME
  end
  struct NAME [nodispose] [copy_deprecated=FN]
      FIELD TYPE [init=V] [const] [deprecated_by=FIELD]
      FIELD array TYPE COUNT
      FIELD struct                      (an anonymous struct)
          ...
      end
      FIELD union ENUM KEY [init=V]     (a union keyed on KEY of type ENUM)
          MEMBER struct
              ...
          end
          MEMBER none
      end
  end

  nodispose: no _dispose function (nothing to free).  copy_deprecated=FN:
  FN(ctx, p) copies each union member field marked deprecated_by=F into the
  top-level field F if that is unset, and fails with ERROR_INVAL if both are
  set and differ.  const: the caller owns it; not freed, copied by pointer,
  not in JSON.

Each struct T gets libxl_T_init (zero, then init values), _init_KEY for its
union, _dispose (frees, then zeroes), _copy (deep), _gen_json, _to_json,
_from_json and the internal libxl__T_parse_json; each enum _to_string,
_from_string, _string_table (names lower-cased), the JSON functions too.
JSON, as libxl writes it: a field at its default is left out, a struct
field always written, a union as "KEY.MEMBER": {...}.

Usage: gentypes.py IDL OUTDIR [--sym FILE [HANDWRITTEN.c ...]]
Writes OUTDIR/_libxl_types.h, _libxl_types_json.h, _libxl_types_private.h
and _libxl_types.c; with --sym, the list of exported names, one a line,
including those marked XENTOOLS_EXPORT in the hand-written sources.
"""

import os
import re
import sys


class IdlError(Exception):
    pass


class Builtin:
    def __init__(self, name, attrs):
        self.name = name
        self.ctype = attrs.get('ctype', name).replace('*', ' *')
        self.byref = 'byref' in attrs
        self.private = 'private' in attrs
        self.init = attrs.get('init')
        self.dispose = attrs.get('dispose')
        self.copy = attrs.get('copy')
        self.gen = attrs.get('gen')
        self.parse = attrs.get('parse')
        self.isdefault = attrs.get('isdefault')
        self.equal = attrs.get('equal')


class Enum:
    def __init__(self, name, attrs):
        self.name = name
        self.ctype = name
        self.init = attrs.get('init')
        base = name[len('libxl_'):] if name.startswith('libxl_') else name
        self.prefix = attrs.get('prefix', 'LIBXL_' + base.upper() + '_')
        self.values = []

    def const(self, vname):
        return self.prefix + vname.upper()


class Field:
    def __init__(self, name, ftype, attrs):
        self.name = name
        self.type = ftype
        self.init = attrs.get('init')
        self.const = 'const' in attrs
        self.deprecated_by = attrs.get('deprecated_by')


class Array:
    def __init__(self, elem, lenvar):
        self.elem = elem
        self.lenvar = lenvar


class Struct:
    def __init__(self, name, attrs):
        self.name = name
        self.ctype = name
        self.fields = []
        self.nodispose = 'nodispose' in attrs
        self.copy_deprecated = attrs.get('copy_deprecated')

    def union(self):
        for f in self.fields:
            if isinstance(f.type, KeyedUnion):
                return f
        return None


class KeyedUnion:
    def __init__(self, keytype, keyvar, init):
        self.keytype = keytype
        self.keyvar = keyvar
        self.init = init
        self.members = []  # (name, Struct or None)


def parse_attrs(words):
    attrs = {}
    for w in words:
        k, eq, v = w.partition('=')
        attrs[k] = v if eq else True
    return attrs


class Idl:
    def __init__(self, path):
        self.types = {}
        self.order = []  # enums and named structs in file order
        self.path = path
        with open(path) as f:
            self.lines = [(n + 1, l.split('#', 1)[0].split())
                          for n, l in enumerate(f)]
        self.lines = [(n, w) for n, w in self.lines if w]
        self.pos = 0
        while self.pos < len(self.lines):
            self.toplevel()

    def err(self, msg):
        n = self.lines[min(self.pos, len(self.lines) - 1)][0]
        raise IdlError('%s:%d: %s' % (self.path, n, msg))

    def next(self):
        if self.pos >= len(self.lines):
            self.err('unexpected end of file (missing "end"?)')
        words = self.lines[self.pos][1]
        self.pos += 1
        return words

    def lookup(self, name):
        if name not in self.types:
            self.err('unknown type %s' % name)
        return self.types[name]

    def define(self, t):
        if t.name in self.types:
            self.err('type %s defined twice' % t.name)
        self.types[t.name] = t

    def toplevel(self):
        words = self.next()
        kind = words[0]
        if len(words) < 2:
            self.err('%s needs a name' % kind)
        name, attrs = words[1], parse_attrs(words[2:])
        if kind == 'builtin':
            self.define(Builtin(name, attrs))
        elif kind == 'enum':
            e = Enum(name, attrs)
            while True:
                w = self.next()
                if w == ['end']:
                    break
                if len(w) != 2:
                    self.err('enum value must be "NUMBER NAME"')
                try:
                    e.values.append((int(w[0], 0), w[1]))
                except ValueError:
                    self.err('bad enum value %s' % w[0])
            if not e.values:
                self.err('enum %s has no values' % name)
            self.define(e)
            self.order.append(e)
        elif kind == 'struct':
            s = Struct(name, attrs)
            self.struct_body(s, True)
            self.define(s)
            self.order.append(s)
        else:
            self.err('unknown declaration %s' % kind)

    def struct_body(self, s, toplevel):
        names = set()
        while True:
            w = self.next()
            if w == ['end']:
                return
            if len(w) < 2:
                self.err('field needs a name and a type')
            name = w[0]
            if name in names:
                self.err('field %s defined twice' % name)
            names.add(name)
            if w[1] == 'array':
                if len(w) < 4:
                    self.err('array needs an element type and a count')
                ftype = Array(self.lookup(w[2]), w[3])
                attrs = parse_attrs(w[4:])
            elif w[1] == 'struct':
                ftype = Struct(None, {})
                self.struct_body(ftype, False)
                attrs = parse_attrs(w[2:])
            elif w[1] == 'union':
                if not toplevel or s.union():
                    self.err('one keyed union per named struct only')
                if len(w) < 4:
                    self.err('union needs a key type and key name')
                kt = self.lookup(w[2])
                if not isinstance(kt, Enum):
                    self.err('union key must be an enum')
                attrs = parse_attrs(w[4:])
                ftype = KeyedUnion(kt, w[3], attrs.get('init', kt.init))
                self.union_body(ftype)
            else:
                ftype = self.lookup(w[1])
                attrs = parse_attrs(w[2:])
            s.fields.append(Field(name, ftype, attrs))

    def union_body(self, u):
        while True:
            w = self.next()
            if w == ['end']:
                return
            if len(w) != 2 or w[1] not in ('struct', 'none'):
                self.err('union member must be "NAME struct" or "NAME none"')
            if w[0] not in [v[1].lower() for v in u.keytype.values]:
                self.err('%s is not a value of %s' % (w[0], u.keytype.name))
            if w[1] == 'struct':
                m = Struct(None, {})
                self.struct_body(m, False)
            else:
                m = None
            u.members.append((w[0], m))


def short(name):
    return name[len('libxl_'):] if name.startswith('libxl_') else name


def cname(ft):
    return ft.ctype


def needs_init(t):
    """Whether a zeroed t still needs values set."""
    if isinstance(t, (Builtin, Enum)):
        return bool(t.init)
    if isinstance(t, Struct):
        return any(f.init or needs_init(f.type) for f in t.fields)
    if isinstance(t, KeyedUnion):
        return True
    return False


def needs_dispose(t):
    if isinstance(t, Builtin):
        return bool(t.dispose)
    if isinstance(t, Struct):
        if t.nodispose:
            return False
        return any(needs_dispose(f.type) for f in t.fields if not f.const)
    if isinstance(t, KeyedUnion):
        return any(m and needs_dispose(m) for _, m in t.members)
    if isinstance(t, Array):
        return True
    return False


class Gen:
    def __init__(self, idl):
        self.idl = idl
        self.exports = []

    # ---- init -------------------------------------------------------------
    def init_value(self, t, expr, init, out, ind):
        """Code that sets expr (already zeroed) to its initial value."""
        if isinstance(t, Struct) and t.name:
            if needs_init(t):
                out.append('%slibxl_%s_init(&%s);' % (ind, short(t.name), expr))
        elif isinstance(t, Struct):
            for f in t.fields:
                self.init_field(f, expr + '.' + f.name, out, ind)
        elif init or getattr(t, 'init', None):
            out.append('%s%s = %s;' % (ind, expr, init or t.init))

    def init_field(self, f, expr, out, ind):
        if isinstance(f.type, Array):
            return
        self.init_value(f.type, expr, f.init, out, ind)

    def init_key(self, uf, out, ind):
        """_init_KEY(): set the key, then that member's defaults."""
        u = uf.type
        out.append('%sp->%s = %s;' % (ind, u.keyvar, u.keyvar))
        out.append('%sswitch (p->%s) {' % (ind, u.keyvar))
        for mname, m in u.members:
            if m is None or not needs_init(m):
                continue
            out.append('%scase %s:' % (ind, u.keytype.const(mname)))
            self.init_value(m, 'p->%s.%s' % (uf.name, mname), None, out,
                            ind + '    ')
            out.append('%s    break;' % ind)
        out.append('%sdefault:' % ind)
        out.append('%s    break;' % ind)
        out.append('%s}' % ind)

    def union_default(self, uf, out):
        """init(): the key's initial value and that member's defaults."""
        u = uf.type
        if not u.init:
            return
        out.append('    p->%s = %s;' % (u.keyvar, u.init))
        for mname, m in u.members:
            if m and u.keytype.const(mname) == u.init:
                self.init_value(m, 'p->%s.%s' % (uf.name, mname), None, out,
                                '    ')

    # ---- dispose ----------------------------------------------------------
    def dispose_value(self, t, expr, out, ind):
        if isinstance(t, Builtin):
            if not t.dispose:
                return
            if t.byref:
                out.append('%s%s(&%s);' % (ind, t.dispose, expr))
            else:
                out.append('%s%s(%s);' % (ind, t.dispose, expr))
        elif isinstance(t, Struct) and t.name:
            if needs_dispose(t):
                out.append('%slibxl_%s_dispose(&%s);' % (ind, short(t.name),
                                                          expr))
        elif isinstance(t, Struct):
            for f in t.fields:
                if not f.const:
                    self.dispose_field(f, expr + '.' + f.name, expr, out, ind)

    def dispose_field(self, f, expr, parent, out, ind):
        t = f.type
        if isinstance(t, Array):
            n = '%s.%s' % (parent, t.lenvar)
            if needs_dispose(t.elem):
                out.append('%sif (%s) {' % (ind, expr))
                out.append('%s    for (int i = 0; i < %s; i++) {' % (ind, n))
                self.dispose_value(t.elem, expr + '[i]', out, ind + '        ')
                out.append('%s    }' % ind)
                out.append('%s}' % ind)
            out.append('%sfree(%s);' % (ind, expr))
        elif isinstance(t, KeyedUnion):
            if not needs_dispose(t):
                return
            out.append('%sswitch (%s.%s) {' % (ind, parent, t.keyvar))
            for mname, m in t.members:
                if m is None or not needs_dispose(m):
                    continue
                out.append('%scase %s:' % (ind, t.keytype.const(mname)))
                self.dispose_value(m, expr + '.' + mname, out, ind + '    ')
                out.append('%s    break;' % ind)
            out.append('%sdefault:' % ind)
            out.append('%s    break;' % ind)
            out.append('%s}' % ind)
        else:
            self.dispose_value(t, expr, out, ind)

    # ---- copy -------------------------------------------------------------
    def copy_value(self, t, dst, src, out, ind):
        if isinstance(t, Builtin):
            if t.private:
                return
            if t.copy == 'strdup':
                out.append('%s%s = libxl__types_strdup(%s);' % (ind, dst, src))
            elif t.copy:
                out.append('%s%s(ctx, &%s, &%s);' % (ind, t.copy, dst, src))
            else:
                out.append('%s%s = %s;' % (ind, dst, src))
        elif isinstance(t, Enum):
            out.append('%s%s = %s;' % (ind, dst, src))
        elif isinstance(t, Struct) and t.name:
            out.append('%slibxl_%s_copy(ctx, &%s, &%s);' % (ind, short(t.name),
                                                             dst, src))
        elif isinstance(t, Struct):
            for f in t.fields:
                self.copy_field(f, dst, src, out, ind)

    def copy_field(self, f, dparent, sparent, out, ind):
        t = f.type
        dst, src = dparent + '.' + f.name, sparent + '.' + f.name
        if f.const:
            out.append('%s%s = %s;' % (ind, dst, src))
        elif isinstance(t, Array):
            dn, sn = dparent + '.' + t.lenvar, sparent + '.' + t.lenvar
            out.append('%s%s = NULL;' % (ind, dst))
            out.append('%s%s = %s;' % (ind, dn, sn))
            out.append('%sif (%s && %s > 0) {' % (ind, src, sn))
            out.append('%s    %s = libxl__types_calloc(%s, sizeof(*%s));'
                       % (ind, dst, sn, dst))
            out.append('%s    for (int i = 0; i < %s; i++) {' % (ind, sn))
            self.copy_value(t.elem, dst + '[i]', src + '[i]', out,
                            ind + '        ')
            out.append('%s    }' % ind)
            out.append('%s}' % ind)
        elif isinstance(t, KeyedUnion):
            out.append('%s%s.%s = %s.%s;' % (ind, dparent, t.keyvar, sparent,
                                             t.keyvar))
            out.append('%sswitch (%s.%s) {' % (ind, sparent, t.keyvar))
            for mname, m in t.members:
                if m is None:
                    continue
                out.append('%scase %s:' % (ind, t.keytype.const(mname)))
                self.copy_value(m, dst + '.' + mname, src + '.' + mname, out,
                                ind + '    ')
                out.append('%s    break;' % ind)
            out.append('%sdefault:' % ind)
            out.append('%s    break;' % ind)
            out.append('%s}' % ind)
        else:
            self.copy_value(t, dst, src, out, ind)

    # ---- JSON generation --------------------------------------------------
    def is_set(self, f, expr, parent):
        """C condition: the field differs from its default."""
        t = f.type
        if isinstance(t, Array):
            return '%s && %s.%s' % (expr, parent, t.lenvar)
        init = f.init or getattr(t, 'init', None)
        if init and isinstance(t, Builtin):
            # In the field's own type: int max_grant_version = ~(uint32_t)0.
            return '%s != (%s)%s' % (expr, t.ctype, init)
        if init:
            return '%s != %s' % (expr, init)
        if isinstance(t, Builtin) and t.isdefault:
            return '!%s(&%s)' % (t.isdefault, expr)
        return expr

    def gen_value(self, t, expr, out, ind):
        if isinstance(t, Builtin):
            arg = ('&' + expr) if t.byref else expr
            out.append('%sCHECK(%s(hand, %s));' % (ind, t.gen, arg))
        elif isinstance(t, (Enum, Struct)) and t.name:
            out.append('%sCHECK(libxl_%s_gen_json(hand, &%s));'
                       % (ind, short(t.name), expr))
        elif isinstance(t, Struct):
            out.append('%sCHECK(yajl_gen_map_open(hand));' % ind)
            for f in t.fields:
                self.gen_field(f, expr, out, ind)
            out.append('%sCHECK(yajl_gen_map_close(hand));' % ind)

    def gen_key(self, key, out, ind):
        out.append('%sCHECK(libxl__yajl_gen_asciiz(hand, "%s"));' % (ind, key))

    def gen_field(self, f, parent, out, ind):
        t = f.type
        expr = parent + '.' + f.name
        if f.const or getattr(t, 'private', False):
            return
        if isinstance(t, KeyedUnion):
            out.append('%sswitch (%s.%s) {' % (ind, parent, t.keyvar))
            for mname, m in t.members:
                out.append('%scase %s:' % (ind, t.keytype.const(mname)))
                self.gen_key('%s.%s' % (t.keyvar, mname), out, ind + '    ')
                if m is None:
                    out.append('%s    CHECK(yajl_gen_map_open(hand));' % ind)
                    out.append('%s    CHECK(yajl_gen_map_close(hand));' % ind)
                else:
                    self.gen_value(m, expr + '.' + mname, out, ind + '    ')
                out.append('%s    break;' % ind)
            out.append('%sdefault:' % ind)
            out.append('%s    break;' % ind)
            out.append('%s}' % ind)
            return
        if isinstance(t, Struct):
            self.gen_key(f.name, out, ind)
            self.gen_value(t, expr, out, ind)
            return
        out.append('%sif (%s) {' % (ind, self.is_set(f, expr, parent)))
        self.gen_key(f.name, out, ind + '    ')
        if isinstance(t, Array):
            out.append('%s    CHECK(yajl_gen_array_open(hand));' % ind)
            out.append('%s    for (int i = 0; i < %s.%s; i++) {'
                       % (ind, parent, t.lenvar))
            self.gen_value(t.elem, expr + '[i]', out, ind + '        ')
            out.append('%s    }' % ind)
            out.append('%s    CHECK(yajl_gen_array_close(hand));' % ind)
        else:
            self.gen_value(t, expr, out, ind + '    ')
        out.append('%s}' % ind)

    # ---- JSON parsing -----------------------------------------------------
    def parse_value(self, t, node, expr, out, ind):
        if isinstance(t, Builtin):
            out.append('%sTRY(%s(%s, &%s));' % (ind, t.parse, node, expr))
        elif isinstance(t, (Enum, Struct)) and t.name:
            out.append('%sTRY(libxl__%s_parse_json(%s, &%s));'
                       % (ind, short(t.name), node, expr))
        elif isinstance(t, Struct):
            out.append('%sif (!libxl__json_object_is_map(%s))' % (ind, node))
            out.append('%s    return ERROR_FAIL;' % ind)
            for f in t.fields:
                self.parse_field(f, node, expr, out, ind)

    def parse_field(self, f, node, parent, out, ind):
        t = f.type
        expr = parent + '.' + f.name
        if f.const or getattr(t, 'private', False):
            return
        if isinstance(t, KeyedUnion):
            out.append('%s{' % ind)
            i2 = ind + '    '
            out.append('%sconst libxl__json_object *u;' % i2)
            for mname, m in t.members:
                key = '%s.%s' % (t.keyvar, mname)
                out.append('%su = libxl__json_map_get("%s", %s);'
                           % (i2, key, node))
                out.append('%sif (u) {' % i2)
                out.append('%s    libxl_%s_init_%s(p, %s);'
                           % (i2, short(self.cur.name), t.keyvar,
                              t.keytype.const(mname)))
                if m is None:
                    out.append('%s    if (!libxl__json_object_is_map(u))' % i2)
                    out.append('%s        return ERROR_FAIL;' % i2)
                else:
                    self.parse_value(m, 'u', expr + '.' + mname, out,
                                     i2 + '    ')
                out.append('%s    goto %s_done;' % (i2, f.name))
                out.append('%s}' % i2)
            out.append('%s}' % ind)
            out.append('%s_done:' % f.name)
            return
        sub = 'x_' + f.name
        out.append('%s{' % ind)
        out.append('%s    const libxl__json_object *%s = '
                   'libxl__json_map_get("%s", %s);' % (ind, sub, f.name, node))
        out.append('%s    if (%s) {' % (ind, sub))
        i2 = ind + '        '
        if isinstance(t, Array):
            n = '%s.%s' % (parent, t.lenvar)
            out.append('%sint len = libxl__json_array_len(%s);' % (i2, sub))
            out.append('%sif (len < 0)' % i2)
            out.append('%s    return ERROR_FAIL;' % i2)
            out.append('%sif (len > 0) {' % i2)
            out.append('%s    %s = calloc(len, sizeof(*%s));' % (i2, expr, expr))
            out.append('%s    if (!%s)' % (i2, expr))
            out.append('%s        return ERROR_NOMEM;' % i2)
            out.append('%s}' % i2)
            out.append('%sfor (int i = 0; i < len; i++) {' % i2)
            out.append('%s    const libxl__json_object *e = '
                       'libxl__json_array_get(%s, i);' % (i2, sub))
            # Count the element before parsing it so that a failure
            # leaves p disposable.
            self.init_value(t.elem, expr + '[i]', None, out, i2 + '    ')
            out.append('%s    %s = i + 1;' % (i2, n))
            self.parse_value(t.elem, 'e', expr + '[i]', out, i2 + '    ')
            out.append('%s}' % i2)
        else:
            self.parse_value(t, sub, expr, out, i2)
        out.append('%s    }' % ind)
        out.append('%s}' % ind)

    # ---- deprecated fields ------------------------------------------------
    def copy_deprecated(self, s, out):
        uf = s.union()
        top = dict((f.name, f) for f in s.fields)
        out.append('int %s(libxl_ctx *ctx, libxl_%s *p)'
                   % (s.copy_deprecated, short(s.name)))
        out.append('{')
        out.append('    (void)ctx;')
        if uf:
            u = uf.type
            out.append('    switch (p->%s) {' % u.keyvar)
            for mname, m in u.members:
                olds = [f for f in (m.fields if m else []) if f.deprecated_by]
                if not olds:
                    continue
                out.append('    case %s:' % u.keytype.const(mname))
                for old in olds:
                    if old.deprecated_by not in top:
                        raise IdlError('%s: no field %s' % (old.name,
                                                            old.deprecated_by))
                    new = top[old.deprecated_by]
                    oexpr = 'p->%s.%s.%s' % (uf.name, mname, old.name)
                    nexpr = 'p->' + new.name
                    out.append('        if (%s) {' % self.is_set(old, oexpr,
                                                                 'p->'))
                    out.append('            if (!(%s)) {' % self.is_set(
                        new, nexpr, 'p->'))
                    self.copy_value(new.type, nexpr, oexpr, out, ' ' * 16)
                    eq = self.equal(new.type, oexpr, nexpr)
                    if eq:
                        out.append('            } else if (!(%s)) {' % eq)
                        out.append('                return ERROR_INVAL;')
                    out.append('            }')
                    out.append('        }')
                out.append('        break;')
            out.append('    default:')
            out.append('        break;')
            out.append('    }')
        out.append('    return 0;')
        out.append('}')
        out.append('')

    def equal(self, t, a, b):
        if isinstance(t, Builtin) and t.equal:
            if t.byref:
                return '%s(&%s, &%s)' % (t.equal, a, b)
            return '%s(%s, %s)' % (t.equal, a, b)
        if isinstance(t, Enum) or (isinstance(t, Builtin) and not t.byref
                                   and not t.dispose):
            return '%s == %s' % (a, b)
        return None

    # ---- headers ----------------------------------------------------------
    def struct_decl(self, s, out, ind):
        for f in s.fields:
            t = f.type
            if isinstance(t, Array):
                out.append('%sint %s;' % (ind, t.lenvar))
                out.append('%s%s *%s;' % (ind, cname(t.elem), f.name))
            elif isinstance(t, KeyedUnion):
                out.append('%s%s %s;' % (ind, t.keytype.name, t.keyvar))
                out.append('%sunion {' % ind)
                for mname, m in t.members:
                    if m is None:
                        continue
                    out.append('%s    struct {' % ind)
                    self.struct_decl(m, out, ind + '        ')
                    out.append('%s    } %s;' % (ind, mname))
                out.append('%s} %s;' % (ind, f.name))
            elif isinstance(t, Struct) and not t.name:
                out.append('%sstruct {' % ind)
                self.struct_decl(t, out, ind + '    ')
                out.append('%s} %s;' % (ind, f.name))
            else:
                c = cname(t)
                if f.const:
                    c = 'const ' + c
                sep = '' if c.endswith('*') else ' '
                out.append('%s%s%s%s;' % (ind, c, sep, f.name))

    def header(self):
        h = ['/* Generated by tools/libxl/idl/gentypes.py: do not edit. */',
             '#ifndef LIBXL__TYPES_H', '#define LIBXL__TYPES_H', '',
             '#include "libxl_basetypes.h"', '']
        j = ['/* Generated by tools/libxl/idl/gentypes.py: do not edit. */',
             '#ifndef LIBXL__TYPES_JSON_H', '#define LIBXL__TYPES_JSON_H', '',
             '#include <yajl/yajl_gen.h>', '#include <_libxl_types.h>', '']
        p = ['/* Generated by tools/libxl/idl/gentypes.py: do not edit. */',
             '#ifndef LIBXL__TYPES_PRIVATE_H', '#define LIBXL__TYPES_PRIVATE_H',
             '', '#include "libxl_types_internal.h"', '']
        for t in self.idl.order:
            n = short(t.name)
            if isinstance(t, Enum):
                h.append('typedef enum %s {' % t.name)
                for v, vn in t.values:
                    h.append('    %s = %d,' % (t.const(vn), v))
                h.append('} %s;' % t.name)
                protos = [
                    'char *libxl_%s_to_json(libxl_ctx *ctx, %s p);' % (n, t.name),
                    'int libxl_%s_from_json(libxl_ctx *ctx, %s *p, '
                    'const char *s);' % (n, t.name),
                    'const char *libxl_%s_to_string(%s p);' % (n, t.name),
                    'int libxl_%s_from_string(const char *s, %s *e);'
                    % (n, t.name),
                    'extern libxl_enum_string_table libxl_%s_string_table[];'
                    % n]
                self.exports += ['libxl_%s_%s' % (n, x) for x in
                                 ('to_json', 'from_json', 'to_string',
                                  'from_string', 'string_table')]
            else:
                h.append('typedef struct %s {' % t.name)
                self.struct_decl(t, h, '    ')
                h.append('} %s;' % t.name)
                protos = []
                if not t.nodispose:
                    protos.append('void libxl_%s_dispose(%s *p);'
                                  % (n, t.name))
                    self.exports.append('libxl_%s_dispose' % n)
                if t.copy_deprecated:
                    protos.append('int %s(libxl_ctx *ctx, %s *p);'
                                  % (t.copy_deprecated, t.name))
                protos.append('void libxl_%s_copy(libxl_ctx *ctx, %s *dst, '
                              'const %s *src);' % (n, t.name, t.name))
                protos.append('void libxl_%s_init(%s *p);' % (n, t.name))
                self.exports += ['libxl_%s_copy' % n, 'libxl_%s_init' % n]
                uf = t.union()
                if uf:
                    u = uf.type
                    protos.append('void libxl_%s_init_%s(%s *p, %s %s);'
                                  % (n, u.keyvar, t.name, u.keytype.name,
                                     u.keyvar))
                    self.exports.append('libxl_%s_init_%s' % (n, u.keyvar))
                protos.append('char *libxl_%s_to_json(libxl_ctx *ctx, %s *p);'
                              % (n, t.name))
                protos.append('int libxl_%s_from_json(libxl_ctx *ctx, %s *p, '
                              'const char *s);' % (n, t.name))
                self.exports += ['libxl_%s_to_json' % n,
                                 'libxl_%s_from_json' % n]
            h += protos + ['']
            j.append('yajl_gen_status libxl_%s_gen_json(yajl_gen hand, %s *p);'
                     % (n, t.name))
            self.exports.append('libxl_%s_gen_json' % n)
            p.append('int libxl__%s_parse_json(const libxl__json_object *o, '
                     '%s *p);' % (n, t.name))
        h += ['#endif', '']
        j += ['', '#endif', '']
        p += ['', '#endif', '']
        return h, j, p

    # ---- the C file -------------------------------------------------------
    def body(self):
        c = ['/* Generated by tools/libxl/idl/gentypes.py: do not edit. */',
             '#include <stdlib.h>', '#include <string.h>', '',
             '#include "export.h"', '#include "libxl_json.h"',
             '#include "_libxl_types_private.h"', '',
             '/* Stop generating at the first yajl error. */',
             '#define CHECK(e) do { s = (e); '
             'if (s != yajl_gen_status_ok) goto out; } while (0)',
             '/* Stop parsing at the first error; the object stays disposable. */',
             '#define TRY(e) do { int rc_ = (e); if (rc_) return rc_; } while (0)',
             '']
        for t in self.idl.order:
            self.cur = t
            if isinstance(t, Enum):
                self.enum_body(t, c)
            else:
                self.struct_body(t, c)
        return c

    def enum_body(self, t, c):
        n = short(t.name)
        c.append('XENTOOLS_EXPORT')
        c.append('libxl_enum_string_table libxl_%s_string_table[] = {' % n)
        for v, vn in t.values:
            c.append('    { .s = "%s", .v = %s },' % (vn.lower(), t.const(vn)))
        c.append('    { NULL, -1 },')
        c.append('};')
        c.append('')
        c.append('XENTOOLS_EXPORT')
        c.append('const char *libxl_%s_to_string(%s p)' % (n, t.name))
        c.append('{')
        c.append('    return libxl__enum_to_string(libxl_%s_string_table, p);'
                 % n)
        c.append('}')
        c.append('')
        c.append('XENTOOLS_EXPORT')
        c.append('int libxl_%s_from_string(const char *s, %s *e)'
                 % (n, t.name))
        c.append('{')
        c.append('    int v, rc = libxl__enum_from_string('
                 'libxl_%s_string_table, s, &v);' % n)
        c.append('')
        c.append('    if (!rc)')
        c.append('        *e = v;')
        c.append('    return rc;')
        c.append('}')
        c.append('')
        c.append('XENTOOLS_EXPORT')
        c.append('yajl_gen_status libxl_%s_gen_json(yajl_gen hand, %s *p)'
                 % (n, t.name))
        c.append('{')
        c.append('    return libxl__yajl_gen_enum(hand, libxl_%s_to_string(*p));'
                 % n)
        c.append('}')
        c.append('')
        c.append('int libxl__%s_parse_json(const libxl__json_object *o, %s *p)'
                 % (n, t.name))
        c.append('{')
        c.append('    const char *s = libxl__json_object_get_string(o);')
        c.append('')
        c.append('    if (!s || libxl_%s_from_string(s, p))' % n)
        c.append('        return ERROR_FAIL;')
        c.append('    return 0;')
        c.append('}')
        c.append('')
        self.json_wrappers(t, n, c, byvalue=True)

    def json_wrappers(self, t, n, c, byvalue):
        arg = '%s p' % t.name if byvalue else '%s *p' % t.name
        c.append('XENTOOLS_EXPORT')
        c.append('char *libxl_%s_to_json(libxl_ctx *ctx, %s)' % (n, arg))
        c.append('{')
        c.append('    yajl_gen hand = libxl_yajl_gen_alloc(NULL);')
        c.append('')
        c.append('    (void)ctx;')
        c.append('    if (!hand)')
        c.append('        return NULL;')
        c.append('    return libxl__yajl_gen_finish(hand, '
                 'libxl_%s_gen_json(hand, %sp));' % (n, '&' if byvalue else ''))
        c.append('}')
        c.append('')
        c.append('XENTOOLS_EXPORT')
        c.append('int libxl_%s_from_json(libxl_ctx *ctx, %s *p, const char *s)'
                 % (n, t.name))
        c.append('{')
        c.append('    libxl__json_object *o;')
        c.append('    int rc = libxl__json_parse(s, &o);')
        c.append('')
        c.append('    (void)ctx;')
        c.append('    if (rc)')
        c.append('        return rc;')
        c.append('    rc = libxl__%s_parse_json(o, p);' % n)
        c.append('    libxl__json_object_free(o);')
        c.append('    return rc;')
        c.append('}')
        c.append('')

    def struct_body(self, t, c):
        n = short(t.name)
        uf = t.union()
        # init
        c.append('XENTOOLS_EXPORT')
        c.append('void libxl_%s_init(libxl_%s *p)' % (n, n))
        c.append('{')
        c.append('    memset(p, 0, sizeof(*p));')
        for f in t.fields:
            if isinstance(f.type, KeyedUnion):
                self.union_default(f, c)
            else:
                self.init_field(f, 'p->' + f.name, c, '    ')
        c.append('}')
        c.append('')
        if uf:
            u = uf.type
            c.append('XENTOOLS_EXPORT')
            c.append('void libxl_%s_init_%s(libxl_%s *p, %s %s)'
                     % (n, u.keyvar, n, u.keytype.name, u.keyvar))
            c.append('{')
            self.init_key(uf, c, '    ')
            c.append('}')
            c.append('')
        # dispose
        if not t.nodispose:
            c.append('XENTOOLS_EXPORT')
            c.append('void libxl_%s_dispose(libxl_%s *p)' % (n, n))
            c.append('{')
            for f in t.fields:
                if not f.const:
                    self.dispose_field(f, 'p->' + f.name, '(*p)', c, '    ')
            c.append('    memset(p, 0, sizeof(*p));')
            c.append('}')
            c.append('')
        # copy
        c.append('XENTOOLS_EXPORT')
        c.append('void libxl_%s_copy(libxl_ctx *ctx, libxl_%s *dst, '
                 'const libxl_%s *src)' % (n, n, n))
        c.append('{')
        c.append('    (void)ctx;')
        for f in t.fields:
            self.copy_field(f, '(*dst)', '(*src)', c, '    ')
        c.append('}')
        c.append('')
        if t.copy_deprecated:
            self.copy_deprecated(t, c)
        # gen_json
        c.append('XENTOOLS_EXPORT')
        c.append('yajl_gen_status libxl_%s_gen_json(yajl_gen hand, '
                 'libxl_%s *p)' % (n, n))
        c.append('{')
        c.append('    yajl_gen_status s;')
        c.append('')
        c.append('    CHECK(yajl_gen_map_open(hand));')
        for f in t.fields:
            self.gen_field(f, '(*p)', c, '    ')
        c.append('    CHECK(yajl_gen_map_close(hand));')
        c.append('out:')
        c.append('    return s;')
        c.append('}')
        c.append('')
        # parse_json
        c.append('int libxl__%s_parse_json(const libxl__json_object *o, '
                 'libxl_%s *p)' % (n, n))
        c.append('{')
        c.append('    if (!libxl__json_object_is_map(o))')
        c.append('        return ERROR_FAIL;')
        for f in t.fields:
            self.parse_field(f, 'o', '(*p)', c, '    ')
        c.append('    return 0;')
        c.append('}')
        c.append('')
        self.json_wrappers(t, n, c, byvalue=False)


EXPORT_RE = re.compile(r'XENTOOLS_EXPORT\s+[^;{=]*?(\w+)\s*[(\[]')


def write(path, lines):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write('\n'.join(lines))
    os.replace(tmp, path)


def main(argv):
    if len(argv) < 3 or (len(argv) > 3 and
                         (argv[3] != '--sym' or len(argv) < 5)):
        sys.stderr.write(__doc__)
        return 2
    try:
        idl = Idl(argv[1])
        g = Gen(idl)
        h, j, p = g.header()
        c = g.body()
    except IdlError as e:
        sys.stderr.write('gentypes: %s\n' % e)
        return 1
    out = argv[2]
    write(os.path.join(out, '_libxl_types.h'), h)
    write(os.path.join(out, '_libxl_types_json.h'), j)
    write(os.path.join(out, '_libxl_types_private.h'), p)
    write(os.path.join(out, '_libxl_types.c'), c)
    if len(argv) > 3:
        names = list(g.exports)
        for src in argv[5:]:
            with open(src) as f:
                names += EXPORT_RE.findall(f.read())
        write(argv[4], sorted(set(names)) + [''])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
