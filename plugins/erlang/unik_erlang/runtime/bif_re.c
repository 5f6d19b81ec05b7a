/*
 * bif_re.c — the re module's BIFs over regex.c: compile/1,2, run/2,3,
 * internal_run/4 and inspect/2. OTP's own re.beam (replace/split, written in
 * Erlang over run/3) is linked in unchanged. A compiled pattern is
 * {re_pattern, Groups, Unicode, 0, Binary} as in erl; the binary holds a tag,
 * the compile options and the pattern's source, and run compiles it again
 * (patterns are short; compiling is cheap next to matching).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bits.h"
#include "bifs_decl.h"
#include "regex.h"

#define MP_TAG "UNIKRE1"
#define MP_TAG_LEN 7
#define DEFAULT_LIMIT 10000000ULL
#define OPT_SEEN 0x8000u      /* run/3 was given a compile option */

static Term name(const char *s) { return atom_from(s, strlen(s), 1); }

typedef struct { uint8_t *b; size_t n, cap; } Buf;

static void put(Buf *b, const uint8_t *s, size_t n)
{
    if (b->n + n > b->cap) {
        while (b->n + n > b->cap) b->cap = b->cap ? b->cap * 2 : 64;
        b->b = realloc(b->b, b->cap);
        if (!b->b) fatal("out of memory");
    }
    memcpy(b->b + b->n, s, n);
    b->n += n;
}

static void put_cp(Buf *b, uint32_t c)
{
    uint8_t u[4];
    size_t n;
    if (c < 0x80) { u[0] = (uint8_t)c; n = 1; }
    else if (c < 0x800) { u[0] = (uint8_t)(0xC0 | c >> 6); u[1] = (uint8_t)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) { u[0] = (uint8_t)(0xE0 | c >> 12); u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)); u[2] = (uint8_t)(0x80 | (c & 0x3F)); n = 3; }
    else { u[0] = (uint8_t)(0xF0 | c >> 18); u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F)); u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)); u[3] = (uint8_t)(0x80 | (c & 0x3F)); n = 4; }
    put(b, u, n);
}

/* iodata (or, with unicode, chardata) flattened into bytes; 0 if malformed */
static int flatten(Term t, int uni, Buf *b, int depth)
{
    if (depth > 20000) return 0;   /* deeper head nesting: badarg, not a blown stack */
    while (is_cons(t)) {
        Term h = cons_ptr(t)[0];
        if (is_small(h)) {
            SInt v = small_val(h);
            if (uni) {
                if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
                put_cp(b, (uint32_t)v);
            } else {
                if (v < 0 || v > 255) return 0;
                uint8_t c = (uint8_t)v;
                put(b, &c, 1);
            }
        } else if (!flatten(h, uni, b, depth + 1)) {
            return 0;
        }
        t = cons_ptr(t)[1];
    }
    if (is_nil(t)) return 1;
    if (is_bitstring(t)) {
        if (bits_size(t) % 8) return 0;
        uint64_t len;
        uint8_t *tofree = NULL;
        const uint8_t *d = bits_bytes(t, &len, &tofree);
        put(b, d, len);
        free(tofree);
        return 1;
    }
    return 0;
}

static int compile_opt(Term o, unsigned *opts)
{
    static const struct { const char *n; unsigned bit; } table[] = {
        {"unicode", RXO_UNICODE}, {"caseless", RXO_CASELESS}, {"multiline", RXO_MULTILINE},
        {"dotall", RXO_DOTALL}, {"extended", RXO_EXTENDED}, {"anchored", RXO_ANCHORED},
        {"ungreedy", RXO_UNGREEDY}, {"dollar_endonly", RXO_DOLLAR_END},
        {"no_auto_capture", RXO_NO_AUTO_CAPTURE},
        /* accepted, no effect here: */
        {"firstline", 0}, {"dupnames", 0}, {"bsr_anycrlf", 0}, {"bsr_unicode", 0},
        {"ucp", 0}, {"never_utf", 0}, {"no_start_optimize", 0},
    };
    if (is_atom(o)) {
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
            if (o == name(table[i].n)) { *opts |= table[i].bit; return 1; }
        return 0;
    }
    if (is_tuple(o) && tuple_size(o) == 2 && tuple_ptr(o)[0] == name("newline")) return 1;
    return 0;
}

