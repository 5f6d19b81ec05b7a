/*
 * bif_ets.c — ETS basics: set, ordered_set, bag and duplicate_bag tables of
 * tuples kept in an array sorted by key (ordered_set order for all kinds);
 * every object is a copy in a block of its own, copied out again on lookup.
 * A table belongs to the process that made it and goes when it exits (no
 * heir, no give_away).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"

extern Term copy_term_block(Term t, Term **block);

typedef struct { Term obj; Term *block; } Obj;
typedef struct {
    Term id, name, owner;
    int kind, named;
    uint32_t keypos;
    Obj *objs;
    uint64_t n, cap;
} Table;

static Table *tables;
static uint64_t ntables;

static Table *find_table(Term t)
{
    for (uint64_t i = 0; i < ntables; i++) {
        Table *tb = &tables[i];
        if (tb->id == NONV)
            continue;
        if (tb->id == t || (tb->named && tb->name == t))
            return tb;
    }
    return NULL;
}

static Term key_of(Table *t, Term obj) { return tuple_ptr(obj)[t->keypos - 1]; }

/* first index whose key is >= key */
static uint64_t lower(Table *t, Term key)
{
    uint64_t lo = 0, hi = t->n;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (term_cmp(key_of(t, t->objs[mid].obj), key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int same_key(Table *t, Term a, Term key)
{
    return t->kind == ATOM_ordered_set ? term_cmp(a, key) == 0 : term_eq_exact(a, key);
}

BIF(bif_ets_new)
{
    if (!is_atom(a[0]))
        return badarg(p);
    Table t = {0};
    t.kind = ATOM_set;
    t.keypos = 1;
    t.name = a[0];
    for (Term o = a[1]; is_cons(o); o = CDR(o)) {
        Term x = CAR(o);
        if (x == AM(set) || x == AM(ordered_set) || x == AM(bag) || x == AM(duplicate_bag))
            t.kind = (int)atom_index(x);
        else if (x == AM(named_table))
            t.named = 1;
        else if (is_tuple(x) && tuple_size(x) == 2 && tuple_ptr(x)[0] == AM(keypos) &&
                 is_small(tuple_ptr(x)[1]) && small_val(tuple_ptr(x)[1]) >= 1)
            t.keypos = (uint32_t)small_val(tuple_ptr(x)[1]);
    }
    if (t.named && find_table(a[0]))
        return badarg(p);
    t.id = t.named ? a[0] : make_ref(++ref_counter);
    t.owner = p->pid;
    tables = realloc(tables, (ntables + 1) * sizeof(Table));
    if (tables == NULL)
        fatal("out of memory (ets)");
    tables[ntables++] = t;
    return t.id;
}

static void insert_one(Table *t, Term obj)
{
    Term key = key_of(t, obj);
    uint64_t i = lower(t, key);
    if (t->kind == ATOM_set || t->kind == ATOM_ordered_set) {
        if (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key)) {
            free(t->objs[i].block);
            t->objs[i].obj = copy_term_block(obj, &t->objs[i].block);
            return;
        }
    } else {
        while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key)) {
            if (t->kind == ATOM_bag && term_eq_exact(t->objs[i].obj, obj))
                return;
            i++;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->objs = realloc(t->objs, t->cap * sizeof(Obj));
        if (t->objs == NULL)
            fatal("out of memory (ets)");
    }
    memmove(&t->objs[i + 1], &t->objs[i], (t->n - i) * sizeof(Obj));
    t->objs[i].obj = copy_term_block(obj, &t->objs[i].block);
    t->n++;
}

static int valid_obj(Table *t, Term o) { return is_tuple(o) && tuple_size(o) >= t->keypos; }

BIF(bif_ets_insert)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    if (is_list(a[1])) {
        for (Term l = a[1]; is_cons(l); l = CDR(l))
            if (!valid_obj(t, CAR(l)))
                return badarg(p);
        for (Term l = a[1]; is_cons(l); l = CDR(l))
            insert_one(t, CAR(l));
        return AM(true);
    }
    if (!valid_obj(t, a[1]))
        return badarg(p);
    insert_one(t, a[1]);
    return AM(true);
}

