/*
 * regex.c — a backtracking regular-expression engine with PCRE's syntax for
 * what programs commonly write: literals and escapes, ., classes, \d \w \s
 * \h and their negations, \b \B \A \z \Z ^ $, groups (capturing,
 * non-capturing, named, inline flags), alternation, greedy/lazy/possessive-
 * free quantifiers, backreferences, lookahead and lookbehind. Patterns are
 * bytes (latin1) or UTF-8 (RXO_UNICODE). The compiled program uses relative
 * jumps so a quantified atom's code can be copied for {n,m}. Loops record
 * where an iteration started and stop when one matched nothing, as PCRE does.
 */
#include <stdlib.h>
#include <string.h>
#include "regex.h"

enum {
    I_CHAR, I_ANY, I_CLASS, I_SPLIT, I_JMP, I_SAVE, I_MATCH, I_BOL, I_EOL,
    I_WORDB, I_NWORDB, I_BREF, I_LSET, I_LCHK, I_LOOK, I_LOOKEND,
    I_SSTART, I_SEND, I_SENDNL,
};

typedef struct {
    uint8_t op, fl;     /* fl: caseless / multiline / dotall / lazy / look kind */
    int32_t x, y;       /* operands; jumps are relative to this instruction */
} Inst;

#define F_CASE 1
#define F_ML 2
#define F_DOT 4

typedef struct {
    uint8_t bits[32];   /* code points < 256 */
    uint32_t *rng;      /* ranges of code points >= 256, pairs */
    int nrng;
    int neg;
} Class;

struct Regex {
    Inst *code;
    int n, cap;
    Class *cls;
    int ncls, clscap;
    int groups, loops;
    unsigned opts;
    const char **names;
    int *namenum;
    int nnames;
};

typedef struct {
    Regex *r;
    const uint8_t *p;
    size_t n, i;
    unsigned fl;            /* current inline flags */
    const char *err;
    size_t errpos;
    int utf, depth;
    int *refs;              /* backreference numbers to check at the end */
    size_t *refpos;
    int nrefs;
} Comp;

#define MAX_INSTS 400000

static int emit(Comp *c, int op, int fl, int x, int y)
{
    Regex *r = c->r;
    if (r->n >= MAX_INSTS) {
        if (!c->err) { c->err = "regular expression is too large"; c->errpos = c->i; }
        return -1;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->code = realloc(r->code, (size_t)r->cap * sizeof(Inst));
        if (!r->code) abort();
    }
    r->code[r->n] = (Inst){(uint8_t)op, (uint8_t)fl, x, y};
    return r->n++;
}

static int fail(Comp *c, const char *msg, size_t pos)
{
    if (!c->err) { c->err = msg; c->errpos = pos; }
    return -1;
}

/* one code point of the pattern */
static uint32_t pchar(Comp *c)
{
    uint8_t b = c->p[c->i++];
    if (!c->utf || b < 0x80) return b;
    int len = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
    uint32_t v = b & (0x3F >> len);
    while (len-- && c->i < c->n) v = v << 6 | (c->p[c->i++] & 0x3F);
    return v;
}

