/*
 * libxlutil's xl.cfg parser: every grammar class, the getters, and bad
 * input. The expected messages are those Xen 4.17's libxlutil prints for
 * the same text (checked against Debian's libxlutil.so.4.17).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libxlu_internal.h"
#include "unit.h"
#include "xlu-report.h"

static XLU_Config *cfg;

static void fresh(void)
{
    xlu_cfg_destroy(cfg);
    report_restart(NULL);
    cfg = xlu_cfg_init(report, "test.cfg");
    if (!cfg) {
        perror("test setup");
        exit(1);
    }
}

/* The report so far is 'want'; then start it again. */
static bool report_is(const char *want)
{
    bool ok = report_matches(want);

    report_restart(cfg);
    return ok;
}

static int parse_n(const char *data, size_t len)
{
    fresh();
    return xlu_cfg_readdata(cfg, data, (int)len);
}

static int parse(const char *data)
{
    return parse_n(data, strlen(data));
}

static bool string_is(const char *name, const char *want)
{
    const char *got = NULL;

    if (xlu_cfg_get_string(cfg, name, &got, 0) || strcmp(got, want)) {
        printf("%s: got %s, want %s\n", name, got ? got : "(none)", want);
        return false;
    }
    return true;
}

static bool long_is(const char *name, long want)
{
    long got = 0;

    return !xlu_cfg_get_long(cfg, name, &got, 0) && got == want;
}

static bool unset(const char *name)
{
    const char *s;

    return xlu_cfg_get_string(cfg, name, &s, 1) == ESRCH;
}

static void test_values(void)
{
    XLU_ConfigList *list, *inner;
    XLU_ConfigValue *v;
    char *s;
    int n;

    EXPECT(parse("a=1\nb=\"x\"\nc=[1,\"2\",[3,4],]\nd=0x10\ne=010\n") == 0);
    EXPECT(string_is("a", "1"));
    EXPECT(long_is("a", 1));
    EXPECT(string_is("b", "x"));
    EXPECT(long_is("d", 16));
    EXPECT(string_is("d", "0x10"));
    EXPECT(long_is("e", 8));
    EXPECT(xlu_cfg_get_list(cfg, "c", &list, &n, 0) == 0 && n == 3);
    EXPECT(!strcmp(xlu_cfg_get_listitem(list, 0), "1"));
    EXPECT(!strcmp(xlu_cfg_get_listitem(list, 1), "2"));
    EXPECT(xlu_cfg_get_listitem(list, 2) == NULL); /* a list */
    EXPECT(xlu_cfg_get_listitem(list, 3) == NULL);
    EXPECT(xlu_cfg_get_listitem(list, -1) == NULL);
    v = xlu_cfg_get_listitem2(list, 2);
    EXPECT(v && xlu_cfg_value_type(v) == XLU_LIST);
    EXPECT(v && xlu_cfg_value_get_list(cfg, v, &inner, 0) == 0 &&
           inner->nvalues == 2 && !strcmp(xlu_cfg_get_listitem(inner, 1), "4"));
    EXPECT(xlu_cfg_get_listitem2(list, 3) == NULL);
    v = xlu_cfg_get_listitem2(list, 0);
    EXPECT(v && xlu_cfg_value_get_string(cfg, v, &s, 0) == 0 &&
           !strcmp(s, "1"));
    EXPECT(report_is(""));

    /* ';' separates statements; the last line needs no newline. */
    EXPECT(parse("a=1;b=2;;;c='3'") == 0);
    EXPECT(string_is("a", "1") && string_is("b", "2") && string_is("c", "3"));

    /* Blanks, tabs and comments anywhere a newline may be. */
    EXPECT(parse("# c\n  a = 1 # c2\n\tb\t=\t\"x\" #\nl = [ # one\n 1 ,\n"
                 "\n 2 , # two\n ]\n") == 0);
    EXPECT(string_is("a", "1") && string_is("b", "x"));
    EXPECT(xlu_cfg_get_list(cfg, "l", &list, &n, 0) == 0 && n == 2);

    /* Names: lower case, digits, '.', '_'; numbers keep their text. */
    EXPECT(parse("a.b=1\na_b=2\na9.=3\nn=09\nm=1x2\n") == 0);
    EXPECT(string_is("a.b", "1") && string_is("a_b", "2") &&
           string_is("a9.", "3") && string_is("n", "09"));
    EXPECT(xlu_cfg_get_long(cfg, "n", &(long){0}, 1) == EINVAL);

    /* Empty lists and lists across lines. */
    EXPECT(parse("e=[]\nf=[\n]\ng=[\n1\n,\n2\n,\n]\n") == 0);
    EXPECT(xlu_cfg_get_list(cfg, "e", NULL, &n, 0) == 0 && n == 0);
    EXPECT(xlu_cfg_get_list(cfg, "f", NULL, &n, 0) == 0 && n == 0);
    EXPECT(xlu_cfg_get_list(cfg, "g", NULL, &n, 0) == 0 && n == 2);
}