static Term str(Proc *p, const char *s) { return utf8_to_list(p, (const uint8_t *)s, strlen(s)); }

static Term make_mp(Proc *p, const Regex *r, unsigned opts, const uint8_t *pat, size_t n)
{
    Buf b = {0};
    put(&b, (const uint8_t *)MP_TAG, MP_TAG_LEN);
    uint8_t o[4] = {(uint8_t)opts, (uint8_t)(opts >> 8), 0, 0};
    put(&b, o, 4);
    if (n) put(&b, pat, n);
    Term bin = make_binary(p, b.b, b.n);
    free(b.b);
    Term t = make_tuple(p, 5);
    Term *e = tuple_ptr(t);
    e[0] = name("re_pattern");
    e[1] = make_small(rx_groups(r));
    e[2] = make_small((opts & RXO_UNICODE) ? 1 : 0);
    e[3] = make_small(0);
    e[4] = bin;
    return t;
}

/* Compiled programs of recently used patterns, so a loop calling re:run with
   the same pattern compiles it once. Owned by the cache (never freed by callers
   while cached); a pattern longer than CACHE_MAX is compiled per call. */
#define CACHE_N 16
#define CACHE_MAX 4096
static struct { uint8_t *pat; size_t n; unsigned opts; Regex *r; } cache[CACHE_N];
static unsigned cache_next;

static Regex *get_regex(const uint8_t *pat, size_t n, unsigned opts, const char **err, size_t *ep, int *owned)
{
    *owned = 0;
    for (int i = 0; i < CACHE_N; i++)
        if (cache[i].r && cache[i].n == n && cache[i].opts == opts && !memcmp(cache[i].pat, pat, n))
            return cache[i].r;
    Regex *r = rx_compile(pat, n, opts, err, ep);
    if (!r || n > CACHE_MAX) { *owned = r != NULL; return r; }
    unsigned k = cache_next++ % CACHE_N;
    rx_free(cache[k].r);
    free(cache[k].pat);
    cache[k].pat = malloc(n ? n : 1);
    if (!cache[k].pat) fatal("out of memory");
    memcpy(cache[k].pat, pat, n);
    cache[k].n = n;
    cache[k].opts = opts;
    cache[k].r = r;
    return r;
}

static void put_regex(Regex *r, int owned) { if (owned) rx_free(r); }

/* a compiled pattern term back into a Regex; NULL if t is not one of ours */
static Regex *from_mp(Term t, unsigned *opts, int *owned)
{
    if (!is_tuple(t) || tuple_size(t) != 5 || tuple_ptr(t)[0] != name("re_pattern")) return NULL;
    Term bin = tuple_ptr(t)[4];
    if (!is_bitstring(bin) || bits_size(bin) % 8) return NULL;
    uint64_t len;
    uint8_t *tofree = NULL;
    const uint8_t *d = bits_bytes(bin, &len, &tofree);
    Regex *r = NULL;
    if (len >= MP_TAG_LEN + 4 && !memcmp(d, MP_TAG, MP_TAG_LEN)) {
        *opts = d[MP_TAG_LEN] | (unsigned)d[MP_TAG_LEN + 1] << 8;
        const char *err;
        size_t ep;
        r = get_regex(d + MP_TAG_LEN + 4, len - MP_TAG_LEN - 4, *opts, &err, &ep, owned);
    }
    free(tofree);
    return r;
}