static uint32_t lower(uint32_t ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* the other case of a letter (itself if none): ASCII always; with unicode
   also Latin-1, Latin Extended-A, Greek and Cyrillic, as PCRE folds them in
   UTF mode (without utf, erl's PCRE tables fold ASCII and Latin-1) */
static uint32_t other_case(uint32_t ch, int utf)
{
    if (ch >= 'A' && ch <= 'Z') return ch + 32;
    if (ch >= 'a' && ch <= 'z') return ch - 32;
    if (ch < 0xC0) return ch;
    if (ch <= 0xDE) return ch == 0xD7 ? ch : ch + 0x20;
    if (ch <= 0xFE) return ch == 0xF7 || ch == 0xDF ? ch : ch - 0x20;
    if (!utf) return ch;
    if (ch == 0xFF) return 0x178;
    if (ch == 0x178) return 0xFF;
    if ((ch >= 0x100 && ch <= 0x137) || (ch >= 0x14A && ch <= 0x177)) return ch ^ 1;
    if (ch >= 0x139 && ch <= 0x148) return (ch & 1) ? ch + 1 : ch - 1;
    if (ch >= 0x391 && ch <= 0x3A9 && ch != 0x3A2) return ch + 0x20;
    if (ch >= 0x3B1 && ch <= 0x3C9 && ch != 0x3C2) return ch - 0x20;
    if (ch >= 0x410 && ch <= 0x42F) return ch + 0x20;
    if (ch >= 0x430 && ch <= 0x44F) return ch - 0x20;
    if (ch >= 0x400 && ch <= 0x40F) return ch + 0x50;
    if (ch >= 0x450 && ch <= 0x45F) return ch - 0x50;
    return ch;
}

static int is_word(uint32_t ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}
static int is_space(uint32_t ch) { return ch == ' ' || (ch >= 9 && ch <= 13); }
static int is_digit(uint32_t ch) { return ch >= '0' && ch <= '9'; }
static int is_hspace(uint32_t ch) { return ch == ' ' || ch == '\t' || ch == 0xA0; }

static void cls_set(Class *k, uint32_t lo, uint32_t hi)
{
    for (uint32_t ch = lo; ch <= hi && ch < 256; ch++) k->bits[ch >> 3] |= (uint8_t)(1 << (ch & 7));
    if (hi >= 256) {
        if (lo < 256) lo = 256;
        k->rng = realloc(k->rng, (size_t)(k->nrng + 1) * 2 * sizeof(uint32_t));
        if (!k->rng) abort();
        k->rng[2 * k->nrng] = lo;
        k->rng[2 * k->nrng + 1] = hi;
        k->nrng++;
    }
}

static void cls_pred(Class *k, int (*pred)(uint32_t), int neg)
{
    for (uint32_t ch = 0; ch < 256; ch++)
        if (!pred(ch) != !neg) cls_set(k, ch, ch);
    if (neg) cls_set(k, 256, 0x10FFFF);
}

static int cls_in(const Class *k, uint32_t ch)
{
    if (ch < 256) return (k->bits[ch >> 3] >> (ch & 7)) & 1;
    for (int i = 0; i < k->nrng; i++)
        if (ch >= k->rng[2 * i] && ch <= k->rng[2 * i + 1]) return 1;
    return 0;
}

static int cls_has(const Class *k, uint32_t ch, int caseless, int utf)
{
    int in = cls_in(k, ch);
    if (!in && caseless) {
        uint32_t o = other_case(ch, utf);
        in = o != ch && cls_in(k, o);
    }
    return in != k->neg;
}

static Class *new_class(Comp *c, int *idx)
{
    Regex *r = c->r;
    if (r->ncls == r->clscap) {
        r->clscap = r->clscap ? r->clscap * 2 : 8;
        r->cls = realloc(r->cls, (size_t)r->clscap * sizeof(Class));
        if (!r->cls) abort();
    }
    *idx = r->ncls;
    Class *k = &r->cls[r->ncls++];
    memset(k, 0, sizeof *k);
    return k;
}

static int hexval(uint8_t ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* an escape after '\': a code point (>= 0), or a class kind as -'d', -'D', … */
static long escape(Comp *c, int inclass)
{
    size_t start = c->i - 1;
    if (c->i >= c->n) return fail(c, "\\ at end of pattern", c->i), -1000;
    uint8_t e = c->p[c->i];
    switch (e) {
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
        c->i++;
        return -(long)e;
    case 'n': c->i++; return '\n';
    case 't': c->i++; return '\t';
    case 'r': c->i++; return '\r';
    case 'f': c->i++; return '\f';
    case 'v': c->i++; return 0x0B;
    case 'e': c->i++; return 0x1B;
    case 'a': c->i++; return 0x07;
    case 'b': if (inclass) { c->i++; return 0x08; } break;
    case 'x': {
        c->i++;
        long v = 0;
        if (c->i < c->n && c->p[c->i] == '{') {
            size_t j = c->i + 1;
            while (j < c->n && hexval(c->p[j]) >= 0) v = v * 16 + hexval(c->p[j++]);
            if (j >= c->n || c->p[j] != '}') return fail(c, "missing terminating ] for character class", j), -1000;
            c->i = j + 1;
            if (v > (c->utf ? 0x10FFFF : 0xFF))
                return fail(c, "character value in \\x{} or \\o{} is too large", c->i - 1), -1000;
            return v;
        }
        for (int k = 0; k < 2 && c->i < c->n && hexval(c->p[c->i]) >= 0; k++) v = v * 16 + hexval(c->p[c->i++]);
        return v;
    }
    case '0': {
        long v = 0;
        for (int k = 0; k < 3 && c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '7'; k++)
            v = v * 8 + (c->p[c->i++] - '0');
        return v;
    }
    case 'c':
        if (c->i + 1 < c->n) { c->i += 2; return (c->p[c->i - 1] & ~0x20) ^ 0x40; }
        return fail(c, "\\c at end of pattern", c->i + 1), -1000;
    default: break;
    }
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '1' && e <= '9')) {
        (void)start;
        if (inclass && e >= '1' && e <= '9') {
            long v = 0;
            for (int k = 0; k < 3 && c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '7'; k++)
                v = v * 8 + (c->p[c->i++] - '0');
            return v;
        }
        return -2000;   /* not a character: the caller handles or rejects it */
    }
    return pchar(c);
}

static int class_kind(Class *k, long kind)
{
    switch (-kind) {
    case 'd': cls_pred(k, is_digit, 0); return 1;
    case 'D': cls_pred(k, is_digit, 1); return 1;
    case 'w': cls_pred(k, is_word, 0); return 1;
    case 'W': cls_pred(k, is_word, 1); return 1;
    case 's': cls_pred(k, is_space, 0); return 1;
    case 'S': cls_pred(k, is_space, 1); return 1;
    case 'h': cls_pred(k, is_hspace, 0); return 1;
    case 'H': cls_pred(k, is_hspace, 1); return 1;
    }
    return 0;
}

static const struct { const char *name; int (*pred)(uint32_t); } posix[] = {
    {"digit", is_digit}, {"space", is_space}, {"word", is_word}, {"blank", is_hspace},
};

static int p_alpha(uint32_t ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static int p_alnum(uint32_t ch) { return p_alpha(ch) || is_digit(ch); }
static int p_upper(uint32_t ch) { return ch >= 'A' && ch <= 'Z'; }
static int p_lower(uint32_t ch) { return ch >= 'a' && ch <= 'z'; }
static int p_punct(uint32_t ch) { return ch > 32 && ch < 127 && !p_alnum(ch); }
static int p_xdigit(uint32_t ch) { return hexval((uint8_t)ch) >= 0 && ch < 128; }
static int p_cntrl(uint32_t ch) { return ch < 32 || ch == 127; }
static int p_print(uint32_t ch) { return ch >= 32 && ch < 127; }
static int p_graph(uint32_t ch) { return ch > 32 && ch < 127; }
static int p_ascii(uint32_t ch) { return ch < 128; }

static int (*posix_pred(const uint8_t *s, size_t n))(uint32_t)
{
    static const struct { const char *name; int (*pred)(uint32_t); } more[] = {
        {"alpha", p_alpha}, {"alnum", p_alnum}, {"upper", p_upper}, {"lower", p_lower},
        {"punct", p_punct}, {"xdigit", p_xdigit}, {"cntrl", p_cntrl}, {"print", p_print},
        {"graph", p_graph}, {"ascii", p_ascii},
    };
    for (size_t i = 0; i < sizeof posix / sizeof posix[0]; i++)
        if (strlen(posix[i].name) == n && !memcmp(posix[i].name, s, n)) return posix[i].pred;
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (strlen(more[i].name) == n && !memcmp(more[i].name, s, n)) return more[i].pred;
    return NULL;
}

static int parse_class(Comp *c)
{
    size_t open = c->i - 1;
    int idx;
    Class *k = new_class(c, &idx);
    if (c->i < c->n && c->p[c->i] == '^') { k->neg = 1; c->i++; }
    int first = 1;
    for (;;) {
        if (c->i >= c->n) return fail(c, "missing terminating ] for character class", c->n);
        if (c->p[c->i] == ']' && !first) { c->i++; break; }
        first = 0;
        k = &c->r->cls[idx];
        if (c->p[c->i] == '[' && c->i + 1 < c->n && c->p[c->i + 1] == ':') {
            size_t j = c->i + 2, s = j;
            int neg = 0;
            if (j < c->n && c->p[j] == '^') { neg = 1; j++; s = j; }
            while (j < c->n && c->p[j] >= 'a' && c->p[j] <= 'z') j++;
            if (j + 1 < c->n && c->p[j] == ':' && c->p[j + 1] == ']') {
                int (*pred)(uint32_t) = posix_pred(c->p + s, j - s);
                if (!pred) return fail(c, "unknown POSIX class name", s);
                cls_pred(k, pred, neg);
                c->i = j + 2;
                continue;
            }
        }
        long lo;
        if (c->p[c->i] == '\\') {
            c->i++;
            lo = escape(c, 1);
            if (lo == -1000) return -1;
            if (lo == -2000) lo = pchar(c);
            if (lo < 0) { class_kind(k, lo); continue; }
        } else {
            lo = pchar(c);
        }
        long hi = lo;
        if (c->i + 1 < c->n && c->p[c->i] == '-' && c->p[c->i + 1] != ']') {
            size_t save = c->i;
            c->i++;
            if (c->p[c->i] == '\\') {
                c->i++;
                hi = escape(c, 1);
                if (hi == -1000) return -1;
                if (hi == -2000) hi = pchar(c);
                if (hi < 0) {   /* [a-\d]: '-' is literal */
                    cls_set(k, (uint32_t)lo, (uint32_t)lo);
                    cls_set(k, '-', '-');
                    class_kind(k, hi);
                    continue;
                }
            } else if (c->p[c->i] == '[' && c->i + 1 < c->n && c->p[c->i + 1] == ':') {
                c->i = save;
                hi = lo;
            } else {
                hi = pchar(c);
            }
            if (hi < lo) return fail(c, "range out of order in character class", c->i - 1);
        }
        cls_set(k, (uint32_t)lo, (uint32_t)hi);
        if (c->fl & F_CASE)
            for (long ch = lo; ch <= hi && ch < 128; ch++) {
                uint32_t o = ch >= 'a' && ch <= 'z' ? (uint32_t)ch - 32 : lower((uint32_t)ch);
                cls_set(k, o, o);
            }
    }
    (void)open;
    return emit(c, I_CLASS, c->fl, idx, 0);
}

static void skip_extended(Comp *c)
{
    if (!(c->r->opts & RXO_EXTENDED)) return;
    while (c->i < c->n) {
        uint8_t ch = c->p[c->i];
        if (is_space(ch)) c->i++;
        else if (ch == '#') { while (c->i < c->n && c->p[c->i] != '\n') c->i++; }
        else break;
    }
}

static int parse_alt(Comp *c);

static int add_name(Comp *c, const uint8_t *s, size_t n, int num)
{
    Regex *r = c->r;
    for (int i = 0; i < r->nnames; i++)
        if (strlen(r->names[i]) == n && !memcmp(r->names[i], s, n))
            return fail(c, "two named subpatterns have the same name", c->i - 1);
    r->names = realloc(r->names, (size_t)(r->nnames + 1) * sizeof(char *));
    r->namenum = realloc(r->namenum, (size_t)(r->nnames + 1) * sizeof(int));
    char *cp = malloc(n + 1);
    if (!r->names || !r->namenum || !cp) abort();
    memcpy(cp, s, n);
    cp[n] = 0;
    r->names[r->nnames] = cp;
    r->namenum[r->nnames++] = num;
    return 0;
}

/* a name's group number; -1 if unknown (yet) */
static int name_num(Regex *r, const uint8_t *s, size_t n)
{
    for (int i = 0; i < r->nnames; i++)
        if (strlen(r->names[i]) == n && !memcmp(r->names[i], s, n)) return r->namenum[i];
    return -1;
}

static int scan_name(Comp *c, uint8_t term, size_t *s, size_t *len)
{
    *s = c->i;
    while (c->i < c->n && is_word(c->p[c->i])) c->i++;
    *len = c->i - *s;
    if (c->i >= c->n || c->p[c->i] != term)
        return fail(c, "syntax error in subpattern name (missing terminator)", c->i);
    if (*len == 0) return fail(c, "group name expected", c->i);
    c->i++;
    return 0;
}

static int bref(Comp *c, int num, size_t pos)
{
    c->refs = realloc(c->refs, (size_t)(c->nrefs + 1) * sizeof(int));
    c->refpos = realloc(c->refpos, (size_t)(c->nrefs + 1) * sizeof(size_t));
    if (!c->refs || !c->refpos) abort();
    c->refs[c->nrefs] = num;
    c->refpos[c->nrefs++] = pos;
    return emit(c, I_BREF, c->fl, num, 0);
}

static int named_bref(Comp *c, uint8_t term)
{
    size_t s, len;
    if (scan_name(c, term, &s, &len) < 0) return -1;
    int num = name_num(c->r, c->p + s, len);
    if (num < 0) return fail(c, "reference to non-existent subpattern", c->i - 1);
    return bref(c, num, c->i - 1);
}

/* a group after '(' : capturing, (?:...), named, lookaround, inline flags */
static int parse_group(Comp *c)
{
    size_t open = c->i - 1;
    int cap = -1, look = -1;
    unsigned saved = c->fl;
    if (c->i < c->n && c->p[c->i] == '?') {
        c->i++;
        if (c->i >= c->n) return fail(c, "unrecognized character after (? or (?-", c->i);
        uint8_t k = c->p[c->i];
        if (k == ':') c->i++;
        else if (k == '=') { c->i++; look = 0; }
        else if (k == '!') { c->i++; look = 1; }
        else if (k == '>') { c->i++; look = 4; }    /* atomic group */
        else if (k == '<' && c->i + 1 < c->n && (c->p[c->i + 1] == '=' || c->p[c->i + 1] == '!')) {
            look = c->p[c->i + 1] == '=' ? 2 : 3;
            c->i += 2;
        } else if (k == '<' || k == '\'' || (k == 'P' && c->i + 1 < c->n && c->p[c->i + 1] == '<')) {
            c->i += k == 'P' ? 2 : 1;
            size_t s, len;
            if (scan_name(c, k == '\'' ? '\'' : '>', &s, &len) < 0) return -1;
            cap = ++c->r->groups;
            if (add_name(c, c->p + s, len, cap) < 0) return -1;
        } else if (k == 'P' && c->i + 1 < c->n && c->p[c->i + 1] == '=') {
            c->i += 2;
            int at = named_bref(c, ')');
            return at;
        } else if (k == '#') {
            while (c->i < c->n && c->p[c->i] != ')') c->i++;
            if (c->i >= c->n) return fail(c, "missing ) after (?# comment", c->i);
            c->i++;
            return -2;  /* nothing emitted */
        } else {
            unsigned on = 0, off = 0;
            int neg = 0;
            for (;;) {
                if (c->i >= c->n) return fail(c, "missing )", c->i);
                uint8_t f = c->p[c->i++];
                unsigned bit = 0;
                if (f == 'i') bit = F_CASE;
                else if (f == 'm') bit = F_ML;
                else if (f == 's') bit = F_DOT;
                else if (f == 'x') bit = 0x100;
                else if (f == 'U' || f == 'J') bit = 0;
                else if (f == '-' && !neg) { neg = 1; continue; }
                else if (f == ')' || f == ':') {
                    unsigned nf = (c->fl | on) & ~off;
                    if (nf & 0x100) c->r->opts |= RXO_EXTENDED;
                    else if (off & 0x100) c->r->opts &= ~(unsigned)RXO_EXTENDED;
                    nf &= 0xFF;
                    if (f == ')') { c->fl = nf; return -2; }
                    c->fl = nf;
                    break;
                } else return fail(c, "unrecognized character after (? or (?-", c->i - 1);
                if (neg) off |= bit; else on |= bit;
            }
        }
    } else if (!(c->r->opts & RXO_NO_AUTO_CAPTURE)) {
        cap = ++c->r->groups;
    }
    int start = c->r->n;
    if (look >= 0) emit(c, I_LOOK, look, 0, 0);
    if (cap >= 0) emit(c, I_SAVE, 0, 2 * cap, 0);
    if (++c->depth > 250) return fail(c, "parentheses are too deeply nested", c->i);
    if (parse_alt(c) < 0) return -1;
    c->depth--;
    if (c->i >= c->n || c->p[c->i] != ')') return fail(c, "missing )", c->i);
    c->i++;
    if (cap >= 0) emit(c, I_SAVE, 0, 2 * cap + 1, 0);
    if (look >= 0) {
        emit(c, I_LOOKEND, 0, 0, 0);
        c->r->code[start].x = c->r->n - start;
    }
    c->fl = saved;
    (void)open;
    return start;
}

/* one atom; its code starts at the returned index (-2: nothing, e.g. a comment) */
static int parse_atom(Comp *c)
{
    size_t at = c->i;
    uint32_t ch = pchar(c);
    int start = c->r->n;
    switch (ch) {
    case '.': emit(c, I_ANY, c->fl, 0, 0); return start;
    case '^': emit(c, I_BOL, c->fl, 0, 0); return start;
    case '$': emit(c, I_EOL, c->fl, 0, 0); return start;
    case '[': return parse_class(c) < 0 ? -1 : start;
    case '(': return parse_group(c);
    case ')': return fail(c, "unmatched parentheses", at);
    case '*': case '+': case '?': return fail(c, "nothing to repeat", at);
    case '{': {
        size_t j = c->i;
        while (j < c->n && is_digit(c->p[j])) j++;
        if (j > c->i && j < c->n && (c->p[j] == '}' || c->p[j] == ','))
            return fail(c, "nothing to repeat", at);
        emit(c, I_CHAR, c->fl, '{', 0);
        return start;
    }
    case '\\': {
        if (c->i >= c->n) return fail(c, "\\ at end of pattern", c->i);
        uint8_t e = c->p[c->i];
        if (e >= '1' && e <= '9') {
            int num = 0;
            while (c->i < c->n && is_digit(c->p[c->i]) && num < 100000) num = num * 10 + (c->p[c->i++] - '0');
            return bref(c, num, c->i) < 0 ? -1 : start;
        }
        if (e == 'g') {
            c->i++;
            int num = 0, braces = c->i < c->n && c->p[c->i] == '{';
            if (braces && c->i + 1 < c->n && !is_digit(c->p[c->i + 1])) {
                c->i++;
                return named_bref(c, '}') < 0 ? -1 : start;
            }
            if (braces) c->i++;
            if (c->i >= c->n || !is_digit(c->p[c->i]))
                return fail(c, "a numbered reference must not be zero", c->i);
            while (c->i < c->n && is_digit(c->p[c->i]) && num < 100000) num = num * 10 + (c->p[c->i++] - '0');
            if (braces) {
                if (c->i >= c->n || c->p[c->i] != '}') return fail(c, "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number", c->i);
                c->i++;
            }
            return bref(c, num, c->i) < 0 ? -1 : start;
        }
        if (e == 'k') {
            c->i++;
            if (c->i >= c->n || (c->p[c->i] != '<' && c->p[c->i] != '{' && c->p[c->i] != '\''))
                return fail(c, "\\k is not followed by a braced, angle-bracketed, or quoted name", c->i);
            uint8_t o = c->p[c->i++];
            return named_bref(c, o == '<' ? '>' : o == '{' ? '}' : '\'') < 0 ? -1 : start;
        }
        if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z' || e == 'G') {
            c->i++;
            emit(c, e == 'b' ? I_WORDB : e == 'B' ? I_NWORDB : e == 'Z' ? I_SENDNL : e == 'z' ? I_SEND : I_SSTART,
                 c->fl, 0, 0);
            return start;
        }
        if (e == 'Q') {
            c->i++;
            int any = 0;
            while (c->i < c->n) {
                if (c->p[c->i] == '\\' && c->i + 1 < c->n && c->p[c->i + 1] == 'E') { c->i += 2; break; }
                emit(c, I_CHAR, c->fl, (int32_t)pchar(c), 0);
                any = 1;
            }
            return any ? start : -2;
        }
        if (e == 'E') { c->i++; return -2; }
        long v = escape(c, 0);
        if (v == -1000) return -1;
        if (v == -2000) {
            if (e == 'N') { c->i++; emit(c, I_ANY, c->fl & ~F_DOT, 0, 0); return start; }
            if (strchr("pPXKCLlUuRg", e)) return fail(c, "this escape is not supported by unik's re", c->i);
            emit(c, I_CHAR, c->fl, (int32_t)pchar(c), 0);
            return start;
        }
        if (v < 0) {
            int idx;
            Class *k = new_class(c, &idx);
            class_kind(k, v);
            emit(c, I_CLASS, c->fl, idx, 0);
            return start;
        }
        emit(c, I_CHAR, c->fl, (int32_t)v, 0);
        return start;
    }
    default:
        emit(c, I_CHAR, c->fl, (int32_t)ch, 0);
        return start;
    }
}

/* copy the code [from, to) to the end (jumps are relative, so it just works) */
static int copy_code(Comp *c, int from, int to)
{
    int start = c->r->n;
    for (int k = from; k < to; k++) {
        Inst in = c->r->code[k];
        if (emit(c, in.op, in.fl, in.x, in.y) < 0) return -1;
    }
    return start;
}

static void patch(Comp *c, int at, int target) { c->r->code[at].y = target - at; }

/* a loop over the atom whose code is at [a, end): min copies already emitted */
static int emit_star(Comp *c, int a, int end, int lazy)
{
    int k = c->r->loops++;
    int split = emit(c, I_SPLIT, lazy, 1, 0);
    emit(c, I_LSET, 0, k, 0);
    if (copy_code(c, a, end) < 0) return -1;
    int chk = emit(c, I_LCHK, 0, k, 0);
    int j = emit(c, I_JMP, 0, split - c->r->n, 0);
    if (j < 0) return -1;
    patch(c, split, c->r->n);
    patch(c, chk, c->r->n);
    return 0;
}

static int parse_repeat(Comp *c, int a)
{
    for (;;) {
        skip_extended(c);
        if (c->i >= c->n) return 0;
        uint8_t q = c->p[c->i];
        size_t qat = c->i;
        long min, max;
        if (q == '*') { min = 0; max = -1; c->i++; }
        else if (q == '+') { min = 1; max = -1; c->i++; }
        else if (q == '?') { min = 0; max = 1; c->i++; }
        else if (q == '{') {
            size_t j = c->i + 1;
            long v = 0, w;
            if (j >= c->n || !is_digit(c->p[j])) return 0;
            while (j < c->n && is_digit(c->p[j])) { v = v * 10 + (c->p[j++] - '0'); if (v > 65535) return fail(c, "number too big in {} quantifier", j); }
            if (j < c->n && c->p[j] == '}') { w = v; j++; }
            else if (j < c->n && c->p[j] == ',') {
                j++;
                if (j < c->n && c->p[j] == '}') { w = -1; j++; }
                else {
                    if (j >= c->n || !is_digit(c->p[j])) return 0;
                    w = 0;
                    while (j < c->n && is_digit(c->p[j])) { w = w * 10 + (c->p[j++] - '0'); if (w > 65535) return fail(c, "number too big in {} quantifier", j); }
                    if (j >= c->n || c->p[j] != '}') return 0;
                    j++;
                    if (w < v) return fail(c, "numbers out of order in {} quantifier", j - 1);
                }
            } else return 0;
            min = v; max = w;
            c->i = j;
        } else return 0;
        if (a >= 0 && c->r->n - a == 1) {
            int op = c->r->code[a].op;
            if (op == I_BOL || op == I_EOL || op == I_WORDB || op == I_NWORDB || op == I_SSTART ||
                op == I_SEND || op == I_SENDNL)
                return fail(c, "nothing to repeat", c->i - 1);   /* PCRE 8 refuses a repeated assertion */
        }
        int lazy = (c->r->opts & RXO_UNGREEDY) ? 1 : 0;
        int possessive = 0;
        if (c->i < c->n && c->p[c->i] == '?') { lazy = !lazy; c->i++; }
        else if (c->i < c->n && c->p[c->i] == '+') { c->i++; possessive = 1; lazy = 0; }
        if (a < 0) return fail(c, "nothing to repeat", qat);
        int end = c->r->n;
        Inst *code = c->r->code;
        /* lift the atom's code out, then emit the repetition at a */
        int len = end - a;
        Inst *atom = malloc((size_t)(len ? len : 1) * sizeof(Inst));
        if (!atom) abort();
        memcpy(atom, code + a, (size_t)len * sizeof(Inst));
        c->r->n = a;
        int base = c->r->cap;
        (void)base;
        /* put the atom once at the very end as a template for copies */
        for (int k = 0; k < len; k++) emit(c, atom[k].op, atom[k].fl, atom[k].x, atom[k].y);
        free(atom);
        int tpl = a, tend = a + len;
        /* emit min copies after the template, then the optional part; finally
           move everything down over the template */
        int out = c->r->n;
        for (long k = 0; k < min; k++) if (copy_code(c, tpl, tend) < 0) return -1;
        if (max < 0) {
            if (emit_star(c, tpl, tend, lazy) < 0) return -1;
        } else {
            int nopt = (int)(max - min);
            int *splits = malloc((size_t)(nopt ? nopt : 1) * sizeof(int));
            if (!splits) abort();
            for (int k = 0; k < nopt; k++) {
                splits[k] = emit(c, I_SPLIT, lazy, 1, 0);
                if (splits[k] < 0 || copy_code(c, tpl, tend) < 0) { free(splits); return -1; }
            }
            for (int k = 0; k < nopt; k++) patch(c, splits[k], c->r->n);
            free(splits);
        }
        if (possessive) {   /* X*+ is (?>X*): the repetition inside an atomic group */
            if (emit(c, I_LOOKEND, 0, 0, 0) < 0 || emit(c, I_LOOK, 4, 0, 0) < 0) return -1;
            int tot = c->r->n - out;
            Inst look = c->r->code[c->r->n - 1];
            memmove(c->r->code + out + 1, c->r->code + out, (size_t)(tot - 1) * sizeof(Inst));
            look.x = tot;
            c->r->code[out] = look;
        }
        int total = c->r->n - out;
        memmove(c->r->code + a, c->r->code + out, (size_t)total * sizeof(Inst));
        c->r->n = a + total;
        if (total == 0) a = -1;   /* x{0}: nothing; a following quantifier has no atom */
        if (c->i < c->n && (c->p[c->i] == '*' || c->p[c->i] == '+' || c->p[c->i] == '?'))
            return fail(c, "nothing to repeat", c->i);
    }
}

static int parse_seq(Comp *c)
{
    for (;;) {
        skip_extended(c);
        if (c->i >= c->n || c->p[c->i] == '|' || c->p[c->i] == ')') return 0;
        int a = parse_atom(c);
        if (a == -1) return -1;
        if (a == -2) {
            skip_extended(c);
            if (c->i < c->n && (c->p[c->i] == '*' || c->p[c->i] == '+' || c->p[c->i] == '?'))
                return fail(c, "nothing to repeat", c->i);
            continue;
        }
        if (parse_repeat(c, a) < 0) return -1;
    }
}

static int parse_alt(Comp *c)
{
    int split = -1, jmps[256], nj = 0;
    int first = c->r->n;
    (void)first;
    for (;;) {
        int branch = c->r->n;
        if (parse_seq(c) < 0) return -1;
        if (c->i >= c->n || c->p[c->i] != '|') break;
        c->i++;
        /* wrap: SPLIT branch, next ; branch ; JMP end */
        int len = c->r->n - branch;
        if (emit(c, I_SPLIT, 0, 1, 0) < 0) return -1;
        memmove(c->r->code + branch + 1, c->r->code + branch, (size_t)len * sizeof(Inst));
        c->r->code[branch] = (Inst){I_SPLIT, 0, 1, 0};
        for (int k = 0; k < nj; k++) if (jmps[k] >= branch) jmps[k]++;
        int j = emit(c, I_JMP, 0, 0, 0);
        if (j < 0) return -1;
        if (nj == 256) return fail(c, "too many alternatives", c->i);
        jmps[nj++] = j;
        patch(c, branch, c->r->n);
        split = branch;
    }
    (void)split;
    for (int k = 0; k < nj; k++) c->r->code[jmps[k]].x = c->r->n - jmps[k];
    return 0;
}

void rx_free(Regex *r)
{
    if (!r) return;
    for (int i = 0; i < r->ncls; i++) free(r->cls[i].rng);
    for (int i = 0; i < r->nnames; i++) free((void *)r->names[i]);
    free(r->names);
    free(r->namenum);
    free(r->cls);
    free(r->code);
    free(r);
}

int rx_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        int len;
        uint32_t v;
        if (b < 0x80) { i++; continue; }
        if ((b & 0xE0) == 0xC0) { len = 2; v = b & 0x1F; }
        else if ((b & 0xF0) == 0xE0) { len = 3; v = b & 0x0F; }
        else if ((b & 0xF8) == 0xF0) { len = 4; v = b & 0x07; }
        else return 0;
        if (i + (size_t)len > n) return 0;
        for (int k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            v = v << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
            v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        i += (size_t)len;
    }
    return 1;
}