BIF(bif_ets_insert_new)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !valid_obj(t, a[1]))
        return badarg(p);
    Term key = key_of(t, a[1]);
    uint64_t i = lower(t, key);
    if (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key))
        return AM(false);
    insert_one(t, a[1]);
    return AM(true);
}

BIF(bif_ets_lookup)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]), j = i;
    while (j < t->n && same_key(t, key_of(t, t->objs[j].obj), a[1]))
        j++;
    Term l = NIL;
    while (j > i)
        l = cons(p, copy_term(p, t->objs[--j].obj), l);
    return l;
}

BIF(bif_ets_lookup_element)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !is_small(a[2]) || small_val(a[2]) < 1)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    if (i >= t->n || !same_key(t, key_of(t, t->objs[i].obj), a[1]))
        return badarg(p);
    Term o = t->objs[i].obj;
    if ((uint64_t)small_val(a[2]) > tuple_size(o))
        return badarg(p);
    return copy_term(p, tuple_ptr(o)[small_val(a[2]) - 1]);
}

BIF(bif_ets_member)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    return i < t->n && same_key(t, key_of(t, t->objs[i].obj), a[1]) ? AM(true) : AM(false);
}

static void drop_table(Table *t)
{
    for (uint64_t i = 0; i < t->n; i++)
        free(t->objs[i].block);
    free(t->objs);
    t->objs = NULL;
    t->n = t->cap = 0;
    t->id = NONV;
    t->named = 0;
}

/* The owner exited: its tables go (proc.c). */
void ets_owner_exit(Term pid)
{
    for (uint64_t i = 0; i < ntables; i++)
        if (tables[i].id != NONV && tables[i].owner == pid)
            drop_table(&tables[i]);
}

BIF(bif_ets_delete1)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    for (uint64_t i = 0; i < t->n; i++)
        free(t->objs[i].block);
    free(t->objs);
    t->objs = NULL;
    t->n = t->cap = 0;
    t->id = NONV;
    t->named = 0;
    return AM(true);
}

static void remove_range(Table *t, uint64_t i, uint64_t j)
{
    for (uint64_t k = i; k < j; k++)
        free(t->objs[k].block);
    memmove(&t->objs[i], &t->objs[j], (t->n - j) * sizeof(Obj));
    t->n -= j - i;
}

BIF(bif_ets_delete2)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]), j = i;
    while (j < t->n && same_key(t, key_of(t, t->objs[j].obj), a[1]))
        j++;
    remove_range(t, i, j);
    return AM(true);
}

BIF(bif_ets_delete_object)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !valid_obj(t, a[1]))
        return badarg(p);
    uint64_t i = lower(t, key_of(t, a[1]));
    while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key_of(t, a[1]))) {
        if (term_eq_exact(t->objs[i].obj, a[1]))
            remove_range(t, i, i + 1);
        else
            i++;
    }
    return AM(true);
}

BIF(bif_ets_tab2list)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    Term l = NIL;
    for (uint64_t i = t->n; i > 0; i--)
        l = cons(p, copy_term(p, t->objs[i - 1].obj), l);
    return l;
}

BIF(bif_ets_info)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return AM(undefined);
    if (a[1] == AM(size))
        return make_small((SInt)t->n);
    if (a[1] == AM(type))
        return make_atom((uint64_t)t->kind);
    if (a[1] == AM(name))
        return t->name;
    if (a[1] == AM(keypos))
        return make_small(t->keypos);
    if (a[1] == AM(named_table))
        return t->named ? AM(true) : AM(false);
    return badarg(p);
}