static Term do_compile(Proc *p, Term pat, Term optl)
{
    unsigned opts = 0;
    for (Term l = optl; ; l = cons_ptr(l)[1]) {
        if (is_nil(l)) break;
        if (!is_cons(l) || !compile_opt(cons_ptr(l)[0], &opts)) return badarg(p);
    }
    Buf b = {0};
    if (!flatten(pat, (opts & RXO_UNICODE) != 0, &b, 0)) { free(b.b); return badarg(p); }
    const char *err;
    size_t ep;
    Regex *r = rx_compile(b.b ? b.b : (const uint8_t *)"", b.n, opts, &err, &ep);
    Term res;
    if (!r) {
        res = mk_tuple2(p, AM(error), mk_tuple2(p, str(p, err), make_small((SInt)ep)));
    } else {
        res = mk_tuple2(p, AM(ok), make_mp(p, r, opts, b.b, b.n));
        rx_free(r);
    }
    free(b.b);
    return res;
}

BIF(bif_re_compile1) { return do_compile(p, a[0], NIL); }
BIF(bif_re_compile2) { return do_compile(p, a[0], a[1]); }

enum { CAP_ALL, CAP_ABF, CAP_FIRST, CAP_NONE, CAP_LIST };
enum { V_INDEX, V_LIST, V_BINARY };

typedef struct {
    int global, kind, vtype, report;
    unsigned ropts;
    size_t offset;
    uint64_t limit;
    Term list;
} RunOpts;

static int run_opt(Term o, RunOpts *ro, unsigned *copts)
{
    if (o == name("global")) { ro->global = 1; return 1; }
    if (o == name("notbol")) { ro->ropts |= RXR_NOTBOL; return 1; }
    if (o == name("noteol")) { ro->ropts |= RXR_NOTEOL; return 1; }
    if (o == name("notempty")) { ro->ropts |= RXR_NOTEMPTY; return 1; }
    if (o == name("notempty_atstart")) { ro->ropts |= RXR_NOTEMPTY_ATSTART; return 1; }
    if (o == name("anchored")) { ro->ropts |= RXR_ANCHORED; return 1; }
    if (o == name("report_errors")) { ro->report = 1; return 1; }
    if (is_tuple(o) && tuple_size(o) == 2) {
        Term k = tuple_ptr(o)[0], v = tuple_ptr(o)[1];
        if (k == name("offset") && is_small(v) && small_val(v) >= 0) { ro->offset = (size_t)small_val(v); return 1; }
        if ((k == name("match_limit") || k == name("match_limit_recursion")) && is_small(v) && small_val(v) >= 0) {
            if (k == name("match_limit")) ro->limit = (uint64_t)small_val(v);
            return 1;
        }
    }
    if (is_tuple(o) && (tuple_size(o) == 2 || tuple_size(o) == 3) && tuple_ptr(o)[0] == name("capture")) {
        Term spec = tuple_ptr(o)[1];
        if (spec == name("all")) ro->kind = CAP_ALL;
        else if (spec == name("all_but_first")) ro->kind = CAP_ABF;
        else if (spec == name("first")) ro->kind = CAP_FIRST;
        else if (spec == name("none")) ro->kind = CAP_NONE;
        else if (spec == name("all_names")) { ro->kind = CAP_LIST; ro->list = NONV; }
        else if (is_list(spec)) { ro->kind = CAP_LIST; ro->list = spec; }
        else return 0;
        ro->vtype = V_INDEX;
        if (tuple_size(o) == 3) {
            Term t = tuple_ptr(o)[2];
            if (t == AM(index)) ro->vtype = V_INDEX;
            else if (t == name("list")) ro->vtype = V_LIST;
            else if (t == name("binary")) ro->vtype = V_BINARY;
            else return 0;
        }
        return 1;
    }
    if (!compile_opt(o, copts)) return 0;
    *copts |= OPT_SEEN;
    return 1;
}

