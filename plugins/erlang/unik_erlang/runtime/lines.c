/*
 * lines.c — stack traces as erl builds them: {Module, Function, Arity | Args,
 * Location} frames, Location [{file, "m.erl"}, {line, N}] from the line
 * table the linker wrote (the .beam files' Line chunks: erl_lines maps a code
 * index to the source line whose code starts there).
 *
 * The frames are the failing function, its continuation (the cp register,
 * when it is live) and the return addresses on the stack, at most 8 in all
 * (erl's default backtrace_depth). A BIF that fails gets a frame of its own
 * on top, with its arguments and erl's error_info location — except the
 * arithmetic operators +, - and * run inline (gc_bif), for which erl's JIT
 * adds none. Repeated return addresses (recursion) count once, as in erl.
 */
#include <string.h>
#include "vm.h"
#include "maps.h"
#include "ops.h"

enum { N_BIFS = 0
#define B(fn, m, f, ar) + 1
#include "bifs.h"
#undef B
};

#define MAX_FRAMES 8

/* set by the failing BIF (trace_bif_frame) or erlang:error/2 (trace_args_of_top),
 * consumed by the next build_trace: the VM runs one process at a time */
static Term pending_bif_frame = NONV;
static Term pending_top_args = NONV;

static Term named(const char *s) { return atom_from(s, strlen(s), 1); }

/* an atom's name as a list of code points (file names are UTF-8) */
static Term atom_chars(Proc *p, Term a)
{
    size_t n;
    const char *s = atom_name(a, &n);
    return utf8_to_list(p, (const uint8_t *)s, n);
}

/* [{file, F}, {line, L}] for the code at pc in function f, or [] */
Term code_location(Proc *p, uint64_t pc, const struct erl_func *f)
{
    uint64_t lo = 0, hi = erl_line_count;
    if (f == NULL || hi == 0 || erl_lines[0].pos > pc)
        return NIL;
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (erl_lines[mid].pos <= pc)
            lo = mid;
        else
            hi = mid;
    }
    const struct erl_line *l = &erl_lines[lo];
    uint32_t line = l->loc & 0xfffff;
    if (l->pos < f->start || line == 0)
        return NIL;
    Term file = make_atom(erl_line_files[l->loc >> 20]);
    return cons(p, mk_tuple2(p, AM(file), atom_chars(p, file)),
                cons(p, mk_tuple2(p, AM(line), make_small(line)), NIL));
}

static Term frame(Proc *p, const struct erl_func *f, Term args, uint64_t loc_pc)
{
    Term loc = code_location(p, loc_pc, f);
    return mk_tuple4(p, make_atom(f->module), make_atom(f->name),
                     args != NONV ? args : make_small(f->arity), loc);
}

/* the `cause` a failing BIF gives erl's error_info (an atom), for the next frame */
static Term pending_cause = NONV;
void bif_error_cause(Term cause) { pending_cause = cause; }