BIF(bif_ets_update_counter)
{
    Table *t = find_table(a[0]);
    if (t == NULL || (t->kind != ATOM_set && t->kind != ATOM_ordered_set))
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    if (i >= t->n || !same_key(t, key_of(t, t->objs[i].obj), a[1]))
        return badarg(p);
    Term o = copy_term(p, t->objs[i].obj);
    SInt pos = t->keypos + 1;
    Term incr = a[2];
    if (is_tuple(incr) && tuple_size(incr) == 2 && is_small(tuple_ptr(incr)[0])) {
        pos = small_val(tuple_ptr(incr)[0]);
        incr = tuple_ptr(incr)[1];
    }
    if (pos < 1 || (uint64_t)pos > tuple_size(o) || pos == (SInt)t->keypos ||
        !is_integer(incr) || !is_integer(tuple_ptr(o)[pos - 1]))
        return badarg(p);
    Term v = arith_add(p, tuple_ptr(o)[pos - 1], incr);
    tuple_ptr(o)[pos - 1] = v;
    free(t->objs[i].block);
    t->objs[i].obj = copy_term_block(o, &t->objs[i].block);
    return v;
}

BIF(bif_ets_first)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    if (t->n == 0)
        return make_atom(atom_index(atom_from("$end_of_table", 13, 1)));
    return copy_term(p, key_of(t, t->objs[0].obj));
}

BIF(bif_ets_next)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), a[1]))
        i++;
    if (i >= t->n)
        return atom_from("$end_of_table", 13, 1);
    return copy_term(p, key_of(t, t->objs[i].obj));
}

/* Match patterns: '_' matches anything; '$N' binds (the same N must match the same term). */
static int is_var(Term t, int *n)
{
    if (!is_atom(t))
        return 0;
    size_t len;
    const char *s = atom_name(t, &len);
    if (len == 1 && s[0] == '_') {
        *n = -1;
        return 1;
    }
    if (len >= 2 && s[0] == '$') {
        int v = 0;
        for (size_t i = 1; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return 0;
            v = v * 10 + (s[i] - '0');
        }
        *n = v;
        return 1;
    }
    return 0;
}

static int match(Term pat, Term t, Term *binds, int *maxv)
{
    int v;
    if (is_var(pat, &v)) {
        if (v < 0)
            return 1;
        if (v >= 64)
            return 0;
        if (binds[v] != NONV)
            return term_eq_exact(binds[v], t);
        binds[v] = t;
        if (v > *maxv)
            *maxv = v;
        return 1;
    }
    if (is_tuple(pat)) {
        if (!is_tuple(t) || tuple_size(t) != tuple_size(pat))
            return 0;
        for (uint64_t i = 0; i < tuple_size(pat); i++)
            if (!match(tuple_ptr(pat)[i], tuple_ptr(t)[i], binds, maxv))
                return 0;
        return 1;
    }
    if (is_cons(pat)) {
        if (!is_cons(t))
            return 0;
        return match(CAR(pat), CAR(t), binds, maxv) && match(CDR(pat), CDR(t), binds, maxv);
    }
    return term_eq_exact(pat, t);
}

static Term do_match(Proc *p, Term *a, int objects)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    Term out = NIL;
    for (uint64_t i = t->n; i > 0; i--) {
        Term binds[64];
        int maxv = -1;
        for (int k = 0; k < 64; k++)
            binds[k] = NONV;
        Term o = t->objs[i - 1].obj;
        if (!match(a[1], o, binds, &maxv))
            continue;
        if (objects) {
            out = cons(p, copy_term(p, o), out);
        } else {
            Term l = NIL;
            for (int k = maxv; k >= 0; k--)
                if (binds[k] != NONV)
                    l = cons(p, copy_term(p, binds[k]), l);
            out = cons(p, l, out);
        }
    }
    return out;
}
BIF(bif_ets_match_object) { return do_match(p, a, 1); }
BIF(bif_ets_match) { return do_match(p, a, 0); }