static void test_strings(void)
{
    EXPECT(parse("x='a\"b'\ny=\"a'b\"\nz=\"a\\\"b\"\nw='a\\'b'\n") == 0);
    EXPECT(string_is("x", "a\"b") && string_is("y", "a'b"));
    EXPECT(string_is("z", "a\"b") && string_is("w", "a'b"));

    EXPECT(parse("e=\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\"\ns='x\\ny'\n") == 0);
    EXPECT(string_is("e", "\a\b\f\n\r\t\v\\\"'"));
    EXPECT(string_is("s", "x\ny"));

    /* Numeric escapes (Xen 4.17 rejects every \x and mangles \ooo). */
    EXPECT(parse("h=\"a\\x41\\x7eb\"\no=\"\\101\\1011\"\n") == 0);
    EXPECT(string_is("h", "aA~b"));
    EXPECT(string_is("o", "AA1"));
    EXPECT(parse("h=\"\\x4\"\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\"\\x4\"': "
                     "invalid digit after backslash hexnumerical character "
                     "escape in quoted string\n"));
    EXPECT(parse("o=\"\\0\"\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\"\\0\"': "
                     "invalid digit after backslash octalnumerical character "
                     "escape in quoted string\n"));
    EXPECT(parse("o=\"\\400\"\n") == EINVAL);
    EXPECT(parse("x=\"a\\q\" y=\"\\q\"\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\"a\\q\"': "
                     "invalid character after backlash in quoted string\n"));

    /* Unterminated, or broken by a newline. */
    EXPECT(parse("a=\"abc\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\"abc': "
                     "lexical error\n"));
    EXPECT(parse("a='abc") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `'abc': "
                     "lexical error\n"));
    EXPECT(parse("a=\"x\\\ny\"\n") == EINVAL);
}

static void test_addition(void)
{
    XLU_ConfigList *list;
    int n;

    EXPECT(parse("c=\"console=hvc0\"\nc+=\" quiet\"\nl=[1]\nl+=[2,[3]]\n"
                 "n+=\"new\"\n") == 0);
    EXPECT(string_is("c", "console=hvc0 quiet"));
    EXPECT(xlu_cfg_get_list(cfg, "l", &list, &n, 0) == 0 && n == 3);
    EXPECT(!strcmp(xlu_cfg_get_listitem(list, 1), "2"));
    EXPECT(string_is("n", "new"));

    /* "1" += "2" is "12", which get_long will not take as a number. */
    EXPECT(parse("b=1\nb+=2\n") == 0);
    EXPECT(string_is("b", "12"));
    EXPECT(xlu_cfg_get_long(cfg, "b", &(long){0}, 0) == EINVAL);
    EXPECT(report_is("test.cfg:2: warning: can't use += with numbers for "
                     "parameter `b'\n"));
    EXPECT(xlu_cfg_get_long(cfg, "b", &(long){0}, 1) == EINVAL);
    EXPECT(report_is(""));
    EXPECT(parse("b=5\nb+=6\nb=7\n") == 0);
    EXPECT(long_is("b", 7));

    /* Later settings replace earlier ones. */
    EXPECT(parse("a=1\na=[2]\na=\"3\"\n") == 0);
    EXPECT(string_is("a", "3"));

    EXPECT(parse("a=[1]\na+=\"z\"\n") == EINVAL);
    EXPECT(report_is("test.cfg:2: config parsing error near `\"z\"': can't "
                     "add [list] to \"string\" or vice versa\n"));
    EXPECT(parse("a=\"x\"\n\n\na+=[\n1\n]\n") == EINVAL);
    EXPECT(report_is("test.cfg:6: config parsing error near `]': can't add "
                     "[list] to \"string\" or vice versa\n"));
    EXPECT(string_is("a", "x"));
}

/* xl applies command-line settings as more text for the same config. */
static void test_overrides(void)
{
    XLU_ConfigList *list;
    int n;

    EXPECT(parse("name=\"file\"\nmemory=128\ncmdline=\"console=hvc0\"\n"
                 "disk=['/a,,xvda']\n") == 0);
    EXPECT(xlu_cfg_readdata(cfg, "memory=256", 10) == 0);
    EXPECT(xlu_cfg_readdata(cfg, "name=\"override\"", 15) == 0);
    EXPECT(xlu_cfg_readdata(cfg, "cmdline+=\" quiet\"", 17) == 0);
    EXPECT(xlu_cfg_readdata(cfg, "disk+=['/b,,xvdb']", 18) == 0);
    EXPECT(long_is("memory", 256));
    EXPECT(string_is("name", "override"));
    EXPECT(string_is("cmdline", "console=hvc0 quiet"));
    EXPECT(xlu_cfg_get_list(cfg, "disk", &list, &n, 0) == 0 && n == 2 &&
           !strcmp(xlu_cfg_get_listitem(list, 1), "/b,,xvdb"));
    EXPECT(xlu_cfg_readdata(cfg, "memory=", 7) == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `': syntax "
                     "error, unexpected $end, expecting STRING or NUMBER or "
                     "'['\n"));
    EXPECT(xlu_cfg_readdata(cfg, "", 0) == 0);
    EXPECT(xlu_cfg_readdata(cfg, "x", -1) == EINVAL);
}

static void test_syntax_errors(void)
{
    static const char python[] =
        "warning: Config file looks like it contains Python code.\n"
        "warning:  Arbitrary Python is no longer supported.\n"
        "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n";
    char want[512];

    /* An empty value; a newline is reported on the line before it. */
    EXPECT(parse("memory = \n") == EINVAL);
    EXPECT(report_is("test.cfg:0: config parsing error near <newline>: "
                     "syntax error, unexpected NEWLINE, expecting STRING or "
                     "NUMBER or '['\n"));
    EXPECT(unset("memory"));
    EXPECT(parse("a=1\nb= # c  \nc=3\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `# c': syntax "
                     "error, unexpected NEWLINE, expecting STRING or NUMBER "
                     "or '['\n"));
    EXPECT(string_is("a", "1") && unset("c")); /* none after an error */
    EXPECT(parse("a=1\n\n\nb=") == EINVAL);
    EXPECT(report_is("test.cfg:4: config parsing error near `': syntax "
                     "error, unexpected $end, expecting STRING or NUMBER or "
                     "'['\n"));
    EXPECT(parse("a\n") == EINVAL);
    EXPECT(report_is("test.cfg:0: config parsing error near <newline>: "
                     "syntax error, unexpected NEWLINE, expecting += or "
                     "'='\n"));
    EXPECT(parse("a==1\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `=': syntax "
                     "error, unexpected '=', expecting STRING or NUMBER or "
                     "'['\n"));
    EXPECT(parse("=1\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `=': syntax "
                     "error, unexpected '=', expecting $end or IDENT or "
                     "NEWLINE or ';'\n"));
    EXPECT(parse("\"x\"=1\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\"x\"': syntax "
                     "error, unexpected STRING, expecting $end or IDENT or "
                     "NEWLINE or ';'\n"));

    /* After a complete statement bison can only stop: c..e are not read. */
    EXPECT(parse("a=1\nb=2 3\nc=4\nd=5 6\n") == EINVAL);
    EXPECT(report_is("test.cfg:2: config parsing error near `3': syntax "
                     "error, unexpected NUMBER, expecting $end\n"));
    EXPECT(string_is("b", "2") && unset("c"));

    /* Lists. */
    EXPECT(parse("a=[1 2]\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `2': syntax "
                     "error, unexpected NUMBER, expecting ']'\n"));
    EXPECT(parse("a=[1,,2]\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `,': syntax "
                     "error, unexpected ',', expecting ']'\n"));
    EXPECT(parse("a=[1\n\n\n") == EINVAL);
    EXPECT(report_is("test.cfg:3: config parsing error near `': syntax "
                     "error, unexpected $end, expecting ']'\n"));
    EXPECT(parse("a=]\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `]': syntax "
                     "error, unexpected ']', expecting STRING or NUMBER or "
                     "'['\n"));

    /* Recovery at the next newline; quiet for three tokens after. */
    EXPECT(parse("x=[1 2]\n=\nb=1 2\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `2': syntax "
                     "error, unexpected NUMBER, expecting ']'\n"
                     "test.cfg:3: config parsing error near `2': syntax "
                     "error, unexpected NUMBER, expecting $end\n"));
    EXPECT(parse("a=[1 2]\nb\nc=\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `2': syntax "
                     "error, unexpected NUMBER, expecting ']'\n"
                     "test.cfg:2: config parsing error near <newline>: syntax "
                     "error, unexpected NEWLINE, expecting STRING or NUMBER "
                     "or '['\n"));

    /* Lexical errors: one per bad word; the line's syntax errors hidden. */
    EXPECT(parse("a=@\nb=\nc=\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `@': lexical "
                     "error\n"
                     "test.cfg:2: config parsing error near <newline>: syntax "
                     "error, unexpected NEWLINE, expecting STRING or NUMBER "
                     "or '['\n"));
    EXPECT(parse("x=@ @ @\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `@': lexical "
                     "error\n"
                     "test.cfg:1: config parsing error near `@': lexical "
                     "error\n"));
    EXPECT(parse("A.b_c9=1\n_x=2\n9a=1\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `A.b_c9=1': "
                     "lexical error\n"
                     "test.cfg:2: config parsing error near `_x=2': lexical "
                     "error\n"
                     "test.cfg:3: config parsing error near `9a': syntax "
                     "error, unexpected NUMBER, expecting $end or IDENT or "
                     "NEWLINE or ';'\n"));
    EXPECT(parse("a=0x1F\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `F': lexical "
                     "error\n"));
    EXPECT(parse("x=1\r\ny=2\r\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `\r': lexical "
                     "error\n"
                     "test.cfg:2: config parsing error near `\r': lexical "
                     "error\n"));
    /* A comment on the last line needs its newline, as in Xen. */
    EXPECT(parse("a=1 # c") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `#': lexical "
                     "error\n"));

    /* What looks like Python (xm's configs) gets a hint. */
    EXPECT(parse("a + = 1\n") == EINVAL);
    snprintf(want, sizeof(want),
             "test.cfg:1: config parsing error near `+': lexical error\n%s",
             python);
    EXPECT(report_is(want));
    EXPECT(parse("a=1.5\n") == EINVAL);
    snprintf(want, sizeof(want),
             "test.cfg:1: config parsing error near `.5': lexical error\n%s",
             python);
    EXPECT(report_is(want));
    EXPECT(parse("import os\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `os': syntax "
                     "error, unexpected IDENT, expecting += or '='\n"));
    EXPECT(parse("x=*\n") == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `*': lexical "
                     "error\n"));
    /* Xen drops a bad character that ends the input; we report it. */
    EXPECT(parse("a=1\nb=@") == EINVAL);
    EXPECT(report_is("test.cfg:2: config parsing error near `@': lexical "
                     "error\n"));
}