Regex *rx_compile(const uint8_t *pat, size_t n, unsigned opts, const char **err, size_t *errpos)
{
    Regex *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->opts = opts;
    Comp c = {.r = r, .p = pat, .n = n, .utf = (opts & RXO_UNICODE) != 0};
    c.fl = (opts & RXO_CASELESS ? F_CASE : 0) | (opts & RXO_MULTILINE ? F_ML : 0) | (opts & RXO_DOTALL ? F_DOT : 0);
    if (c.utf && !rx_utf8_valid(pat, n)) {
        fail(&c, "UTF-8 error: isolated byte with 0x80 bit set", 0);
    } else {
        emit(&c, I_SAVE, 0, 0, 0);
        if (parse_alt(&c) == 0 && c.i < c.n) fail(&c, "unmatched parentheses", c.i);
        emit(&c, I_SAVE, 0, 1, 0);
        emit(&c, I_MATCH, 0, 0, 0);
        for (int k = 0; k < c.nrefs && !c.err; k++)
            if (c.refs[k] > r->groups) fail(&c, "reference to non-existent subpattern", n);   /* found at the end, as PCRE */
    }
    free(c.refs);
    free(c.refpos);
    if (c.err) {
        *err = c.err;
        *errpos = c.errpos;
        rx_free(r);
        return NULL;
    }
    r->opts = opts;
    /* names sorted, as re:inspect lists them */
    for (int i = 1; i < r->nnames; i++)
        for (int j = i; j > 0 && strcmp(r->names[j - 1], r->names[j]) > 0; j--) {
            const char *t = r->names[j]; r->names[j] = r->names[j - 1]; r->names[j - 1] = t;
            int u = r->namenum[j]; r->namenum[j] = r->namenum[j - 1]; r->namenum[j - 1] = u;
        }
    return r;
}

