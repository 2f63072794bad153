/*
 * The xl.cfg parser. Xen 4.17 generates its parser with bison from this
 * grammar:
 *
 *   file       : stmts | stmts assignment
 *   stmts      : (empty) | stmts stmt
 *   stmt       : assignment endstmt | endstmt | error NEWLINE
 *   assignment : IDENT '=' value | IDENT "+=" value
 *   endstmt    : NEWLINE | ';'
 *   value      : STRING | NUMBER | '[' nlok valuelist ']'
 *   valuelist  : (empty) | values | values ',' nlok
 *   values     : value nlok | values ',' nlok value nlok
 *   nlok       : (empty) | nlok NEWLINE
 *
 * This is a hand-written parser for it that gives the same results and
 * the same messages: where bison would find an error, with bison's
 * "syntax error, unexpected X, expecting Y"; recovery by skipping to the
 * next newline; no report of a second error until three tokens after the
 * last; a whole-parse stop on an error after a complete last statement;
 * and "memory exhausted" where bison's stack of 10000 states would
 * overflow, which bounds list nesting. Lists are built without recursion.
 * After the first error nothing more is stored, but the rest is still
 * checked so that every error is reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

/* Bison's stack limit (YYMAXDEPTH) decides how deep lists may nest. */
#define STACK_MAX 10000

/* What the parser expects where it fails: bison's wording. */
#define EXPECT_STATEMENT "$end or IDENT or NEWLINE or ';'"
#define EXPECT_OPERATOR "+= or '='"
#define EXPECT_VALUE "STRING or NUMBER or '['"
#define EXPECT_END "$end"
#define EXPECT_CLOSE "']'"

enum outcome {
    OK,
    RECOVER, /* error inside a statement: skip to the next newline */
    ABORT,   /* stop parsing */
};

struct parser {
    struct xlu__parse lex;
    bool have_token;
    int errstatus; /* bison's yyerrstatus: 3 right after an error */
    int sp;        /* number of states on bison's stack */
};

static enum xlu__token peek(struct parser *p)
{
    if (!p->have_token) {
        xlu__lex(&p->lex);
        p->have_token = true;
    }
    return p->lex.tok;
}

/* Take the token's value (IDENT, STRING, NUMBER); the caller frees it. */
static char *take_value(struct parser *p)
{
    char *v = p->lex.value;

    p->lex.value = NULL;
    return v;
}

/* A state pushed: false (after reporting) when bison would overflow. */
static bool push(struct parser *p)
{
    if (++p->sp < STACK_MAX)
        return true;
    xlu__parse_error(&p->lex, p->lex.tok_line, "memory exhausted");
    return false;
}

/* Consume the token, pushing its state. */
static bool shift(struct parser *p)
{
    p->have_token = false;
    if (p->errstatus)
        p->errstatus--;
    return push(p);
}

static void syntax_error(struct parser *p, const char *expecting)
{
    char msg[128];

    /* Quiet within three tokens of the last error, and when out of memory */
    if (p->errstatus || p->lex.err == ENOMEM) {
        if (!p->lex.err)
            p->lex.err = EINVAL;
        return;
    }
    snprintf(msg, sizeof(msg), "syntax error, unexpected %s, expecting %s",
             xlu__token_name(p->lex.tok), expecting);
    xlu__parse_error(&p->lex, p->lex.tok_line, msg);
}

static bool starts_value(enum xlu__token tok)
{
    return tok == XLU_TOK_STRING || tok == XLU_TOK_NUMBER ||
           tok == XLU_TOK_LBRACKET;
}

/*
 * nlok: any newlines; each is pushed and reduced at once. The stack is
 * base + 1 states with the nlok.
 */
static bool newlines(struct parser *p)
{
    while (peek(p) == XLU_TOK_NEWLINE) {
        if (!shift(p))
            return false;
        p->sp--;
    }
    return true;
}

/* An open list, and the stack depth below its '['. */
struct frame {
    XLU_ConfigValue *list;
    int base;
};

static void free_frames(struct frame *f, int n)
{
    while (n--)
        xlu__value_free(f[n].list);
    free(f);
}

/* Where parse_value is in a value. */
enum place {
    VALUE_START, /* the lookahead starts a value */
    VALUE_END,   /* v is a complete value */
    LIST_END,    /* the innermost open list expects ']' */
};

/*
 * value, with the first token as lookahead; *value_r gets it. Nested
 * lists are kept on a heap stack of frames, never the C stack.
 */
static enum outcome parse_value(struct parser *p, XLU_ConfigValue **value_r)
{
    struct frame *frames = NULL, *f, *nf;
    int nframes = 0, aframes = 0;
    enum place place = VALUE_START;
    XLU_ConfigValue *v = NULL;
    char *s;

