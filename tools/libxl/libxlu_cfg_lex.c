/*
 * The xl.cfg lexer. It splits a buffer into the tokens of Xen 4.17's
 * grammar and reports what it cannot read the way Xen's does:
 *
 *   IDENT    [a-z][._0-9a-z]*
 *   NUMBER   [0-9][0-9a-fx]*        kept as text; strtol reads it later
 *   STRING   "..." or '...', a backslash escaping the next character
 *   NEWLINE  a newline, or a comment "#..." with the newline ending it
 *   OP_ADD   +=
 *   and the characters = ; , [ ]
 *
 * Blanks and tabs separate tokens. Anything else is a lexical error that
 * takes the rest of the word, so that one error is reported per bad
 * word. The buffer may hold NUL bytes: bad characters outside strings,
 * an error inside them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

void xlu__lex_init(struct xlu__parse *p, XLU_Config *cfg, const char *buf,
                   size_t len)
{
    memset(p, 0, sizeof(*p));
    p->cfg = cfg;
    p->buf = buf;
    p->len = len;
    p->lineno = 1;
    p->tok_line = 1;
    p->text = "";
}

const char *xlu__token_name(enum xlu__token tok)
{
    /* Bison's names for the tokens, which Xen's messages show. */
    static const char *const names[] = {
        [XLU_TOK_END] = "$end",        [XLU_TOK_IDENT] = "IDENT",
        [XLU_TOK_STRING] = "STRING",   [XLU_TOK_NUMBER] = "NUMBER",
        [XLU_TOK_NEWLINE] = "NEWLINE", [XLU_TOK_OP_ADD] = "+=",
        [XLU_TOK_EQUALS] = "'='",      [XLU_TOK_SEMICOLON] = "';'",
        [XLU_TOK_COMMA] = "','",       [XLU_TOK_LBRACKET] = "'['",
        [XLU_TOK_RBRACKET] = "']'",
    };
    return names[tok];
}

void xlu__parse_error(struct xlu__parse *p, int line, const char *msg)
{
    size_t len = p->textlen;
    bool newline = false;

    if (!p->err)
        p->err = EINVAL;
    /* A bad word is reported once, not again by the parser choking on it. */
    if (line <= p->lexerr_line)
        return;
    /* A newline token is reported as the end of the line before it. */
    if (len && p->text[len - 1] == '\n') {
        len--;
        line--;
        newline = !len;
    }
    while (len && (p->text[len - 1] == ' ' || p->text[len - 1] == '\t'))
        len--;
    fprintf(p->cfg->report, "%s:%d: config parsing error near %s%.*s%s: %s\n",
            p->cfg->config_source, line, newline ? "<newline>" : "`", (int)len,
            p->text, newline ? "" : "'", msg);
}