void trace_bif_frame(Proc *p, uint64_t bif, const Term *args, int n, int inline_op)
{
    const struct bif_name *bn = &bif_names[bif];
    static const char *const raisers[] = {"error", "exit", "throw", "raise", "nif_error"};
    if (strcmp(bn->module, "erlang") == 0)
        for (size_t i = 0; i < sizeof raisers / sizeof *raisers; i++)
            if (strcmp(bn->name, raisers[i]) == 0)
                return;         /* raising is what they are for: no frame */
    if (inline_op && strcmp(bn->module, "erlang") == 0 && bn->name[1] == 0 &&
            (bn->name[0] == '+' || bn->name[0] == '-' || bn->name[0] == '*') && n == 2)
        return;
    const char *info = strcmp(bn->module, "erlang") == 0 ||
                       strcmp(bn->module, "persistent_term") == 0 ? "erl_erts_errors" :
        (strcmp(bn->module, "lists") == 0 || strcmp(bn->module, "maps") == 0 ||
         strcmp(bn->module, "ets") == 0 || strcmp(bn->module, "binary") == 0 ||
         strcmp(bn->module, "unicode") == 0) ? "erl_stdlib_errors" : NULL;
    Term loc = NIL;
    Term cause = pending_cause;
    pending_cause = NONV;
    extern int ets_table_exists(Term t);
    if (cause == NONV && strcmp(bn->module, "ets") == 0 && n > 0 && !ets_table_exists(args[0]) &&
            strcmp(bn->name, "new") != 0 && strcmp(bn->name, "whereis") != 0)
        cause = named("id");        /* erl: the table does not exist */
    if (info != NULL) {
        Term k[2] = {named("cause"), AM(module)}, v[2] = {cause, named(info)};
        Term map = cause != NONV ? map_new(p, k, v, 2) : map_new(p, k + 1, v + 1, 1);
        loc = cons(p, mk_tuple2(p, named("error_info"), map), NIL);
        /* OTP's characters_to_list/1 and _binary/1 are Erlang wrappers whose
         * badarg names the line of unicode.erl that raises it */
        if (strcmp(bn->module, "unicode") == 0 && n == 1 &&
                strncmp(bn->name, "characters_to_", 14) == 0)
            loc = cons(p, mk_tuple2(p, AM(file), utf8_to_list(p, (const uint8_t *)"unicode.erl", 11)),
                       cons(p, mk_tuple2(p, AM(line), make_small(895)), loc));
    }
    Term l = NIL;
    for (int i = n; i > 0; i--)
        l = cons(p, args[i - 1], l);
    pending_bif_frame = mk_tuple4(p, named(bn->module), named(bn->name), l, loc);
}

void trace_args_of_top(Term args) { pending_top_args = args; }
void trace_top_frame(Term frame) { pending_bif_frame = frame; }

/* a failing erlang:Name/n run by an instruction (send): its BIF frame */
void trace_erlang_frame(Proc *p, const char *name, const Term *args, int n)
{
    for (uint64_t i = 0; i < N_BIFS; i++)
        if (strcmp(bif_names[i].module, "erlang") == 0 && strcmp(bif_names[i].name, name) == 0 &&
                bif_names[i].arity == n) {
            trace_bif_frame(p, i, args, n, 0);
            return;
        }
}

/* erlang:error/3's options: an {error_info, Map} among them goes at the end
 * of the top frame's location, as in erl */
static Term pending_top_opts = NONV;
void trace_opts_of_top(Term opts) { pending_top_opts = opts; }

static Term with_error_info(Proc *p, Term trace, Term opts)
{
    Term info = NONV;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        if (is_tuple(o) && tuple_size(o) == 2 && tuple_ptr(o)[0] == named("error_info"))
            info = o;
    }
    if (info == NONV || !is_cons(trace) || !is_tuple(CAR(trace)) || tuple_size(CAR(trace)) != 4)
        return trace;
    Term *fr = tuple_ptr(CAR(trace));
    Term loc = fr[3], items[8];
    int n = 0;
    for (; is_cons(loc) && n < 7; loc = CDR(loc))
        items[n++] = CAR(loc);
    Term l = cons(p, info, NIL);
    while (n > 0)
        l = cons(p, items[--n], l);
    return cons(p, mk_tuple4(p, fr[0], fr[1], fr[2], l), CDR(trace));
}

extern Term entry_pid;

/* The frames of code stopped at pc with continuation cp and stack frames from
 * E up to stack_hi, built on p's heap, after the n entries already there.
 * The entry process's trace ends as under `erl -s M F`, where init's boot
 * process calls the entry: {init,start_em,1,[]}, {init,do_boot,3,[]}. */