/* A list nested n deep: a=[[[...1...]]] */
static int parse_nested(size_t n)
{
    char *s = malloc(2 * n + 5);
    int rc;

    memcpy(s, "a=", 2);
    memset(s + 2, '[', n);
    s[2 + n] = '1';
    memset(s + 3 + n, ']', n);
    s[3 + 2 * n] = '\n';
    rc = parse_n(s, 2 * n + 4);
    free(s);
    return rc;
}

static void test_limits(void)
{
    XLU_ConfigList *list;
    char *big;
    size_t i, n;
    int e;

    /* Bison's stack of 10000 states bounds nesting; so does ours. */
    EXPECT(parse_nested(4996) == 0);
    EXPECT(xlu_cfg_get_list(cfg, "a", &list, NULL, 0) == 0);
    EXPECT(parse_nested(4997) == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `1': memory "
                     "exhausted\n"));
    EXPECT(parse_nested(4998) == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `[': memory "
                     "exhausted\n"));
    EXPECT(parse_nested(1000000) == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `[': memory "
                     "exhausted\n"));
    EXPECT(unset("a"));

    /* A NUL byte is a bad character; Xen's message stops at it. */
    EXPECT(parse_n("x=1\0y=2\n", 8) == EINVAL);
    EXPECT(report_is("test.cfg:1: config parsing error near `': lexical "
                     "error\n"));
    EXPECT(string_is("x", "1") && unset("y"));
    EXPECT(parse_n("x=\"a\0b\"\n", 8) == EINVAL);

    /* A 4 MiB string, 100000 names, a 1 MiB bad word. */
    n = 4 << 20;
    big = malloc(n + 8);
    memcpy(big, "s=\"", 3);
    memset(big + 3, 'x', n);
    memcpy(big + 3 + n, "\"\n", 2);
    EXPECT(parse_n(big, n + 5) == 0);
    EXPECT(xlu_cfg_get_string(cfg, "s", &(const char *){0}, 0) == 0);
    memset(big, '@', 1 << 20);
    EXPECT(parse_n(big, 1 << 20) == EINVAL);
    free(big);

    fresh();
    for (i = 0, e = 0; i < 100000 && !e; i++) {
        char line[32];

        snprintf(line, sizeof(line), "k%zu=%zu\n", i, i);
        e = xlu_cfg_readdata(cfg, line, strlen(line));
    }
    EXPECT(!e);
    EXPECT(long_is("k0", 0) && long_is("k99999", 99999));
    EXPECT(cfg->nbuckets >= 65536);
}