static Term value(Proc *p, const RunOpts *ro, const uint8_t *s, long st, long en, int uni)
{
    if (ro->vtype == V_INDEX) {
        if (st < 0) return mk_tuple2(p, make_small(-1), make_small(0));
        return mk_tuple2(p, make_small(st), make_small(en - st));
    }
    if (st < 0) st = en = 0;
    if (ro->vtype == V_BINARY) return make_binary(p, s + st, (size_t)(en - st));
    if (uni) return utf8_to_list(p, s + st, (size_t)(en - st));
    Term l = NIL;
    for (long k = en - 1; k >= st; k--) l = cons(p, make_small(s[k]), l);
    return l;
}

/* the group a capture list item names; -1 for none */
static int item_group(const Regex *r, Term it)
{
    if (is_small(it)) return (int)small_val(it);
    Buf b = {0};
    if (is_atom(it)) {
        size_t len;
        const char *nm = atom_name(it, &len);
        put(&b, (const uint8_t *)nm, len);
    } else if (!flatten(it, 1, &b, 0)) {
        free(b.b);
        return -2;
    }
    const char **names;
    const int *nums;
    int nn = rx_names(r, &names, &nums), g = -1;
    for (int i = 0; i < nn; i++)
        if (strlen(names[i]) == b.n && !memcmp(names[i], b.b, b.n)) g = nums[i];
    free(b.b);
    return g;
}

static Term one_match(Proc *p, const Regex *r, const RunOpts *ro, const uint8_t *s, const long *ov, int last, int uni)
{
    Term res = NIL;
    if (ro->kind == CAP_LIST) {
        int n = 0;
        Term items[512];
        if (ro->list == NONV) {
            const char **names;
            const int *nums;
            int nn = rx_names(r, &names, &nums);
            for (int i = nn - 1; i >= 0; i--) {
                int g = nums[i];
                res = cons(p, value(p, ro, s, ov[2 * g], ov[2 * g + 1], uni), res);
            }
            return res;
        }
        for (Term l = ro->list; is_cons(l) && n < 512; l = cons_ptr(l)[1]) items[n++] = cons_ptr(l)[0];
        for (int i = n - 1; i >= 0; i--) {
            int g = item_group(r, items[i]);
            long st = -1, en = -1;
            if (g >= 0 && g <= rx_groups(r)) { st = ov[2 * g]; en = ov[2 * g + 1]; }
            res = cons(p, value(p, ro, s, st, en, uni), res);
        }
        return res;
    }
    int from = ro->kind == CAP_ABF ? 1 : 0;
    int to = ro->kind == CAP_FIRST ? 1 : last;
    for (int g = to - 1; g >= from; g--) res = cons(p, value(p, ro, s, ov[2 * g], ov[2 * g + 1], uni), res);
    return res;
}