static Term walk_frames(Proc *p, Term *entries, int n, uint64_t pc, uint64_t cp, Term *E,
                        Term *stack_hi, Term args_of_top, int entry)
{
    const struct erl_func *f = func_at(pc);
    if (f) {
        if (args_of_top != NONV && is_list(args_of_top) && pc <= f->start + 4)
            entries[n++] = frame(p, f, args_of_top, f->start);   /* no clause matched */
        else
            entries[n++] = frame(p, f, args_of_top, pc);
    }
    /* the cp register is the caller's return address until the function saves
     * it in a frame; after a call returns it still points just past that call
     * in this same function (stale), which the code then runs beyond */
    const struct erl_func *g = cp ? func_at(cp) : NULL;
    uint64_t prev = 0;      /* repeated return addresses are one frame, as in erl */
    if (g && !(g == f && cp <= pc) && n < MAX_FRAMES) {
        entries[n++] = frame(p, g, NONV, cp - 1);
        prev = cp;
    }
    for (Term *s = E; s < stack_hi && n < MAX_FRAMES; s++) {
        if (!is_cp(*s) || cp_val(*s) == prev)
            continue;
        prev = cp_val(*s);
        const struct erl_func *h = func_at(prev);
        if (h)
            entries[n++] = frame(p, h, NONV, prev - 1);
    }
    if (entry && n < MAX_FRAMES)
        entries[n++] = mk_tuple4(p, named("init"), named("start_em"), make_small(1), NIL);
    if (entry && n < MAX_FRAMES)
        entries[n++] = mk_tuple4(p, named("init"), named("do_boot"), make_small(3), NIL);
    Term l = NIL;
    while (n > 0)
        l = cons(p, entries[--n], l);
    return l;
}

/* The trace of an exception raised at pc: args_of_top (function_clause) are
 * the arguments of the failing function, located at its head. */
Term build_trace(Proc *p, uint64_t pc, uint64_t cp, Term *E, Term args_of_top)
{
    Term entries[MAX_FRAMES];
    int n = 0;
    if (pending_bif_frame != NONV) {
        entries[n++] = pending_bif_frame;
        pending_bif_frame = NONV;
    }
    if (pending_top_args != NONV) {
        if (args_of_top == NONV)
            args_of_top = pending_top_args;
        pending_top_args = NONV;
    }
    Term trace = walk_frames(p, entries, n, pc, cp, E, p->stack_hi, args_of_top,
                             p->pid == entry_pid);
    if (pending_top_opts != NONV) {
        trace = with_error_info(p, trace, pending_top_opts);
        pending_top_opts = NONV;
    }
    return trace;
}

/* process_info(Q, current_stacktrace), built on p's heap: where q stands —
 * for the running process the code that called the BIF (bif_caller_pc/cp,
 * set by the emulator's BIF calls), for others where they were suspended. */
Term current_stacktrace(Proc *p, Proc *q)
{
    Term entries[MAX_FRAMES];
    if (q == p)
        return walk_frames(p, entries, 0, bif_caller_pc, bif_caller_cp, q->E, q->stack_hi, NONV,
                           q->pid == entry_pid);
    return walk_frames(p, entries, 0, q->pc, q->cp, q->E, q->stack_hi, NONV,
                       q->pid == entry_pid);
}

/* The inline arithmetic instructions (ops.h), operand words wa/wb (registers
 * or literals) holding a and b. erl's JIT names the operator in a frame,
 * except for +, - and * on operands that may be integers: their inline code
 * raises badarith without one. */
static int literal_non_integer(uint64_t w)
{
    return IMM2(w) != I_XREG && IMM2(w) != I_YREG && !is_integer(w);
}

void trace_arith_frame(Proc *p, uint64_t op, uint64_t wa, uint64_t wb, Term a, Term b)
{
    const char *name = op == OP_X_BAND ? "band" : op == OP_X_BOR ? "bor" :
        op == OP_X_BSR ? "bsr" : op == OP_X_BSL ? "bsl" : op == OP_X_REM ? "rem" :
        op == OP_X_IDIV ? "div" : NULL;
    if (name == NULL && (literal_non_integer(wa) || literal_non_integer(wb)))
        name = op == OP_X_ADD || op == OP_X_ADD_C ? "+" :
               op == OP_X_SUB || op == OP_X_SUB_C ? "-" : op == OP_X_MUL ? "*" : NULL;
    if (name == NULL)
        return;
    for (uint64_t i = 0; i < N_BIFS; i++) {
        if (strcmp(bif_names[i].module, "erlang") == 0 && strcmp(bif_names[i].name, name) == 0 &&
                bif_names[i].arity == 2) {
            Term args[2] = {a, b};
            trace_bif_frame(p, i, args, 2, 0);
            return;
        }
    }
}