/* Random bytes and random tokens: any result but a crash or a leak. */
static void test_junk(void)
{
    static const char *const pieces[] = {
        "a",  "=",  "+=", "[",  "]", ",",    ";",     "\n", "\"x\"", "'y'",
        "1",  "#c", " ",  "\"", "'", "0x1f", "\\",    "@",  "\0",    "(",
        "b=", "[[", "]]", "\t", "=", "\"\\", "\"\\x", "+",
    };
    static char buf[65536];
    uint32_t seed = 12345;
    int round, rc;
    size_t i, len, k;

    for (round = 0; round < 400; round++) {
        len = 0;
        if (round % 2) {
            for (i = 0; i < sizeof(buf); i++) {
                seed = seed * 1103515245 + 12345;
                buf[i] = (char)(seed >> 16);
            }
            len = sizeof(buf) >> (round % 8);
        } else {
            while (len < 4096) {
                seed = seed * 1103515245 + 12345;
                k = (seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]));
                i = pieces[k][0] ? strlen(pieces[k]) : 1;
                memcpy(buf + len, pieces[k], i);
                len += i;
            }
        }
        rc = parse_n(buf, len);
        EXPECT(rc == 0 || rc == EINVAL);
        EXPECT(rc == 0 || reported()[0]);
    }
}