int rx_groups(const Regex *r) { return r->groups; }

int rx_names(const Regex *r, const char ***names, const int **nums)
{
    *names = r->names;
    *nums = r->namenum;
    return r->nnames;
}

/* ---- matching ---- */

typedef struct { int32_t kind, pc; long pos; } Frame;  /* kind 0: branch; 1: restore slot pc to pos */

typedef struct {
    const Regex *r;
    const uint8_t *s;
    size_t n;
    unsigned ropts;
    uint64_t steps, limit;
    long *slots;        /* captures then loop registers */
    int nslots;
    Frame *st;
    size_t sp, cap;
    int limited;
} M;

static uint32_t getc_at(const M *m, size_t at, size_t *len)
{
    uint8_t b = m->s[at];
    if (!(m->r->opts & RXO_UNICODE) || b < 0x80) { *len = 1; return b; }
    int l = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    uint32_t v = b & (0x7F >> l);
    for (int k = 1; k < l; k++) v = v << 6 | (m->s[at + k] & 0x3F);
    *len = (size_t)l;
    return v;
}

size_t rx_char_len(const Regex *r, const uint8_t *s, size_t n, size_t at)
{
    if (at >= n) return 1;
    if (!(r->opts & RXO_UNICODE) || s[at] < 0x80) return 1;
    size_t k = 1;
    while (at + k < n && (s[at + k] & 0xC0) == 0x80) k++;
    return k;
}