    if (!starts_value(peek(p))) {
        syntax_error(p, EXPECT_VALUE);
        return RECOVER;
    }
    for (;;) {
        switch (place) {
        case VALUE_START:
            if (peek(p) != XLU_TOK_LBRACKET) {
                s = take_value(p);
                v = xlu__value_string(s, p->lex.tok_line);
                if (!v) {
                    free(s);
                    goto nomem;
                }
                if (!shift(p)) {
                    xlu__value_free(v);
                    goto abort;
                }
                place = VALUE_END;
                break;
            }
            if (nframes == aframes) {
                aframes = aframes ? aframes * 2 : 8;
                nf = realloc(frames, aframes * sizeof(*frames));
                if (!nf)
                    goto nomem;
                frames = nf;
            }
            f = &frames[nframes];
            f->base = p->sp;
            f->list = xlu__value_list(p->lex.tok_line);
            if (!f->list)
                goto nomem;
            nframes++;
            /* '[' nlok, then the first entry or an empty valuelist */
            if (!shift(p) || !push(p) || !newlines(p))
                goto abort;
            if (!starts_value(peek(p))) {
                if (!push(p))
                    goto abort;
                place = LIST_END;
            }
            break;

        case VALUE_END:
            if (!nframes) {
                *value_r = v;
                free(frames);
                return OK;
            }
            f = &frames[nframes - 1];
            if (xlu__list_append(f->list, v)) {
                xlu__value_free(v);
                goto nomem;
            }
            /* values: value nlok, or values ',' nlok value nlok */
            if (!push(p) || !newlines(p))
                goto abort;
            p->sp = f->base + 3;
            place = LIST_END;
            if (peek(p) == XLU_TOK_COMMA) {
                if (!shift(p) || !push(p) || !newlines(p))
                    goto abort;
                if (starts_value(peek(p)))
                    place = VALUE_START; /* the next entry */
                else
                    p->sp = f->base + 3; /* a trailing comma */
            }
            break;

        case LIST_END:
            f = &frames[nframes - 1];
            if (peek(p) != XLU_TOK_RBRACKET) {
                syntax_error(p, EXPECT_CLOSE);
                free_frames(frames, nframes);
                return RECOVER;
            }
            if (!shift(p))
                goto abort;
            p->sp = f->base + 1;
            v = f->list;
            nframes--;
            place = VALUE_END;
            break;
        }
    }

nomem:
    p->lex.err = ENOMEM;
abort:
    free_frames(frames, nframes);
    return ABORT;
}

/* assignment, with IDENT as lookahead; the stack holds stmts. */
static enum outcome parse_assignment(struct parser *p)
{
    enum XLU_Operation op;
    XLU_ConfigValue *value;
    enum outcome o;
    char *name;
    int e;

    name = take_value(p);
    if (!shift(p)) {
        free(name);
        return ABORT;
    }
    switch (peek(p)) {
    case XLU_TOK_EQUALS:
        op = XLU_OP_ASSIGNMENT;
        break;
    case XLU_TOK_OP_ADD:
        op = XLU_OP_ADDITION;
        break;
    default:
        free(name);
        syntax_error(p, EXPECT_OPERATOR);
        return RECOVER;
    }
    if (!shift(p)) {
        free(name);
        return ABORT;
    }
    o = parse_value(p, &value);
    if (o != OK) {
        free(name);
        return o;
    }
    p->sp -= 2; /* IDENT op value reduced to assignment */

    /* After an error nothing is stored: the config is of no use. */
    if (p->lex.err) {
        free(name);
        xlu__value_free(value);
        return OK;
    }
    e = xlu__cfg_store(p->lex.cfg, name, op, value);
    if (e == EINVAL)
        xlu__parse_error(&p->lex, p->lex.tok_line,
                         "can't add [list] to \"string\" or vice versa");
    else if (e)
        p->lex.err = e;
    return e == ENOMEM ? ABORT : OK;
}

/* Skip to the next newline after an error (bison's "error NEWLINE"). */
static enum outcome recover(struct parser *p)
{
    p->errstatus = 3;
    p->sp = 3; /* stmts error */
    for (;;) {
        switch (peek(p)) {
        case XLU_TOK_NEWLINE:
            p->have_token = false;
            p->errstatus--;
            p->sp = 2;
            return OK;
        case XLU_TOK_END:
            return ABORT;
        default:
            p->have_token = false; /* discarded */
        }
    }
}

static void parse_file(struct parser *p)
{
    enum outcome o;

    p->sp = 2; /* the start state and stmts */
    for (;;) {
        switch (peek(p)) {
        case XLU_TOK_END:
            return;
        case XLU_TOK_NEWLINE:
        case XLU_TOK_SEMICOLON:
            shift(p);
            p->sp = 2;
            continue;
        case XLU_TOK_IDENT:
            o = parse_assignment(p);
            if (o == OK) {
                switch (peek(p)) {
                case XLU_TOK_END:
                    return;
                case XLU_TOK_NEWLINE:
                case XLU_TOK_SEMICOLON:
                    shift(p);
                    p->sp = 2;
                    continue;
                default:
                    /* The file was complete: bison can only give up. */
                    syntax_error(p, EXPECT_END);
                    return;
                }
            }
            break;
        default:
            syntax_error(p, EXPECT_STATEMENT);
            o = RECOVER;
        }
        if (o == ABORT || recover(p) == ABORT)
            return;
    }
}

int xlu__cfg_parse(XLU_Config *cfg, const char *buf, size_t len)
{
    struct parser p = {0};

    xlu__lex_init(&p.lex, cfg, buf, len);
    parse_file(&p);
    free(p.lex.value);
    if (p.lex.err && p.lex.likely_python)
        fputs("warning: Config file looks like it contains Python code.\n"
              "warning:  Arbitrary Python is no longer supported.\n"
              "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n",
              cfg->report);
    return p.lex.err;
}