static void test_getters(void)
{
    libxl_string_list sl = NULL;
    XLU_ConfigList *list;
    XLU_ConfigValue *v;
    const char *s;
    char *copy = NULL, *vs;
    long l;
    int i;

    EXPECT(parse("a=[1,\n2]\nb=99999999999999999999\nc=101\ne=\"\"\n"
                 "f=\" 5\"\ng=\"5 \"\nh=\"0x\"\nk=\" -5\"\nl=\"+5\"\n"
                 "m=[\"x\",[\"y\"],\"z\"]\n") == 0);
    EXPECT(xlu_cfg_get_long(cfg, "a", &l, 0) == EINVAL);
    EXPECT(report_is("test.cfg:1: warning: parameter `a' is a list but "
                     "should be a single value\n"));
    EXPECT(xlu_cfg_get_list(cfg, "b", &list, NULL, 0) == EINVAL);
    EXPECT(report_is("test.cfg:3: warning: parameter `b' is a single value "
                     "but should be a list\n"));
    EXPECT(xlu_cfg_get_long(cfg, "b", &l, 0) == ERANGE);
    EXPECT(report_is("test.cfg:3: warning: parameter `b' could not be "
                     "parsed as a number: Numerical result out of range\n"));
    EXPECT(xlu_cfg_get_bounded_long(cfg, "c", 0, 100, &l, 0) == EINVAL);
    EXPECT(report_is("test.cfg:4: warning: value `101' is greater than "
                     "maximum bound '100'\n"));
    EXPECT(xlu_cfg_get_bounded_long(cfg, "k", 0, 100, &l, 0) == EINVAL);
    EXPECT(report_is("test.cfg:9: warning: value `-5' is smaller than "
                     "minimum bound '0'\n"));
    EXPECT(xlu_cfg_get_bounded_long(cfg, "c", 101, 101, &l, 0) == 0 &&
           l == 101);
    EXPECT(xlu_cfg_get_long(cfg, "e", &l, 0) == EINVAL);
    EXPECT(report_is("test.cfg:5: warning: parameter `e' is not a valid "
                     "number\n"));
    EXPECT(long_is("f", 5) && long_is("l", 5) && long_is("k", -5));
    EXPECT(xlu_cfg_get_long(cfg, "g", &l, 1) == EINVAL);
    EXPECT(xlu_cfg_get_long(cfg, "h", &l, 1) == EINVAL);
    EXPECT(xlu_cfg_get_long(cfg, "zz", &l, 0) == ESRCH);
    EXPECT(xlu_cfg_get_list(cfg, "zz", &list, NULL, 0) == ESRCH);
    EXPECT(report_is(""));

    EXPECT(xlu_cfg_replace_string(cfg, "e", &copy, 0) == 0 && copy && !*copy);
    EXPECT(xlu_cfg_replace_string(cfg, "c", &copy, 0) == 0 &&
           !strcmp(copy, "101"));
    EXPECT(xlu_cfg_replace_string(cfg, "a", &copy, 1) == EINVAL &&
           !strcmp(copy, "101"));
    free(copy);
    EXPECT(xlu_cfg_get_string(cfg, "a", &s, 1) == EINVAL);
    EXPECT(report_is(""));

    /* A string list ends at the first entry that is a list (as Xen). */
    EXPECT(xlu_cfg_get_list_as_string_list(cfg, "m", &sl, 0) == 0);
    EXPECT(sl && !strcmp(sl[0], "x") && !sl[1]);
    for (i = 0; sl && sl[i]; i++)
        free(sl[i]);
    free(sl);
    EXPECT(xlu_cfg_get_list_as_string_list(cfg, "a", &sl, 0) == 0);
    EXPECT(sl && !strcmp(sl[0], "1") && !strcmp(sl[1], "2") && !sl[2]);
    for (i = 0; sl && sl[i]; i++)
        free(sl[i]);
    free(sl);
    EXPECT(xlu_cfg_get_list_as_string_list(cfg, "zz", &sl, 0) == ESRCH);

    EXPECT(xlu_cfg_get_list(cfg, "a", &list, NULL, 0) == 0);
    v = xlu_cfg_get_listitem2(list, 1);
    EXPECT(xlu_cfg_value_get_list(cfg, v, &list, 0) == EINVAL);
    EXPECT(report_is("test.cfg:2:0: warning: value is not a list\n"));
    EXPECT(xlu_cfg_get_list(cfg, "m", &list, NULL, 0) == 0);
    v = xlu_cfg_get_listitem2(list, 1);
    EXPECT(xlu_cfg_value_get_string(cfg, v, &vs, 0) == EINVAL);
    EXPECT(report_is("test.cfg:11:0: warning: value is not a string\n"));
    EXPECT(xlu_cfg_value_get_string(cfg, v, &vs, 1) == EINVAL);
    EXPECT(report_is(""));
}