static int push(M *m, int kind, int pc, long pos)
{
    if (m->sp == m->cap) {
        if (m->cap >= (size_t)1 << 23) { m->limited = 1; return -1; }   /* 128 MiB of choice points */
        m->cap = m->cap ? m->cap * 2 : 256;
        m->st = realloc(m->st, m->cap * sizeof(Frame));
        if (!m->st) abort();
    }
    m->st[m->sp++] = (Frame){kind, pc, pos};
    return 0;
}

static int set_slot(M *m, int slot, long v)
{
    if (push(m, 1, slot, m->slots[slot]) < 0) return -1;
    m->slots[slot] = v;
    return 0;
}

static int word_at(const M *m, long at)
{
    return at >= 0 && (size_t)at < m->n && is_word(m->s[at]);
}

/* run from pc at pos until I_MATCH (or I_LOOKEND when sub); 1 match, 0 fail, -1 limit.
   target >= 0: LOOKEND must be reached exactly there (lookbehind). */
static int run(M *m, int pc, long pos, int sub, long target, long *endpos)
{
    size_t base = m->sp;
    const Inst *code = m->r->code;
    for (;;) {
        const Inst *in = &code[pc];
        size_t len;
        switch (in->op) {
        case I_CHAR:
            if ((size_t)pos >= m->n) goto fail;
            {
                uint32_t ch = getc_at(m, (size_t)pos, &len);
                if (ch != (uint32_t)in->x &&
                    !((in->fl & F_CASE) && other_case(ch, (m->r->opts & RXO_UNICODE) != 0) == (uint32_t)in->x))
                    goto fail;
            }
            pos += (long)len; pc++;
            continue;
        case I_ANY:
            if ((size_t)pos >= m->n) goto fail;
            if (!(in->fl & F_DOT) && m->s[pos] == '\n') goto fail;
            getc_at(m, (size_t)pos, &len);
            pos += (long)len; pc++;
            continue;
        case I_CLASS:
            if ((size_t)pos >= m->n) goto fail;
            if (!cls_has(&m->r->cls[in->x], getc_at(m, (size_t)pos, &len), in->fl & F_CASE,
                         (m->r->opts & RXO_UNICODE) != 0))
                goto fail;
            pos += (long)len; pc++;
            continue;
        case I_SPLIT: {
            /* the limit counts choice points, as PCRE's match_limit counts its
               match() calls: a long linear match costs nothing against it */
            if (++m->steps > m->limit) { m->limited = 1; return -1; }
            int a = pc + in->x, b = pc + in->y;
            if (in->fl) { int t = a; a = b; b = t; }
            if (push(m, 0, b, pos) < 0) return -1;
            pc = a;
            continue;
        }
        case I_JMP: pc += in->x; continue;
        case I_SAVE:
            if (set_slot(m, in->x, pos) < 0) return -1;
            pc++;
            continue;
        case I_LSET:
            if (set_slot(m, 2 * (m->r->groups + 1) + in->x, pos) < 0) return -1;
            pc++;
            continue;
        case I_LCHK:
            if (m->slots[2 * (m->r->groups + 1) + in->x] == pos) pc += in->y;
            else pc++;
            continue;
        case I_BOL:
            if (pos == 0 && !(m->ropts & RXR_NOTBOL)) { pc++; continue; }
            if ((in->fl & F_ML) && pos > 0 && m->s[pos - 1] == '\n' && (size_t)pos < m->n) { pc++; continue; }
            goto fail;
        case I_EOL:
            if ((size_t)pos == m->n) { if (m->ropts & RXR_NOTEOL) goto fail; pc++; continue; }
            if (m->s[pos] == '\n' && ((in->fl & F_ML) ||
                ((size_t)pos + 1 == m->n && !(m->r->opts & RXO_DOLLAR_END)))) {
                if (!(in->fl & F_ML) && (m->ropts & RXR_NOTEOL)) goto fail;
                pc++; continue;
            }
            goto fail;
        case I_SSTART: if (pos != 0) goto fail; pc++; continue;
        case I_SEND: if ((size_t)pos != m->n) goto fail; pc++; continue;
        case I_SENDNL:
            if ((size_t)pos != m->n && !((size_t)pos + 1 == m->n && m->s[pos] == '\n')) goto fail;
            pc++; continue;
        case I_WORDB: case I_NWORDB: {
            int b = word_at(m, pos - 1) != word_at(m, pos);
            if (b != (in->op == I_WORDB)) goto fail;
            pc++;
            continue;
        }
        case I_BREF: {
            long s0 = m->slots[2 * in->x], s1 = m->slots[2 * in->x + 1];
            if (s0 < 0 || s1 < 0) goto fail;   /* PCRE: an unset group never matches */
            long l = s1 - s0;
            if ((size_t)(pos + l) > m->n) goto fail;
            int ok = 1;
            for (long k = 0; k < l && ok; k++) {
                uint8_t a = m->s[s0 + k], b = m->s[pos + k];
                ok = a == b || ((in->fl & F_CASE) && lower(a) == lower(b));
            }
            if (!ok) goto fail;
            pos += l; pc++;
            continue;
        }
        case I_LOOK: {
            if (++m->steps > m->limit) { m->limited = 1; return -1; }
            int kind = in->fl, body = pc + 1, after = pc + in->x;
            int found = 0;
            long *save = malloc((size_t)m->nslots * sizeof(long));
            if (!save) abort();
            memcpy(save, m->slots, (size_t)m->nslots * sizeof(long));
            long e;
            if (kind < 2 || kind == 4) {
                found = run(m, body, pos, 1, -1, &e);
            } else {
                for (long st = pos; st >= 0 && !found; st--) {
                    if ((m->r->opts & RXO_UNICODE) && (size_t)st < m->n && (m->s[st] & 0xC0) == 0x80) continue;
                    found = run(m, body, st, 1, pos, &e);
                    if (found < 0) break;
                }
            }
            if (found < 0) { free(save); return -1; }
            int want = kind == 0 || kind == 2 || kind == 4;
            if (found && want) {
                /* keep the captures the assertion set, undoably */
                for (int k = 0; k < m->nslots; k++)
                    if (m->slots[k] != save[k]) {
                        long v = m->slots[k];
                        m->slots[k] = save[k];
                        if (set_slot(m, k, v) < 0) { free(save); return -1; }
                    }
            } else {
                memcpy(m->slots, save, (size_t)m->nslots * sizeof(long));
            }
            free(save);
            if (found != want) goto fail;
            if (kind == 4) pos = e;     /* atomic: go on from where the group ended */
            pc = after;
            continue;
        }
        case I_LOOKEND:
            if (target >= 0 && pos != target) goto fail;
            /* drop this sub-run's frames; its slot changes stay for the caller to judge */
            m->sp = base;
            *endpos = pos;
            return 1;
        case I_MATCH:
            if ((m->ropts & RXR_NOTEMPTY) && pos == m->slots[0]) goto fail;
            if ((m->ropts & RXR_NOTEMPTY_ATSTART) && pos == m->slots[0] && (size_t)pos == (size_t)m->slots[0] &&
                m->slots[0] == target)
                goto fail;
            *endpos = pos;
            (void)sub;
            return 1;
        }
    fail:
        for (;;) {
            if (m->sp == base) return 0;
            Frame f = m->st[--m->sp];
            if (f.kind == 1) { m->slots[f.pc] = f.pos; continue; }
            pc = f.pc;
            pos = f.pos;
            break;
        }
    }
}