static Term do_run(Proc *p, Term subj, Term re, Term optl)
{
    RunOpts ro = {.kind = CAP_ALL, .vtype = V_INDEX, .limit = DEFAULT_LIMIT};
    unsigned copts = 0, mpopts = 0;
    Term l;
    for (l = optl; is_cons(l); l = cons_ptr(l)[1])
        if (!run_opt(cons_ptr(l)[0], &ro, &copts)) return badarg(p);
    if (!is_nil(l)) return badarg(p);
    int owned = 0;
    Regex *r = from_mp(re, &mpopts, &owned);
    if (r) {
        /* as erl: a compiled pattern takes no compile options, not even unicode */
        if (copts & OPT_SEEN) {
            put_regex(r, owned);
            return badarg(p);
        }
        copts = mpopts;
    } else if (is_tuple(re)) {
        return badarg(p);
    } else {
        Buf pb = {0};
        if (!flatten(re, (copts & RXO_UNICODE) != 0, &pb, 0)) { free(pb.b); return badarg(p); }
        const char *err;
        size_t ep;
        copts &= ~OPT_SEEN;
        r = get_regex(pb.b ? pb.b : (const uint8_t *)"", pb.n, copts, &err, &ep, &owned);
        free(pb.b);
        if (!r) {
            if (!ro.report) return badarg(p);
            return mk_tuple2(p, AM(error), mk_tuple2(p, name("compile"), mk_tuple2(p, str(p, err), make_small((SInt)ep))));
        }
    }
    int uni = (copts & RXO_UNICODE) != 0;
    Buf sb = {0};
    if (!flatten(subj, uni, &sb, 0) || ro.offset > sb.n) { free(sb.b); put_regex(r, owned); return badarg(p); }
    const uint8_t *s = sb.b ? sb.b : (const uint8_t *)"";
    /* a subject given as a binary keeps its bytes; in unicode mode they must be UTF-8 */
    if (uni && !rx_utf8_valid(s, sb.n)) { free(sb.b); put_regex(r, owned); return badarg(p); }
    int groups = rx_groups(r);
    long *ov = malloc((size_t)(groups + 1) * 2 * sizeof(long));
    if (!ov) fatal("out of memory");
    Term acc = NIL;     /* global matches, newest first */
    int matched = 0, last = 0, limited = 0;
    size_t at = ro.offset;
    int was_empty = 0;
    for (;;) {
        unsigned extra = was_empty ? (RXR_NOTEMPTY_ATSTART | RXR_ANCHORED) : 0;
        int rc = rx_exec(r, s, sb.n, at, ro.ropts | extra, ro.limit, ov, &last);
        if (rc == RX_LIMIT) { limited = 1; break; }
        if (rc == RX_NOMATCH) {
            if (!was_empty || !ro.global) break;
            at += rx_char_len(r, s, sb.n, at);
            was_empty = 0;
            if (at > sb.n) break;
            continue;
        }
        matched++;
        if (ro.kind != CAP_NONE) acc = cons(p, one_match(p, r, &ro, s, ov, last, uni), acc);
        if (!ro.global) break;
        /* as erl: an empty match where the search started is retried there for a
           non-empty one; an empty match found further on moves past itself */
        was_empty = ov[0] == ov[1] && (size_t)ov[0] == at;
        at = (size_t)ov[1];
        if (ov[0] == ov[1] && !was_empty) {
            at += rx_char_len(r, s, sb.n, at);
            if (at > sb.n) break;
        }
    }
    free(ov);
    Term res;
    if (limited && (!ro.global || !matched)) {
        res = ro.report ? mk_tuple2(p, AM(error), name("match_limit")) : AM(nomatch);
    } else if (!matched) {
        res = AM(nomatch);
    } else if (ro.kind == CAP_NONE) {
        res = name("match");
    } else if (!ro.global) {
        res = mk_tuple2(p, name("match"), cons_ptr(acc)[0]);
    } else {
        Term rev = NIL;
        for (; is_cons(acc); acc = cons_ptr(acc)[1]) rev = cons(p, cons_ptr(acc)[0], rev);
        res = mk_tuple2(p, name("match"), rev);
    }
    if (limited && ro.global && matched && ro.report)
        res = mk_tuple2(p, AM(error), name("match_limit"));
    free(sb.b);
    put_regex(r, owned);
    return res;
}

BIF(bif_re_run2) { return do_run(p, a[0], a[1], NIL); }
BIF(bif_re_run3) { return do_run(p, a[0], a[1], a[2]); }
BIF(bif_re_internal_run4) { return do_run(p, a[0], a[1], a[2]); }

BIF(bif_re_inspect2)
{
    unsigned opts;
    int owned = 0;
    Regex *r = from_mp(a[0], &opts, &owned);
    if (!r || a[1] != name("namelist")) { put_regex(r, owned); return badarg(p); }
    const char **names;
    const int *nums;
    int nn = rx_names(r, &names, &nums);
    Term l = NIL;
    for (int i = nn - 1; i >= 0; i--) l = cons(p, make_binary(p, names[i], strlen(names[i])), l);
    put_regex(r, owned);
    return mk_tuple2(p, name("namelist"), l);
}