static void test_files(void)
{
    char path[] = "/tmp/test-xlu-cfg.XXXXXX";
    int fd = mkstemp(path);
    static const char text[] = "name = \"guest\" # the name\nmemory=0x100\n";

    EXPECT(fd >= 0 &&
           write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1);
    close(fd);
    fresh();
    EXPECT(xlu_cfg_readfile(cfg, path) == 0);
    EXPECT(string_is("name", "guest") && long_is("memory", 256));
    unlink(path);
    EXPECT(xlu_cfg_readfile(cfg, path) == ENOENT);
    {
        char want[128];

        snprintf(want, sizeof(want),
                 "%s: unable to open configuration file: No such file or "
                 "directory\n",
                 path);
        EXPECT(report_is(want));
    }
    /* Settings read before stay. */
    EXPECT(string_is("name", "guest"));
    EXPECT(xlu_cfg_readfile(cfg, "/") == EISDIR);
}

int main(void)
{
    test_values();
    test_strings();
    test_addition();
    test_overrides();
    test_syntax_errors();
    test_limits();
    test_junk();
    test_getters();
    test_files();

    xlu_cfg_destroy(cfg);
    xlu_cfg_destroy(NULL);
    fclose(report);
    free(report_buf);
    UNIT_DONE("test-xlu-cfg");
}