int rx_exec(const Regex *r, const uint8_t *s, size_t n, size_t start, unsigned ropts,
            uint64_t limit, long *ovec, int *last)
{
    M m = {.r = r, .s = s, .n = n, .ropts = ropts, .limit = limit};
    m.nslots = 2 * (r->groups + 1) + r->loops;
    m.slots = malloc((size_t)m.nslots * sizeof(long));
    if (!m.slots) abort();
    int anchored = (ropts & RXR_ANCHORED) || (r->opts & RXO_ANCHORED);
    int res = RX_NOMATCH;
    for (size_t at = start; at <= n; at += rx_char_len(r, s, n, at)) {
        for (int k = 0; k < m.nslots; k++) m.slots[k] = -1;
        m.sp = 0;
        m.steps = 0;    /* PCRE counts afresh at each start position */
        long e;
        /* NOTEMPTY_ATSTART compares the match start with `at` (passed as target) */
        int got = run(&m, 0, (long)at, 0, (ropts & RXR_NOTEMPTY_ATSTART) ? (long)start : -1, &e);
        if (got < 0) { res = RX_LIMIT; break; }
        if (got) {
            int hi = 0;
            for (int g = 0; g <= r->groups; g++) {
                ovec[2 * g] = m.slots[2 * g];
                ovec[2 * g + 1] = m.slots[2 * g + 1];
                if (ovec[2 * g] < 0 || ovec[2 * g + 1] < 0) ovec[2 * g] = ovec[2 * g + 1] = -1;
                else hi = g + 1;
            }
            *last = hi;
            res = RX_MATCH;
            break;
        }
        if (anchored) break;
    }
    free(m.slots);
    free(m.st);
    return res;
}