static void lexical_error(struct xlu__parse *p, const char *msg)
{
    xlu__parse_error(p, p->lineno, msg);
    p->lexerr_line = p->lineno;
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * The value of a quoted string token (quotes included in p->text).
 * Escapes: \" \' \\ \a \b \f \n \r \t \v, \xHH and \OOO (1 to 255).
 * After a bad escape the string is cut there; it is never stored.
 */
static char *dequote(struct xlu__parse *p)
{
    const char *s = p->text + 1, *end = p->text + p->textlen - 1;
    char *out = malloc(p->textlen - 1), *q = out;
    static const char plain[] = "\"\"''\\\\a\ab\bf\fn\nr\rt\tv\v";
    const char *m;
    int v, n;

    if (!out)
        return NULL;
    /* After an error the value is never stored: do not report more. */
    while (!p->err && s < end) {
        if (!*s) {
            /* Xen's parser crashes here; C strings cannot hold a NUL. */
            lexical_error(p, "NUL character in quoted string");
            break;
        }
        if (*s != '\\') {
            *q++ = *s++;
            continue;
        }
        s++; /* the lexer made sure a character follows */
        for (m = plain; *m && *m != *s; m += 2)
            ;
        if (*m) {
            *q++ = m[1];
            s++;
        } else if (*s == 'x') {
            if (end - s < 3 || hex_value(s[1]) < 0 || hex_value(s[2]) < 0 ||
                !(v = hex_value(s[1]) * 16 + hex_value(s[2]))) {
                lexical_error(p, "invalid digit after backslash "
                                 "hexnumerical character escape in quoted "
                                 "string");
                break;
            }
            *q++ = (char)v;
            s += 3;
        } else if (*s >= '0' && *s <= '7') {
            for (v = 0, n = 0; n < 3 && s < end && *s >= '0' && *s <= '7'; n++)
                v = v * 8 + (*s++ - '0');
            if (!v || v > 255) {
                lexical_error(p, "invalid digit after backslash "
                                 "octalnumerical character escape in quoted "
                                 "string");
                break;
            }
            *q++ = (char)v;
        } else {
            /* Xen's wording, typo included, for the same output. */
            lexical_error(p, "invalid character after backlash in quoted "
                             "string");
            break;
        }
    }
    *q = 0;
    return out;
}

/* Length of a quoted string at pos, or 0 if it is not terminated. */
static size_t quoted_length(const struct xlu__parse *p)
{
    char quote = p->buf[p->pos];
    size_t i = p->pos + 1;

    while (i < p->len) {
        char c = p->buf[i];

        if (c == quote)
            return i + 1 - p->pos;
        if (c == '\n')
            return 0;
        if (c == '\\') {
            if (i + 1 >= p->len || p->buf[i + 1] == '\n')
                return 0;
            i++;
        }
        i++;
    }
    return 0;
}

/* Take len bytes at pos as the token tok. */
static void token(struct xlu__parse *p, enum xlu__token tok, size_t len)
{
    p->tok = tok;
    p->tok_line = p->lineno;
    p->text = p->buf + p->pos;
    p->textlen = len;
    p->pos += len;
}

/*
 * A bad word: report it and skip it. Returns true if it leaves a NEWLINE
 * token: as Xen does, a bad word of one character is reported with the
 * newline after it, which then still ends the statement.
 */
static bool bad_word(struct xlu__parse *p)
{
    size_t start = p->pos;
    char c = p->buf[p->pos++];
    bool newline;

    /* Python configs (xm's) were once accepted: say why they are not. */
    if (c && strchr("+-.():", c))
        p->likely_python = true;
    while (p->pos < p->len && p->buf[p->pos] != ' ' && p->buf[p->pos] != '\t' &&
           p->buf[p->pos] != '\n')
        p->pos++;
    newline = p->pos == start + 1 && p->pos < p->len && p->buf[p->pos] == '\n';
    if (newline) {
        p->pos++;
        p->lineno++;
    }
    p->text = p->buf + start;
    p->textlen = p->pos - start;
    lexical_error(p, "lexical error");
    if (newline) {
        p->tok = XLU_TOK_NEWLINE;
        p->tok_line = p->lineno - 1;
        p->text = p->buf + p->pos - 1;
        p->textlen = 1;
    }
    return newline;
}

/* Returns false if out of memory. */
static bool set_value(struct xlu__parse *p)
{
    if (p->tok == XLU_TOK_STRING)
        p->value = dequote(p);
    else
        p->value = strndup(p->text, p->textlen);
    return p->value;
}

void xlu__lex(struct xlu__parse *p)
{
    const char *nl;
    size_t n;
    char c;

    free(p->value);
    p->value = NULL;
    for (;;) {
        if (p->pos >= p->len) {
            /* The end keeps the last token's line, as Xen reports it. */
            p->tok = XLU_TOK_END;
            p->text = "";
            p->textlen = 0;
            return;
        }
        c = p->buf[p->pos];
        if (c == ' ' || c == '\t') {
            p->pos++;
            continue;
        }
        if (c == '\n' || c == '#') {
            nl = memchr(p->buf + p->pos, '\n', p->len - p->pos);
            /* A comment must end with a newline (Xen's rule). */
            if (!nl) {
                if (bad_word(p))
                    return;
                continue;
            }
            token(p, XLU_TOK_NEWLINE, nl + 1 - (p->buf + p->pos));
            p->lineno++;
            return;
        }
        if (is_lower(c) || is_digit(c)) {
            for (n = 1; p->pos + n < p->len; n++) {
                char d = p->buf[p->pos + n];

                if (is_lower(c)
                        ? !(is_lower(d) || is_digit(d) || d == '.' || d == '_')
                        : !(is_digit(d) || (d >= 'a' && d <= 'f') || d == 'x'))
                    break;
            }
            token(p, is_lower(c) ? XLU_TOK_IDENT : XLU_TOK_NUMBER, n);
            break;
        }
        if (c == '"' || c == '\'') {
            n = quoted_length(p);
            if (!n) {
                if (bad_word(p))
                    return;
                continue;
            }
            token(p, XLU_TOK_STRING, n);
            break;
        }
        if (c == '+' && p->pos + 1 < p->len && p->buf[p->pos + 1] == '=') {
            token(p, XLU_TOK_OP_ADD, 2);
            return;
        }
        if (c && strchr("=;,[]", c)) {
            token(p,
                  c == '='   ? XLU_TOK_EQUALS
                  : c == ';' ? XLU_TOK_SEMICOLON
                  : c == ',' ? XLU_TOK_COMMA
                  : c == '[' ? XLU_TOK_LBRACKET
                             : XLU_TOK_RBRACKET,
                  1);
            return;
        }
        if (bad_word(p))
            return;
    }
    if (!set_value(p)) {
        p->err = ENOMEM;
        p->tok = XLU_TOK_END;
    }
}
