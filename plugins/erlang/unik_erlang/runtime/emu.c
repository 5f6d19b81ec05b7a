/*
 * emu.c — the interpreter: runs one process until it waits, exits or uses up
 * its reductions. One switch over the pre-linked code (image.h); operands are
 * x/y register words or literal terms, read through SRC/DST.
 */
/* as GCC's manual advises for threaded interpreters: keep each instruction's
 * dispatch jump its own (no cross-jumping, no global CSE across handlers);
 * handlers start 16-byte aligned: without it, adding handlers elsewhere moved
 * n-body's and made it ~7 % slower in the guest (not as a Linux process) */
#pragma GCC optimize("no-gcse", "no-crossjumping", "align-labels=16")
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "vm.h"
#include "ops.h"
#include "genop.h"
#include "bits.h"
#include "bits_fast.h"
#include "maps.h"

/* on a page of its own: where the linker happened to put it decided guest speed
   (fib ran 2.5x slower with xreg at 0x200400 than at 0x1ff400 or page-aligned,
   measured on the runner; the hosted build did not show it) */
Term xreg[MAX_X] __attribute__((aligned(4096)));
int keep_trace;        /* erlang:raise/3 gave the stack trace */
static double freg[MAX_FR];

#define W(i) (erl_code[pc + (i)])
/* a float register operand: (n << 6) | I_FREG */
#define FR(w) freg[(w) >> 6]

uint64_t find_export(uint32_t module, uint32_t name, uint32_t arity)
{
    uint64_t lo = 0, hi = erl_export_count;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        const struct erl_export *e = &erl_exports[mid];
        int c = e->module != module ? (e->module < module ? -1 : 1)
              : e->name != name ? (e->name < name ? -1 : 1)
              : e->arity != arity ? (e->arity < arity ? -1 : 1) : 0;
        if (c == 0)
            return e->pc;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const struct erl_func *func_at(uint64_t pc)
{
    uint64_t lo = 0, hi = erl_func_count;
    if (hi == 0 || pc < erl_funcs[0].start)
        return NULL;
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (erl_funcs[mid].start <= pc)
            lo = mid;
        else
            hi = mid;
    }
    return &erl_funcs[lo];
}

static void stack_grow(Proc *p, size_t need)
{
    size_t used = (size_t)(p->stack_hi - p->E);
    size_t cap = (size_t)(p->stack_hi - p->stack_lo);
    size_t ncap = cap * 2;
    while (ncap < used + need + 16)
        ncap *= 2;
    Term *lo = malloc_words(ncap);
    Term *hi = lo + ncap;
    memcpy(hi - used, p->E, used * sizeof(Term));
    free(p->stack_lo);
    p->stack_lo = lo;
    p->stack_hi = hi;
    p->E = hi - used;
}

/* Call a fun value with `arity` arguments in x0.. : returns the code index, or 0 (error set). */
static uint64_t fun_target(Proc *p, Term fun, uint32_t arity, int *bif)
{
    *bif = -1;
    if (is_box_of(fun, S_FUN)) {
        Term *f = box_ptr(fun);
        const struct erl_fun *fe = &erl_funs[small_val(f[1])];
        uint32_t nfree = fe->nfree;
        if (fe->arity - nfree != arity) {
            Term args = NIL;
            for (uint32_t i = arity; i > 0; i--)
                args = cons(p, xreg[i - 1], args);
            raise(p, AM(error), mk_tuple2(p, AM(badarity), mk_tuple2(p, fun, args)));
            return 0;
        }
        for (uint32_t i = 0; i < nfree; i++)
            xreg[arity + i] = f[2 + i];
        return fe->pc;
    }
    if (is_box_of(fun, S_EXPORT)) {
        Term *f = box_ptr(fun);
        uint32_t a = (uint32_t)small_val(f[3]);
        if (a != arity) {
            raise(p, AM(error), mk_tuple2(p, AM(badarity), mk_tuple2(p, fun, NIL)));
            return 0;
        }
        uint64_t pc = find_export((uint32_t)atom_index(f[1]), (uint32_t)atom_index(f[2]), a);
        if (pc == 0) {
            raise(p, AM(error), AM(undef));
            return 0;
        }
        if (pc >> 63) {
            *bif = (int)(pc & 0xffffffff);
            return 1;
        }
        return pc;
    }
    raise(p, AM(error), mk_tuple2(p, AM(badfun), fun));
    return 0;
}

/* apply(M, F, Args) with the arguments already in x0..arity-1. */
static uint64_t apply_target(Proc *p, Term m, Term f, uint32_t arity, int *bif)
{
    *bif = -1;
    if (!is_atom(m) || !is_atom(f)) {
        raise(p, AM(error), AM(badarg));
        return 0;
    }
    uint64_t pc = find_export((uint32_t)atom_index(m), (uint32_t)atom_index(f), arity);
    if (pc == 0) {
        raise(p, AM(error), AM(undef));
        return 0;
    }
    if (pc >> 63) {
        *bif = (int)(pc & 0xffffffff);
        return 1;
    }
    return pc;
}

static int select_val(Term v, const uint64_t *list, uint64_t n, uint64_t *label)
{
    for (uint64_t i = 0; i < n; i += 2) {
        if (term_eq_exact(v, list[i])) {
            *label = list[i + 1];
            return 1;
        }
    }
    return 0;
}

/* bump allocation inline (test_heap made room; halloc takes fragments otherwise) */
static inline Term *hp_alloc(Proc *p, size_t n)
{
    Term *r = p->htop;
    if (__builtin_expect((size_t)(p->hend - r) >= n, 1)) {
        p->htop = r + n;
        return r;
    }
    return halloc(p, n);
}

static inline Term hp_cons(Proc *p, Term h, Term t)
{
    Term *c = hp_alloc(p, 2);
    c[0] = h;
    c[1] = t;
    return make_cons(c);
}

/* before an instruction that names its live x registers: collect if fragments
   (or off-heap binaries, heap.c) grew */
#define FRAG_GC(live) do { \
        if (p->frag_words + p->vbin > 1024 * 64 && p->frag_words + p->vbin > (size_t)(p->hend - p->heap)) { \
            p->E = E; gc(p, 0, xreg, (live)); E = p->E; } } while (0)
#define GC_CHECK(need, live) do { \
        size_t _need = (need); \
        if ((size_t)(p->hend - p->htop) < _need || \
            (p->frag_words + p->vbin > 1024 * 64 && p->frag_words + p->vbin > (size_t)(p->hend - p->heap))) { \
            p->E = E; gc(p, _need, xreg, (live)); E = p->E; } } while (0)

void run_proc(Proc *p)
{
    uint64_t pc = p->pc, cp = p->cp;
    Term *E = p->E;
    int64_t reds = REDUCTIONS;
    memcpy(xreg, p->xsave, p->live * sizeof(Term));
    Term trace_args = NONV;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
    /* threaded dispatch: every instruction jumps straight to the next one's code */
    static const void *const dispatch[OP_COUNT] = {
        [0 ... OP_COUNT - 1] = &&L_default,
        [OP_X_DEALLOC_RETURN] = &&L_OP_X_DEALLOC_RETURN,
        [OP_X_CALL_UNDEF] = &&L_OP_X_CALL_UNDEF,
        [G_RAW_RAISE] = &&L_G_RAW_RAISE,
        [G_FUNC_INFO] = &&L_G_FUNC_INFO,
        [G_CALL] = &&L_G_CALL,
        [G_CALL_LAST] = &&L_G_CALL_LAST,
        [G_CALL_ONLY] = &&L_G_CALL_ONLY,
        [OP_X_CALL_BIF] = &&L_OP_X_CALL_BIF,
        [OP_X_CALL_BIF_LAST] = &&L_OP_X_CALL_BIF_LAST,
        [OP_X_CALL_BIF_ONLY] = &&L_OP_X_CALL_BIF_ONLY,
        [OP_X_ADD] = &&L_OP_X_ADD,
        [OP_X_SUB] = &&L_OP_X_SUB,
        [OP_X_MUL] = &&L_OP_X_MUL,
        [OP_X_BAND] = &&L_OP_X_BAND,
        [OP_X_BOR] = &&L_OP_X_BOR,
        [OP_X_BSR] = &&L_OP_X_BSR,
        [OP_X_BSL] = &&L_OP_X_BSL,
        [OP_X_REM] = &&L_OP_X_REM,
        [OP_X_IDIV] = &&L_OP_X_IDIV,
        [G_BIF0] = &&L_G_BIF0,
        [G_BIF1] = &&L_G_BIF1,
        [G_BIF2] = &&L_G_BIF2,
        [G_GC_BIF1] = &&L_G_GC_BIF1,
        [G_GC_BIF2] = &&L_G_GC_BIF2,
        [G_GC_BIF3] = &&L_G_GC_BIF3,
        [G_ALLOCATE] = &&L_G_ALLOCATE,
        [G_ALLOCATE_ZERO] = &&L_G_ALLOCATE_ZERO,
        [G_ALLOCATE_HEAP] = &&L_G_ALLOCATE_HEAP,
        [G_ALLOCATE_HEAP_ZERO] = &&L_G_ALLOCATE_HEAP_ZERO,
        [G_TEST_HEAP] = &&L_G_TEST_HEAP,
        [G_INIT] = &&L_G_INIT,
        [G_INIT_YREGS] = &&L_G_INIT_YREGS,
        [G_DEALLOCATE] = &&L_G_DEALLOCATE,
        [G_RETURN] = &&L_G_RETURN,
        [OP_X_EXIT] = &&L_OP_X_EXIT,
        [G_TRIM] = &&L_G_TRIM,
        [G_MOVE] = &&L_G_MOVE,
        [G_SWAP] = &&L_G_SWAP,
        [G_GET_LIST] = &&L_G_GET_LIST,
        [G_GET_HD] = &&L_G_GET_HD,
        [G_GET_TL] = &&L_G_GET_TL,
        [G_GET_TUPLE_ELEMENT] = &&L_G_GET_TUPLE_ELEMENT,
        [G_SET_TUPLE_ELEMENT] = &&L_G_SET_TUPLE_ELEMENT,
        [G_PUT_LIST] = &&L_G_PUT_LIST,
        [G_PUT_TUPLE2] = &&L_G_PUT_TUPLE2,
        [G_JUMP] = &&L_G_JUMP,
        [G_IS_INTEGER] = &&L_G_IS_INTEGER,
        [G_IS_FLOAT] = &&L_G_IS_FLOAT,
        [G_IS_NUMBER] = &&L_G_IS_NUMBER,
        [G_IS_ATOM] = &&L_G_IS_ATOM,
        [G_IS_PID] = &&L_G_IS_PID,
        [G_IS_REFERENCE] = &&L_G_IS_REFERENCE,
        [G_IS_PORT] = &&L_G_IS_PORT,
        [G_IS_NIL] = &&L_G_IS_NIL,
        [G_IS_BINARY] = &&L_G_IS_BINARY,
        [G_IS_BITSTR] = &&L_G_IS_BITSTR,
        [G_IS_LIST] = &&L_G_IS_LIST,
        [G_IS_NONEMPTY_LIST] = &&L_G_IS_NONEMPTY_LIST,
        [G_IS_TUPLE] = &&L_G_IS_TUPLE,
        [G_IS_MAP] = &&L_G_IS_MAP,
        [G_IS_FUNCTION] = &&L_G_IS_FUNCTION,
        [G_IS_BOOLEAN] = &&L_G_IS_BOOLEAN,
        [G_IS_LT] = &&L_G_IS_LT,
        [G_IS_GE] = &&L_G_IS_GE,
        [G_IS_EQ] = &&L_G_IS_EQ,
        [G_IS_NE] = &&L_G_IS_NE,
        [G_IS_EQ_EXACT] = &&L_G_IS_EQ_EXACT,
        [G_IS_NE_EXACT] = &&L_G_IS_NE_EXACT,
        [G_IS_FUNCTION2] = &&L_G_IS_FUNCTION2,
        [G_TEST_ARITY] = &&L_G_TEST_ARITY,
        [G_IS_TAGGED_TUPLE] = &&L_G_IS_TAGGED_TUPLE,
        [G_SELECT_VAL] = &&L_G_SELECT_VAL,
        [G_SELECT_TUPLE_ARITY] = &&L_G_SELECT_TUPLE_ARITY,
        [G_BADMATCH] = &&L_G_BADMATCH,
        [G_CASE_END] = &&L_G_CASE_END,
        [G_TRY_CASE_END] = &&L_G_TRY_CASE_END,
        [G_IF_END] = &&L_G_IF_END,
        [G_BADRECORD] = &&L_G_BADRECORD,
        [G_CATCH] = &&L_G_CATCH,
        [G_TRY] = &&L_G_TRY,
        [G_CATCH_END] = &&L_G_CATCH_END,
        [G_TRY_END] = &&L_G_TRY_END,
        [G_TRY_CASE] = &&L_G_TRY_CASE,
        [G_RAISE] = &&L_G_RAISE,
        [G_BUILD_STACKTRACE] = &&L_G_BUILD_STACKTRACE,
        [G_MAKE_FUN3] = &&L_G_MAKE_FUN3,
        [G_CALL_FUN] = &&L_G_CALL_FUN,
        [G_CALL_FUN2] = &&L_G_CALL_FUN2,
        [G_APPLY] = &&L_G_APPLY,
        [G_APPLY_LAST] = &&L_G_APPLY_LAST,
        [G_SEND] = &&L_G_SEND,
        [G_LOOP_REC] = &&L_G_LOOP_REC,
        [G_LOOP_REC_END] = &&L_G_LOOP_REC_END,
        [G_REMOVE_MESSAGE] = &&L_G_REMOVE_MESSAGE,
        [G_TIMEOUT] = &&L_G_TIMEOUT,
        [G_WAIT] = &&L_G_WAIT,
        [G_WAIT_TIMEOUT] = &&L_G_WAIT_TIMEOUT,
        [G_RECV_MARKER_RESERVE] = &&L_G_RECV_MARKER_RESERVE,
        [G_RECV_MARKER_BIND] = &&L_G_RECV_MARKER_BIND,
        [G_RECV_MARKER_CLEAR] = &&L_G_RECV_MARKER_CLEAR,
        [G_RECV_MARKER_USE] = &&L_G_RECV_MARKER_USE,
        [G_FMOVE] = &&L_G_FMOVE,
        [G_FCONV] = &&L_G_FCONV,
        [G_FADD] = &&L_G_FADD,
        [G_FSUB] = &&L_G_FSUB,
        [G_FMUL] = &&L_G_FMUL,
        [G_FDIV] = &&L_G_FDIV,
        [G_FNEGATE] = &&L_G_FNEGATE,
        [G_FCLEARERROR] = &&L_G_FCLEARERROR,
        [G_FCHECKERROR] = &&L_G_FCHECKERROR,
        [G_PUT_MAP_ASSOC] = &&L_G_PUT_MAP_ASSOC,
        [G_PUT_MAP_EXACT] = &&L_G_PUT_MAP_EXACT,
        [G_GET_MAP_ELEMENTS] = &&L_G_GET_MAP_ELEMENTS,
        [G_HAS_MAP_FIELDS] = &&L_G_HAS_MAP_FIELDS,
        [G_BS_START_MATCH3] = &&L_G_BS_START_MATCH3,
        [G_BS_START_MATCH4] = &&L_G_BS_START_MATCH4,
        [G_BS_GET_POSITION] = &&L_G_BS_GET_POSITION,
        [G_BS_SET_POSITION] = &&L_G_BS_SET_POSITION,
        [G_BS_GET_TAIL] = &&L_G_BS_GET_TAIL,
        [G_BS_TEST_TAIL2] = &&L_G_BS_TEST_TAIL2,
        [G_BS_TEST_UNIT] = &&L_G_BS_TEST_UNIT,
        [G_BS_GET_INTEGER2] = &&L_G_BS_GET_INTEGER2,
        [G_BS_GET_BINARY2] = &&L_G_BS_GET_BINARY2,
        [G_BS_GET_FLOAT2] = &&L_G_BS_GET_FLOAT2,
        [G_BS_SKIP_BITS2] = &&L_G_BS_SKIP_BITS2,
        [G_BS_MATCH_STRING] = &&L_G_BS_MATCH_STRING,
        [G_BS_GET_UTF8] = &&L_G_BS_GET_UTF8,
        [G_BS_SKIP_UTF8] = &&L_G_BS_SKIP_UTF8,
        [G_BS_GET_UTF16] = &&L_G_BS_GET_UTF16,
        [G_BS_SKIP_UTF16] = &&L_G_BS_SKIP_UTF16,
        [G_BS_GET_UTF32] = &&L_G_BS_GET_UTF32,
        [G_BS_SKIP_UTF32] = &&L_G_BS_SKIP_UTF32,
        [G_BS_CREATE_BIN] = &&L_G_BS_CREATE_BIN,
        [G_BS_INIT_WRITABLE] = &&L_G_BS_INIT_WRITABLE,
        [G_BS_CONTEXT_TO_BINARY] = &&L_G_BS_CONTEXT_TO_BINARY,
        [OP_X_UNDEF] = &&L_OP_X_UNDEF,
        [G_LINE] = &&L_G_LINE,
        [G_NIF_START] = &&L_G_NIF_START,
        [G_ON_LOAD] = &&L_G_ON_LOAD,
        [G_INT_CODE_END] = &&L_G_INT_CODE_END,
        [OP_X_MOVE_XX] = &&L_OP_X_MOVE_XX,
        [OP_X_MOVE_XY] = &&L_OP_X_MOVE_XY,
        [OP_X_MOVE_YX] = &&L_OP_X_MOVE_YX,
        [OP_X_MOVE_YY] = &&L_OP_X_MOVE_YY,
        [OP_X_MOVE_CX] = &&L_OP_X_MOVE_CX,
        [OP_X_MOVE_CY] = &&L_OP_X_MOVE_CY,
        [OP_X_IS_LT_XC] = &&L_OP_X_IS_LT_XC,
        [OP_X_IS_GE_XC] = &&L_OP_X_IS_GE_XC,
        [OP_X_IS_LT_CX] = &&L_OP_X_IS_LT_CX,
        [OP_X_IS_GE_CX] = &&L_OP_X_IS_GE_CX,
        [OP_X_IS_LT_XX] = &&L_OP_X_IS_LT_XX,
        [OP_X_IS_GE_XX] = &&L_OP_X_IS_GE_XX,
        [OP_X_IS_EQ_EXACT_XC] = &&L_OP_X_IS_EQ_EXACT_XC,
        [OP_X_IS_NE_EXACT_XC] = &&L_OP_X_IS_NE_EXACT_XC,
        [OP_X_ADD_C] = &&L_OP_X_ADD_C,
        [OP_X_SUB_C] = &&L_OP_X_SUB_C,
        [OP_X_GET_TUPLE_ELEMENT_XX] = &&L_OP_X_GET_TUPLE_ELEMENT_XX,
        [OP_X_GET_LIST_XXX] = &&L_OP_X_GET_LIST_XXX,
        [OP_X_PUT_LIST_XXX] = &&L_OP_X_PUT_LIST_XXX,
        [OP_X_MOVE2_CX_CX] = &&L_OP_X_MOVE2_CX_CX,
        [OP_X_MOVE2_XX_CX] = &&L_OP_X_MOVE2_XX_CX,
        [OP_X_MOVE2_XY_XX] = &&L_OP_X_MOVE2_XY_XX,
        [OP_X_MOVE2_XY_CX] = &&L_OP_X_MOVE2_XY_CX,
        [OP_X_MOVE2_XY_XY] = &&L_OP_X_MOVE2_XY_XY,
        [OP_X_MOVE2_YX_YX] = &&L_OP_X_MOVE2_YX_YX,
        [OP_X_MOVE2_XX_YX] = &&L_OP_X_MOVE2_XX_YX,
        [OP_X_IS_LT_XC_RETURN] = &&L_OP_X_IS_LT_XC_RETURN,
        [OP_X_IS_GE_XC_RETURN] = &&L_OP_X_IS_GE_XC_RETURN,
        [OP_X_IS_EQ_EXACT_XC_RETURN] = &&L_OP_X_IS_EQ_EXACT_XC_RETURN,
        [OP_X_IS_NE_EXACT_XC_RETURN] = &&L_OP_X_IS_NE_EXACT_XC_RETURN,
        [OP_X_MOVE_CX_RETURN] = &&L_OP_X_MOVE_CX_RETURN,
        [OP_X_MOVE2_XY_XX_CALL] = &&L_OP_X_MOVE2_XY_XX_CALL,
        [OP_X_TEST_HEAP_PUT_TUPLE2] = &&L_OP_X_TEST_HEAP_PUT_TUPLE2,
        [OP_X_GET_TUPLE_ELEMENT2_XX] = &&L_OP_X_GET_TUPLE_ELEMENT2_XX,
        [OP_X_ADD_C_XX] = &&L_OP_X_ADD_C_XX,
        [OP_X_ADD_C_XY] = &&L_OP_X_ADD_C_XY,
        [OP_X_ADD_C_YX] = &&L_OP_X_ADD_C_YX,
        [OP_X_ADD_C_YY] = &&L_OP_X_ADD_C_YY,
        [OP_X_SUB_C_XX] = &&L_OP_X_SUB_C_XX,
        [OP_X_SUB_C_XY] = &&L_OP_X_SUB_C_XY,
        [OP_X_SUB_C_YX] = &&L_OP_X_SUB_C_YX,
        [OP_X_SUB_C_YY] = &&L_OP_X_SUB_C_YY,
        [OP_X_ADD_XX_X] = &&L_OP_X_ADD_XX_X,
        [OP_X_ADD_YX_X] = &&L_OP_X_ADD_YX_X,
        [OP_X_SUB_XX_X] = &&L_OP_X_SUB_XX_X,
        [OP_X_SUB_YX_X] = &&L_OP_X_SUB_YX_X,
        [OP_X_FADD] = &&L_OP_X_FADD,
        [OP_X_FSUB] = &&L_OP_X_FSUB,
        [OP_X_FMUL] = &&L_OP_X_FMUL,
        [OP_X_FDIV] = &&L_OP_X_FDIV,
        [OP_X_FMOVE_XF] = &&L_OP_X_FMOVE_XF,
        [OP_X_FMOVE_YF] = &&L_OP_X_FMOVE_YF,
        [OP_X_FMOVE_CF] = &&L_OP_X_FMOVE_CF,
        [OP_X_FMOVE_FX] = &&L_OP_X_FMOVE_FX,
        [OP_X_FMOVE_FY] = &&L_OP_X_FMOVE_FY,
        [OP_X_TEST_ARITY_X] = &&L_OP_X_TEST_ARITY_X,
        [OP_X_TRIM_CALL] = &&L_OP_X_TRIM_CALL,
        [OP_X_MOVE2_YX_YY] = &&L_OP_X_MOVE2_YX_YY,
        [OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN] = &&L_OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN,
        [OP_X_TEST_HEAP_PAIR_XX_RETURN] = &&L_OP_X_TEST_HEAP_PAIR_XX_RETURN,
        [OP_X_TEST_HEAP_PAIR_XX_DEALLOC_RETURN] = &&L_OP_X_TEST_HEAP_PAIR_XX_DEALLOC_RETURN,
        [OP_X_TEST_HEAP_PAIR_XY_DEALLOC_RETURN] = &&L_OP_X_TEST_HEAP_PAIR_XY_DEALLOC_RETURN,
        [OP_X_TEST_HEAP_PAIR_YX_DEALLOC_RETURN] = &&L_OP_X_TEST_HEAP_PAIR_YX_DEALLOC_RETURN,
        [OP_X_TEST_HEAP_PAIR_YY_DEALLOC_RETURN] = &&L_OP_X_TEST_HEAP_PAIR_YY_DEALLOC_RETURN,
        [OP_X_FMOVE2_XF_XF] = &&L_OP_X_FMOVE2_XF_XF,
        [OP_X_GET_TUPLE_ELEMENT_YX] = &&L_OP_X_GET_TUPLE_ELEMENT_YX,
        [OP_X_FADD_FADD] = &&L_OP_X_FADD_FADD,
        [OP_X_FADD_FSUB] = &&L_OP_X_FADD_FSUB,
        [OP_X_FADD_FMUL] = &&L_OP_X_FADD_FMUL,
        [OP_X_FADD_FDIV] = &&L_OP_X_FADD_FDIV,
        [OP_X_FSUB_FADD] = &&L_OP_X_FSUB_FADD,
        [OP_X_FSUB_FSUB] = &&L_OP_X_FSUB_FSUB,
        [OP_X_FSUB_FMUL] = &&L_OP_X_FSUB_FMUL,
        [OP_X_FSUB_FDIV] = &&L_OP_X_FSUB_FDIV,
        [OP_X_FMUL_FADD] = &&L_OP_X_FMUL_FADD,
        [OP_X_FMUL_FSUB] = &&L_OP_X_FMUL_FSUB,
        [OP_X_FMUL_FMUL] = &&L_OP_X_FMUL_FMUL,
        [OP_X_FMUL_FDIV] = &&L_OP_X_FMUL_FDIV,
        [OP_X_FDIV_FADD] = &&L_OP_X_FDIV_FADD,
        [OP_X_FDIV_FSUB] = &&L_OP_X_FDIV_FSUB,
        [OP_X_FDIV_FMUL] = &&L_OP_X_FDIV_FMUL,
        [OP_X_FDIV_FDIV] = &&L_OP_X_FDIV_FDIV,
        [OP_X_PUT_LIST_YXX] = &&L_OP_X_PUT_LIST_YXX,
        [OP_X_PUT_LIST_XYX] = &&L_OP_X_PUT_LIST_XYX,
        [OP_X_PUT_LIST_XCX] = &&L_OP_X_PUT_LIST_XCX,
        [OP_X_ADD_YX_X_DEALLOC_RETURN] = &&L_OP_X_ADD_YX_X_DEALLOC_RETURN,
        [OP_X_ADD_C_XX_DEALLOC_RETURN] = &&L_OP_X_ADD_C_XX_DEALLOC_RETURN,
        [OP_X_IS_EQ_EXACT2_XC] = &&L_OP_X_IS_EQ_EXACT2_XC,
        [OP_X_TEST_HEAP_PUT_TUPLE2_RETURN] = &&L_OP_X_TEST_HEAP_PUT_TUPLE2_RETURN,
        [OP_X_TEST_HEAP_PUT_TUPLE2_DEALLOC_RETURN] = &&L_OP_X_TEST_HEAP_PUT_TUPLE2_DEALLOC_RETURN,
        [OP_X_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_TEST_ARITY_GET2_X] = &&L_OP_X_TEST_ARITY_GET2_X,
        [OP_X_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_ADD_C_YX_MOVE2_XY_XX_CALL] = &&L_OP_X_ADD_C_YX_MOVE2_XY_XX_CALL,
        [OP_X_SUB_C_YX_MOVE2_XY_XX_CALL] = &&L_OP_X_SUB_C_YX_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN] = &&L_OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN,
        [OP_X_MOVE2_YX_YY_THEN_TRIM_CALL] = &&L_OP_X_MOVE2_YX_YY_THEN_TRIM_CALL,
        [OP_X_ADD_C_XY_THEN_MOVE2_YX_YY_THEN_TRIM_CALL] = &&L_OP_X_ADD_C_XY_THEN_MOVE2_YX_YY_THEN_TRIM_CALL,
        [OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN] = &&L_OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN,
        [OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_TEST_ARITY_GET2_X_THEN_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_LT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_LT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_LT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_LT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_GE_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_GE_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_GE_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_GE_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_EQ_EXACT_XC_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
        [OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL] = &&L_OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN_ELSE_ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL,
    };
#pragma GCC diagnostic pop
/* threaded dispatch: every handler ends in its own jump through the table */
#define NEXT() do { op = erl_code[pc]; goto *dispatch[op]; } while (0)

#define YIELD_AT(npc, live_) do { \
        p->pc = (npc); p->cp = cp; p->E = E; p->live = (live_); \
        save_x(p, (live_)); p->reds += REDUCTIONS; return; } while (0)
#define FAIL_OR_RAISE(lbl) do { if (lbl) { pc = (lbl); NEXT(); } goto error; } while (0)

    uint64_t op;
    for (;;) {
        op = erl_code[pc];
        switch (op) {
        case G_FUNC_INFO: L_G_FUNC_INFO: {
            /* falling into func_info means no clause matched */
            uint32_t arity = (uint32_t)small_val(W(3));
            Term args = NIL;
            for (uint32_t i = arity; i > 0; i--)
                args = cons(p, xreg[i - 1], args);
            trace_args = args;
            raise(p, AM(error), AM(function_clause));
            pc += 4;        /* the trace names the function itself */
            goto error;
        }
        case G_CALL: L_G_CALL:
            FRAG_GC(W(1));
            cp = pc + 3;
            pc = W(2);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)W(1));
            NEXT();
        case G_CALL_LAST: L_G_CALL_LAST: {
            FRAG_GC(W(1));
            uint64_t n = W(3);
            cp = cp_val(E[0]);
            E += n + 1;
            pc = W(2);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)W(1));
            NEXT();
        }
        case G_CALL_ONLY: L_G_CALL_ONLY:
            FRAG_GC(W(1));
            pc = W(2);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)W(1));
            NEXT();
        case OP_X_CALL_BIF: L_OP_X_CALL_BIF:
        case OP_X_CALL_BIF_LAST: L_OP_X_CALL_BIF_LAST:
        case OP_X_CALL_BIF_ONLY: L_OP_X_CALL_BIF_ONLY: {
            uint64_t bif = W(2);
            p->E = E;
            bif_caller_pc = pc; bif_caller_cp = cp;     /* process_info current_stacktrace */
            Term r = bif_table[bif](p, xreg);
            E = p->E;
            uint64_t after = pc + (op == OP_X_CALL_BIF_LAST ? 4 : 3);
            if (r == NONV) {
                if (p->state == P_EXITING)
                    goto exit_now;
                pc = after - 1;
                if (p->fclass == AM(error) && !keep_trace)
                    trace_bif_frame(p, bif, xreg, bif_names[bif].arity, 0);   /* lines.c */
                goto error;
            }
            if (r == TRAP) {
                /* the BIF set trap_pc and the argument registers: call there */
                if (trap_pc == 0) {
                    /* erlang:yield/0: return true, then let others run */
                    xreg[0] = AM(true);
                    if (op == OP_X_CALL_BIF_LAST) {
                        cp = cp_val(E[0]);
                        E += W(3) + 1;
                    }
                    YIELD_AT(op == OP_X_CALL_BIF ? after : cp, 1);
                }
                if (op == OP_X_CALL_BIF) {
                    cp = after;
                } else if (op == OP_X_CALL_BIF_LAST) {
                    cp = cp_val(E[0]);
                    E += W(3) + 1;
                }
                pc = trap_pc;
                if (--reds <= 0)
                    YIELD_AT(pc, trap_arity);
                NEXT();
            }
            xreg[0] = r;
            if (op == OP_X_CALL_BIF) {
                pc = after;
            } else {
                if (op == OP_X_CALL_BIF_LAST) {
                    cp = cp_val(E[0]);
                    E += W(3) + 1;
                }
                pc = cp;
            }
            if (--reds <= 0)
                YIELD_AT(pc, 1);
            NEXT();
        }
        /* gc_bif2 arithmetic (Fail Live A B Dst), one handler per operator so each
         * has its own dispatch jump; small integers inline, the rest in arith.c */
#define ARITH(NAME, FAST, SLOW) \
        case OP_X_##NAME: L_OP_X_##NAME: { \
            Term a = SRC(W(3)), b = SRC(W(4)), r = NONV; \
            if (is_small(a) && is_small(b)) { \
                SInt x = small_val(a), y = small_val(b), z; \
                (void)z; (void)x; (void)y; \
                FAST; \
            } \
            if (r == NONV) { \
                p->E = E; \
                r = SLOW(p, a, b); \
                if (r == NONV) \
                    goto arith_fail; \
            } \
            DST(W(5)) = r; \
            pc += 6; \
            NEXT(); \
        }
        ARITH(ADD, if (!__builtin_add_overflow((SInt)a, (SInt)(b - T_SMALL), &z)) r = (Term)z, arith_add)
        ARITH(SUB, if (!__builtin_sub_overflow((SInt)a, (SInt)(b - T_SMALL), &z)) r = (Term)z, arith_sub)
        ARITH(MUL, if (!__builtin_mul_overflow(x, y, &z) && fits_small(z)) r = make_small(z), arith_mul)
        ARITH(BAND, r = a & b, arith_band)
        ARITH(BOR, r = a | b, arith_bor)
        ARITH(BSR, if (y >= 0 && y < 64) r = make_small(x >> y), arith_bsr)
        ARITH(BSL, , arith_bsl)
        ARITH(REM, if (y != 0) r = make_small(x % y), arith_rem)
        ARITH(IDIV, if (y != 0 && !(x == MIN_SMALL && y == -1)) r = make_small(x / y), arith_intdiv)
#undef ARITH
        /* A + C / A - C with C a small constant: tagged arithmetic, the 64-bit
         * overflow flag is exactly the 61-bit small-integer overflow */
        case OP_X_ADD_C: L_OP_X_ADD_C: {
            Term a = SRC(W(3));
            SInt z;
            if (is_small(a) && !__builtin_add_overflow((SInt)a, (SInt)(W(4) - T_SMALL), &z)) {
                DST(W(5)) = (Term)z;
                pc += 6;
                NEXT();
            }
            p->E = E;
            Term r = arith_add(p, a, W(4));
            if (r == NONV)
                goto arith_fail;
            DST(W(5)) = r;
            pc += 6;
            NEXT();
        }
        case OP_X_SUB_C: L_OP_X_SUB_C: {
            Term a = SRC(W(3));
            SInt z;
            if (is_small(a) && !__builtin_sub_overflow((SInt)a, (SInt)(W(4) - T_SMALL), &z)) {
                DST(W(5)) = (Term)z;
                pc += 6;
                NEXT();
            }
            p->E = E;
            Term r = arith_sub(p, a, W(4));
            if (r == NONV)
                goto arith_fail;
            DST(W(5)) = r;
            pc += 6;
            NEXT();
        }
        /* the same with registers as raw indexes (ops.h): no operand tag tests */
#define R_X(w) xreg[w]
#define R_Y(w) E[w]
#define ARITH_C(NAME, OVF, SLOW, S, D) \
        case OP_X_##NAME##_C_##S##D: L_OP_X_##NAME##_C_##S##D: { \
            Term a = R_##S(W(3)); \
            SInt z; \
            if (__builtin_expect(is_small(a) && !OVF((SInt)a, (SInt)(W(4) - T_SMALL), &z), 1)) { \
                R_##D(W(5)) = (Term)z; \
                pc += 6; \
                NEXT(); \
            } \
            p->E = E; \
            Term r = SLOW(p, a, W(4)); \
            if (r == NONV) \
                goto arith_fail_raw; \
            R_##D(W(5)) = r; \
            pc += 6; \
            NEXT(); \
        }
        ARITH_C(ADD, __builtin_add_overflow, arith_add, X, X)
        ARITH_C(ADD, __builtin_add_overflow, arith_add, X, Y)
        ARITH_C(ADD, __builtin_add_overflow, arith_add, Y, X)
        ARITH_C(ADD, __builtin_add_overflow, arith_add, Y, Y)
        ARITH_C(SUB, __builtin_sub_overflow, arith_sub, X, X)
        ARITH_C(SUB, __builtin_sub_overflow, arith_sub, X, Y)
        ARITH_C(SUB, __builtin_sub_overflow, arith_sub, Y, X)
        ARITH_C(SUB, __builtin_sub_overflow, arith_sub, Y, Y)
        /* … followed by a call prologue (f(N) -> … g(N - 1) …): the words are the
           two instructions', so the slow path is the first instruction's own */
#define ARITH_C_THEN(NAME, OVF, S, NEXTOP) \
        case OP_X_##NAME##_C_##S##X_##NEXTOP: L_OP_X_##NAME##_C_##S##X_##NEXTOP: { \
            Term a = R_##S(W(3)); \
            SInt z; \
            if (__builtin_expect(!is_small(a) || OVF((SInt)a, (SInt)(W(4) - T_SMALL), &z), 0)) \
                goto L_OP_X_##NAME##_C_##S##X; \
            xreg[W(5)] = (Term)z; \
            pc += 6; \
            goto L_OP_X_##NEXTOP; \
        }
        ARITH_C_THEN(ADD, __builtin_add_overflow, X, ALLOCATE_MOVE2_XY_XX_CALL)
        ARITH_C_THEN(SUB, __builtin_sub_overflow, X, ALLOCATE_MOVE2_XY_XX_CALL)
        ARITH_C_THEN(ADD, __builtin_add_overflow, Y, MOVE2_XY_XX_CALL)
        ARITH_C_THEN(SUB, __builtin_sub_overflow, Y, MOVE2_XY_XX_CALL)
#undef ARITH_C_THEN
#undef ARITH_C
#define ARITH_RX(NAME, OVF, SLOW, S) \
        case OP_X_##NAME##_##S##X_X: L_OP_X_##NAME##_##S##X_X: { \
            Term a = R_##S(W(3)), b = xreg[W(4)]; \
            SInt z; \
            if (__builtin_expect(is_small(a) && is_small(b) && \
                                 !OVF((SInt)a, (SInt)(b - T_SMALL), &z), 1)) { \
                xreg[W(5)] = (Term)z; \
                pc += 6; \
                NEXT(); \
            } \
            p->E = E; \
            Term r = SLOW(p, a, b); \
            if (r == NONV) \
                goto arith_fail_raw; \
            xreg[W(5)] = r; \
            pc += 6; \
            NEXT(); \
        }
        ARITH_RX(ADD, __builtin_add_overflow, arith_add, X)
        ARITH_RX(ADD, __builtin_add_overflow, arith_add, Y)
        ARITH_RX(SUB, __builtin_sub_overflow, arith_sub, X)
        ARITH_RX(SUB, __builtin_sub_overflow, arith_sub, Y)
#undef ARITH_RX
        /* … and the deallocate + return after it (a body-recursive sum) */
#define ARITH_RET(NAME, A, B, BSMALL, SLOWB) \
        case OP_X_##NAME##_DEALLOC_RETURN: L_OP_X_##NAME##_DEALLOC_RETURN: { \
            Term a = A, b = B, r; \
            SInt z; \
            if (__builtin_expect(is_small(a) && BSMALL && \
                                 !__builtin_add_overflow((SInt)a, (SInt)(b - T_SMALL), &z), 1)) { \
                r = (Term)z; \
            } else { \
                p->E = E; \
                r = arith_add(p, a, SLOWB); \
                if (r == NONV) \
                    goto arith_fail_raw; \
            } \
            xreg[W(5)] = r; \
            cp = cp_val(E[0]); \
            E += W(6) + 1; \
            pc = cp; \
            NEXT(); \
        }
        ARITH_RET(ADD_YX_X, E[W(3)], xreg[W(4)], is_small(b), b)
        ARITH_RET(ADD_C_XX, xreg[W(3)], W(4), 1, b)
#undef ARITH_RET
#undef R_X
#undef R_Y
        arith_fail_raw:
            /* register operands: erl reports + and - of them without a BIF frame */
            if (W(1)) {
                pc = W(1);
                NEXT();
            }
            pc += 5;
            goto error;
        arith_fail:
            if (W(1)) {
                pc = W(1);
                NEXT();
            }
            trace_arith_frame(p, op, W(3), W(4), SRC(W(3)), SRC(W(4)));   /* lines.c */
            pc += 5;
            goto error;
        case G_BIF0: L_G_BIF0: {
            Term r = bif_table[W(1)](p, xreg);
            DST(W(2)) = r;
            pc += 3;
            NEXT();
        }
        case G_BIF1: L_G_BIF1: case G_BIF2: L_G_BIF2: case G_GC_BIF1: L_G_GC_BIF1: case G_GC_BIF2: L_G_GC_BIF2: case G_GC_BIF3: L_G_GC_BIF3: {
            int gcb = op >= G_GC_BIF1;
            if (gcb)
                FRAG_GC(W(2));
            int n = op == G_BIF1 || op == G_GC_BIF1 ? 1 : op == G_BIF2 || op == G_GC_BIF2 ? 2 : 3;   /* G_GC_BIF3 is 152 */
            uint64_t base = pc + 2 + gcb;     /* the bif word */
            Term args[3];
            for (int i = 0; i < n; i++)
                args[i] = SRC(erl_code[base + 1 + i]);
            p->E = E;
            Term r = bif_table[erl_code[base]](p, args);
            uint64_t fail = W(1);
            if (r == NONV) {
                if (fail) {
                    pc = fail;
                    NEXT();
                }
                pc = base + 1 + n;
                trace_args = NONV;
                trace_bif_frame(p, erl_code[base], args, n, 1);
                goto error;
            }
            DST(erl_code[base + 1 + n]) = r;
            pc = base + 2 + n;
            NEXT();
        }
        case G_ALLOCATE: L_G_ALLOCATE: case G_ALLOCATE_ZERO: L_G_ALLOCATE_ZERO: {
            uint64_t n = W(1);
            if ((size_t)(E - p->stack_lo) < n + 1) {
                p->E = E; stack_grow(p, n + 1); E = p->E;
            }
            E -= n + 1;
            E[0] = make_cp(cp);
            for (uint64_t i = 1; i <= n; i++)
                E[i] = NIL;
            pc += 3;
            NEXT();
        }
        case G_ALLOCATE_HEAP: L_G_ALLOCATE_HEAP: case G_ALLOCATE_HEAP_ZERO: L_G_ALLOCATE_HEAP_ZERO: {
            uint64_t n = W(1);
            if ((size_t)(E - p->stack_lo) < n + 1) {
                p->E = E; stack_grow(p, n + 1); E = p->E;
            }
            E -= n + 1;
            E[0] = make_cp(cp);
            for (uint64_t i = 1; i <= n; i++)
                E[i] = NIL;
            GC_CHECK(W(2), W(3));
            pc += 4;
            NEXT();
        }
        case G_TEST_HEAP: L_G_TEST_HEAP:
            GC_CHECK(W(1), W(2));
            pc += 3;
            NEXT();
        case G_INIT: L_G_INIT:
            DST(W(1)) = NIL;
            pc += 2;
            NEXT();
        case G_INIT_YREGS: L_G_INIT_YREGS: {
            uint64_t n = W(1);
            for (uint64_t i = 0; i < n; i++)
                DST(W(2 + i)) = NIL;
            pc += 2 + n;
            NEXT();
        }
        case G_DEALLOCATE: L_G_DEALLOCATE:
            cp = cp_val(E[0]);
            E += W(1) + 1;
            pc += 2;
            NEXT();
        case G_RETURN: L_G_RETURN:
            pc = cp;
            NEXT();
        case OP_X_DEALLOC_RETURN: L_OP_X_DEALLOC_RETURN:
            cp = cp_val(E[0]);
            E += W(1) + 1;
            pc = cp;
            NEXT();
        case OP_X_EXIT: L_OP_X_EXIT:
            goto proc_done;
        case G_TRIM: L_G_TRIM: {
            uint64_t n = W(1);
            Term c = E[0];
            E += n;
            E[0] = c;
            pc += 3;
            NEXT();
        }
        case OP_X_TRIM_CALL: L_OP_X_TRIM_CALL: {
            /* trim N Remaining, then call Arity Label */
            Term c = E[0];
            E += W(1);
            E[0] = c;
            uint64_t arity = W(3);
            FRAG_GC(arity);
            cp = pc + 5;
            pc = W(4);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)arity);
            NEXT();
        }
        case G_MOVE: L_G_MOVE:
            DST(W(2)) = SRC(W(1));
            pc += 3;
            NEXT();
        /* operand-specialised forms (ops.h): raw register indexes, no tag tests */
        case OP_X_MOVE_XX: L_OP_X_MOVE_XX: xreg[W(2)] = xreg[W(1)]; pc += 3; NEXT();
        case OP_X_MOVE_XY: L_OP_X_MOVE_XY: E[W(2)] = xreg[W(1)]; pc += 3; NEXT();
        case OP_X_MOVE_YX: L_OP_X_MOVE_YX: xreg[W(2)] = E[W(1)]; pc += 3; NEXT();
        case OP_X_MOVE_YY: L_OP_X_MOVE_YY: E[W(2)] = E[W(1)]; pc += 3; NEXT();
        case OP_X_MOVE_CX: L_OP_X_MOVE_CX: xreg[W(2)] = W(1); pc += 3; NEXT();
        case OP_X_MOVE_CY: L_OP_X_MOVE_CY: E[W(2)] = W(1); pc += 3; NEXT();
#define MV_SRC_X(w) xreg[w]
#define MV_SRC_Y(w) E[w]
#define MV_SRC_C(w) (w)
#define MV_DST_X(w) xreg[w]
#define MV_DST_Y(w) E[w]
#define MOVE2(S1, D1, S2, D2) \
        case OP_X_MOVE2_##S1##D1##_##S2##D2: L_OP_X_MOVE2_##S1##D1##_##S2##D2: \
            MV_DST_##D1(W(2)) = MV_SRC_##S1(W(1)); \
            MV_DST_##D2(W(4)) = MV_SRC_##S2(W(3)); \
            pc += 5; \
            NEXT();
        MOVE2(C, X, C, X)
        MOVE2(X, X, C, X)
        MOVE2(X, Y, X, X)
        MOVE2(X, Y, C, X)
        MOVE2(X, Y, X, Y)
        MOVE2(Y, X, Y, X)
        MOVE2(X, X, Y, X)
        MOVE2(Y, X, Y, Y)
#undef MOVE2
        case OP_X_GET_TUPLE_ELEMENT_XX: L_OP_X_GET_TUPLE_ELEMENT_XX:
            xreg[W(3)] = tuple_ptr(xreg[W(1)])[W(2)];
            pc += 4;
            NEXT();
        case OP_X_GET_LIST_XXX: L_OP_X_GET_LIST_XXX: {
            Term l = xreg[W(1)];
            Term h = CAR(l), t = CDR(l);
            xreg[W(2)] = h;
            xreg[W(3)] = t;
            pc += 4;
            NEXT();
        }
#define PUT_LIST(H, T) \
        case OP_X_PUT_LIST_##H##T##X: L_OP_X_PUT_LIST_##H##T##X: { \
            Term h = MV_SRC_##H(W(1)), t = MV_SRC_##T(W(2)); \
            xreg[W(3)] = hp_cons(p, h, t); \
            pc += 4; \
            NEXT(); \
        }
        PUT_LIST(Y, X)
        PUT_LIST(X, Y)
        PUT_LIST(X, C)
        PUT_LIST(X, X)
#undef PUT_LIST
#define TEST_CMP(a, b, OP) do { Term _a = (a), _b = (b); \
        if (is_small(_a) && is_small(_b) ? (SInt)_a OP (SInt)_b : term_cmp(_a, _b) OP 0) \
            pc += 4; else pc = W(1); NEXT(); } while (0)
/* against a constant link.py made sure is a small integer: only the register's tag */
#define TEST_CMP_C(a, b, reg, OP) do { Term _a = (a), _b = (b); \
        if (is_small(reg) ? (SInt)_a OP (SInt)_b : term_cmp(_a, _b) OP 0) \
            pc += 4; else pc = W(1); NEXT(); } while (0)
        case OP_X_IS_LT_XC: L_OP_X_IS_LT_XC: TEST_CMP_C(xreg[W(2)], W(3), _a, <);
        case OP_X_IS_GE_XC: L_OP_X_IS_GE_XC: TEST_CMP_C(xreg[W(2)], W(3), _a, >=);
        case OP_X_IS_LT_CX: L_OP_X_IS_LT_CX: TEST_CMP_C(W(2), xreg[W(3)], _b, <);
        case OP_X_IS_GE_CX: L_OP_X_IS_GE_CX: TEST_CMP_C(W(2), xreg[W(3)], _b, >=);
#undef TEST_CMP_C
        case OP_X_IS_LT_XX: L_OP_X_IS_LT_XX: TEST_CMP(xreg[W(2)], xreg[W(3)], <);
        case OP_X_IS_GE_XX: L_OP_X_IS_GE_XX: TEST_CMP(xreg[W(2)], xreg[W(3)], >=);
#undef TEST_CMP
        /* =:= against an immediate (atom, small, []): equal exactly when the words are */
        case OP_X_IS_EQ_EXACT_XC: L_OP_X_IS_EQ_EXACT_XC:
            if (xreg[W(2)] == W(3)) pc += 4; else pc = W(1);
            NEXT();
        case OP_X_IS_EQ_EXACT2_XC: L_OP_X_IS_EQ_EXACT2_XC:
            if (xreg[W(2)] != W(3)) pc = W(1);
            else if (xreg[W(5)] != W(6)) pc = W(4);
            else pc += 7;
            NEXT();
        case OP_X_IS_NE_EXACT_XC: L_OP_X_IS_NE_EXACT_XC:
            if (xreg[W(2)] != W(3)) pc += 4; else pc = W(1);
            NEXT();
        /* superinstructions (ops.h): a test and the return after it */
#define TEST_CMP_RET(a, b, OP) do { Term _a = (a), _b = (b); \
        if (is_small(_a) ? (SInt)_a OP (SInt)_b : term_cmp(_a, _b) OP 0) /* _b: a small */ \
            pc = cp; else pc = W(1); NEXT(); } while (0)
        case OP_X_IS_LT_XC_RETURN: L_OP_X_IS_LT_XC_RETURN: TEST_CMP_RET(xreg[W(2)], W(3), <);
        case OP_X_IS_GE_XC_RETURN: L_OP_X_IS_GE_XC_RETURN: TEST_CMP_RET(xreg[W(2)], W(3), >=);
#undef TEST_CMP_RET
        case OP_X_IS_EQ_EXACT_XC_RETURN: L_OP_X_IS_EQ_EXACT_XC_RETURN:
            if (xreg[W(2)] == W(3)) pc = cp; else pc = W(1);
            NEXT();
        case OP_X_IS_NE_EXACT_XC_RETURN: L_OP_X_IS_NE_EXACT_XC_RETURN:
            if (xreg[W(2)] != W(3)) pc = cp; else pc = W(1);
            NEXT();
        /* a clause matching a literal and returning one: f(0) -> 1; */
        case OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN: L_OP_X_IS_EQ_EXACT_XC_MOVE_CX_RETURN:
            if (xreg[W(2)] != W(3)) {
                pc = W(1);
                NEXT();
            }
            xreg[W(5)] = W(4);
            pc = cp;
            NEXT();
        case OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN: L_OP_X_IS_EQ_EXACT2_XC_MOVE_CX_RETURN:
            if (xreg[W(2)] != W(3)) pc = W(1);
            else if (xreg[W(5)] != W(6)) pc = W(4);
            else {
                xreg[W(8)] = W(7);
                pc = cp;
            }
            NEXT();
        case OP_X_MOVE_CX_RETURN: L_OP_X_MOVE_CX_RETURN:
            xreg[W(2)] = W(1);
            pc = cp;
            NEXT();
        case OP_X_MOVE2_XY_XX_CALL: L_OP_X_MOVE2_XY_XX_CALL:
            E[W(2)] = xreg[W(1)];
            xreg[W(4)] = xreg[W(3)];
            FRAG_GC(W(5));
            cp = pc + 7;
            pc = W(6);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)erl_code[cp - 2]);
            NEXT();
        case OP_X_TEST_HEAP_PUT_TUPLE2: L_OP_X_TEST_HEAP_PUT_TUPLE2: {
            GC_CHECK(W(1), W(2));
            uint64_t n = W(4);
            Term *h = hp_alloc(p, n + 1);
            h[0] = make_header(n, S_TUPLE);
            for (uint64_t i = 0; i < n; i++)
                h[1 + i] = SRC(W(5 + i));
            DST(W(3)) = make_boxed(h);
            pc += 5 + n;
            NEXT();
        }
        /* … and the return after it (a function that ends building a tuple) */
#define TUPLE_RETURN(NAME, DEALLOC) \
        case OP_X_##NAME: L_OP_X_##NAME: { \
            GC_CHECK(W(1), W(2)); \
            uint64_t n = W(4); \
            Term *h = hp_alloc(p, n + 1); \
            h[0] = make_header(n, S_TUPLE); \
            for (uint64_t i = 0; i < n; i++) \
                h[1 + i] = SRC(W(5 + i)); \
            DST(W(3)) = make_boxed(h); \
            if (DEALLOC) { \
                cp = cp_val(E[0]); \
                E += W(5 + n) + 1; \
            } \
            pc = cp; \
            NEXT(); \
        }
        TUPLE_RETURN(TEST_HEAP_PUT_TUPLE2_RETURN, 0)
        TUPLE_RETURN(TEST_HEAP_PUT_TUPLE2_DEALLOC_RETURN, 1)
#undef TUPLE_RETURN
        /* the same for a pair of registers given as raw indexes (x: n, y: n + 1
         * from E), one handler per kind so no operand is decoded */
#define PR_X(w) xreg[w]
#define PR_Y(w) E[w]
#define PAIR_RETURN(K1, K2, DEALLOC, SUFFIX) \
        case OP_X_TEST_HEAP_PAIR_##K1##K2##SUFFIX: L_OP_X_TEST_HEAP_PAIR_##K1##K2##SUFFIX: { \
            GC_CHECK(W(1), W(2)); \
            Term *h = hp_alloc(p, 3); \
            h[0] = make_header(2, S_TUPLE); \
            h[1] = PR_##K1(W(4)); \
            h[2] = PR_##K2(W(5)); \
            xreg[W(3)] = make_boxed(h); \
            if (DEALLOC) { \
                cp = cp_val(E[0]); \
                E += W(6) + 1; \
            } \
            pc = cp; \
            NEXT(); \
        }
        PAIR_RETURN(X, X, 0, _RETURN)
        PAIR_RETURN(X, X, 1, _DEALLOC_RETURN)
        PAIR_RETURN(X, Y, 1, _DEALLOC_RETURN)
        PAIR_RETURN(Y, X, 1, _DEALLOC_RETURN)
        PAIR_RETURN(Y, Y, 1, _DEALLOC_RETURN)
#undef PAIR_RETURN
#undef PR_X
#undef PR_Y
        /* allocate, save an argument, set up the next, call: a body call's prologue */
        case OP_X_ALLOCATE_MOVE2_XY_XX_CALL: L_OP_X_ALLOCATE_MOVE2_XY_XX_CALL: {
            uint64_t n = W(1);
            if ((size_t)(E - p->stack_lo) < n + 1) {
                p->E = E; stack_grow(p, n + 1); E = p->E;
            }
            E -= n + 1;
            E[0] = make_cp(cp);
            for (uint64_t m = W(2); m != 0; m &= m - 1)
                E[__builtin_ctzll(m)] = NIL;
            E[W(4)] = xreg[W(3)];
            xreg[W(6)] = xreg[W(5)];
            uint64_t arity = W(7);
            FRAG_GC(arity);
            cp = pc + 9;
            pc = W(8);
            if (--reds <= 0)
                YIELD_AT(pc, (uint32_t)arity);
            NEXT();
        }
        case OP_X_GET_TUPLE_ELEMENT2_XX: L_OP_X_GET_TUPLE_ELEMENT2_XX: {
            const Term *t = tuple_ptr(xreg[W(1)]);
            Term a = t[W(2)], b = t[W(4)];
            xreg[W(3)] = a;
            xreg[W(5)] = b;
            pc += 6;
            NEXT();
        }
        case G_SWAP: L_G_SWAP: {
            Term a = SRC(W(1)), b = SRC(W(2));
            DST(W(1)) = b;
            DST(W(2)) = a;
            pc += 3;
            NEXT();
        }
        case G_GET_LIST: L_G_GET_LIST: {
            Term l = SRC(W(1));
            DST(W(2)) = CAR(l);
            DST(W(3)) = CDR(l);
            pc += 4;
            NEXT();
        }
        case G_GET_HD: L_G_GET_HD:
            DST(W(2)) = CAR(SRC(W(1)));
            pc += 3;
            NEXT();
        case G_GET_TL: L_G_GET_TL:
            DST(W(2)) = CDR(SRC(W(1)));
            pc += 3;
            NEXT();
        case OP_X_GET_TUPLE_ELEMENT_YX: L_OP_X_GET_TUPLE_ELEMENT_YX:
            xreg[W(3)] = tuple_ptr(E[W(1)])[W(2)];
            pc += 4;
            NEXT();
        case G_GET_TUPLE_ELEMENT: L_G_GET_TUPLE_ELEMENT:
            DST(W(3)) = tuple_ptr(SRC(W(1)))[W(2)];
            pc += 4;
            NEXT();
        case G_SET_TUPLE_ELEMENT: L_G_SET_TUPLE_ELEMENT:
            tuple_ptr(SRC(W(2)))[W(3)] = SRC(W(1));
            pc += 4;
            NEXT();
        case G_PUT_LIST: L_G_PUT_LIST: {
            Term h = SRC(W(1)), t = SRC(W(2));
            DST(W(3)) = hp_cons(p, h, t);
            pc += 4;
            NEXT();
        }
        case G_PUT_TUPLE2: L_G_PUT_TUPLE2: {
            uint64_t n = W(2);
            Term *h = hp_alloc(p, n + 1);
            h[0] = make_header(n, S_TUPLE);
            for (uint64_t i = 0; i < n; i++)
                h[1 + i] = SRC(W(3 + i));
            DST(W(1)) = make_boxed(h);
            pc += 3 + n;
            NEXT();
        }
        case G_JUMP: L_G_JUMP:
            pc = W(1);
            NEXT();
        /* ---- tests: Fail label first ---- */
#define TEST(cond) do { if (cond) pc += 3; else pc = W(1); } while (0)
        case G_IS_INTEGER: L_G_IS_INTEGER: TEST(is_integer(SRC(W(2)))); NEXT();
        case G_IS_FLOAT: L_G_IS_FLOAT: TEST(is_float(SRC(W(2)))); NEXT();
        case G_IS_NUMBER: L_G_IS_NUMBER: TEST(is_number(SRC(W(2)))); NEXT();
        case G_IS_ATOM: L_G_IS_ATOM: TEST(is_atom(SRC(W(2)))); NEXT();
        case G_IS_PID: L_G_IS_PID: TEST(is_pid(SRC(W(2)))); NEXT();
        case G_IS_REFERENCE: L_G_IS_REFERENCE: TEST(is_ref(SRC(W(2)))); NEXT();
        case G_IS_PORT: L_G_IS_PORT: TEST(0); NEXT();
        case G_IS_NIL: L_G_IS_NIL: TEST(is_nil(SRC(W(2)))); NEXT();
        case G_IS_BINARY: L_G_IS_BINARY: {
            Term t = SRC(W(2));
            TEST(is_bitstring(t) && bits_size(t) % 8 == 0);
            NEXT();
        }
        case G_IS_BITSTR: L_G_IS_BITSTR: TEST(is_bitstring(SRC(W(2)))); NEXT();
        case G_IS_LIST: L_G_IS_LIST: TEST(is_list(SRC(W(2)))); NEXT();
        case G_IS_NONEMPTY_LIST: L_G_IS_NONEMPTY_LIST: TEST(is_cons(SRC(W(2)))); NEXT();
        case G_IS_TUPLE: L_G_IS_TUPLE: TEST(is_tuple(SRC(W(2)))); NEXT();
        case G_IS_MAP: L_G_IS_MAP: TEST(is_map(SRC(W(2)))); NEXT();
        case G_IS_FUNCTION: L_G_IS_FUNCTION: TEST(is_fun(SRC(W(2)))); NEXT();
        case G_IS_BOOLEAN: L_G_IS_BOOLEAN: {
            Term t = SRC(W(2));
            TEST(t == AM(true) || t == AM(false));
            NEXT();
        }
#undef TEST
#define TEST2(cond) do { if (cond) pc += 4; else pc = W(1); } while (0)
        case G_IS_LT: L_G_IS_LT: {
            Term a = SRC(W(2)), b = SRC(W(3));
            if (is_small(a) && is_small(b))
                TEST2((SInt)a < (SInt)b);
            else
                TEST2(term_cmp(a, b) < 0);
            NEXT();
        }
        case G_IS_GE: L_G_IS_GE: {
            Term a = SRC(W(2)), b = SRC(W(3));
            if (is_small(a) && is_small(b))
                TEST2((SInt)a >= (SInt)b);
            else
                TEST2(term_cmp(a, b) >= 0);
            NEXT();
        }
        case G_IS_EQ: L_G_IS_EQ: TEST2(term_eq(SRC(W(2)), SRC(W(3)))); NEXT();
        case G_IS_NE: L_G_IS_NE: TEST2(!term_eq(SRC(W(2)), SRC(W(3)))); NEXT();
        case G_IS_EQ_EXACT: L_G_IS_EQ_EXACT: {
            Term a = SRC(W(2)), b = SRC(W(3));
            TEST2(a == b || ((is_boxed(a) || is_cons(a)) && term_eq_exact(a, b)));
            NEXT();
        }
        case G_IS_NE_EXACT: L_G_IS_NE_EXACT: {
            Term a = SRC(W(2)), b = SRC(W(3));
            TEST2(!(a == b || ((is_boxed(a) || is_cons(a)) && term_eq_exact(a, b))));
            NEXT();
        }
        case G_IS_FUNCTION2: L_G_IS_FUNCTION2: {
            Term f = SRC(W(2)), a = SRC(W(3));
            int ok = 0;
            if (is_small(a) && is_box_of(f, S_FUN)) {
                const struct erl_fun *fe = &erl_funs[small_val(box_ptr(f)[1])];
                ok = (SInt)(fe->arity - fe->nfree) == small_val(a);
            } else if (is_small(a) && is_box_of(f, S_EXPORT)) {
                ok = box_ptr(f)[3] == a;
            }
            TEST2(ok);
            NEXT();
        }
        case OP_X_TEST_ARITY_X: L_OP_X_TEST_ARITY_X: {
            Term t = xreg[W(2)];
            if (is_boxed(t) && box_ptr(t)[0] == W(3)) pc += 4; else pc = W(1);
            NEXT();
        }
        /* a clause head matching a tuple: f({A, B}) -> (test_arity + two get_tuple_element) */
        case OP_X_TEST_ARITY_GET2_X: L_OP_X_TEST_ARITY_GET2_X: {
            Term t = xreg[W(2)];
            if (!is_boxed(t) || box_ptr(t)[0] != W(3)) {
                pc = W(1);
                NEXT();
            }
            const Term *e = tuple_ptr(t);
            Term a = e[W(4)], b = e[W(6)];
            xreg[W(5)] = a;
            xreg[W(7)] = b;
            pc += 8;
            NEXT();
        }
        case G_TEST_ARITY: L_G_TEST_ARITY: {
            Term t = SRC(W(2));
            TEST2(is_tuple(t) && tuple_size(t) == W(3));
            NEXT();
        }
#undef TEST2
        case G_IS_TAGGED_TUPLE: L_G_IS_TAGGED_TUPLE: {
            Term t = SRC(W(2));
            if (is_tuple(t) && tuple_size(t) == W(3) && tuple_ptr(t)[0] == W(4))
                pc += 5;
            else
                pc = W(1);
            NEXT();
        }
        case G_SELECT_VAL: L_G_SELECT_VAL: {
            Term v = SRC(W(1));
            uint64_t lbl;
            if (select_val(v, &erl_code[pc + 4], W(3), &lbl))
                pc = lbl;
            else
                pc = W(2);
            NEXT();
        }
        case G_SELECT_TUPLE_ARITY: L_G_SELECT_TUPLE_ARITY: {
            Term v = SRC(W(1));
            uint64_t lbl = W(2), n = W(3);
            if (is_tuple(v)) {
                for (uint64_t i = 0; i < n; i += 2) {
                    if (erl_code[pc + 4 + i] == make_small((SInt)tuple_size(v)) ||
                        erl_code[pc + 4 + i] == tuple_size(v)) {
                        lbl = erl_code[pc + 5 + i];
                        break;
                    }
                }
            }
            pc = lbl;
            NEXT();
        }
        /* ---- errors ---- */
        case G_BADMATCH: L_G_BADMATCH:
            raise(p, AM(error), mk_tuple2(p, AM(badmatch), SRC(W(1))));
            pc += 1;
            goto error;
        case G_CASE_END: L_G_CASE_END:
            raise(p, AM(error), mk_tuple2(p, AM(case_clause), SRC(W(1))));
            pc += 1;
            goto error;
        case G_TRY_CASE_END: L_G_TRY_CASE_END:
            raise(p, AM(error), mk_tuple2(p, AM(try_clause), SRC(W(1))));
            pc += 1;
            goto error;
        case G_IF_END: L_G_IF_END:
            raise(p, AM(error), AM(if_clause));
            goto error;
        case G_BADRECORD: L_G_BADRECORD:
            raise(p, AM(error), mk_tuple2(p, AM(badrecord), SRC(W(1))));
            pc += 1;
            goto error;
        /* ---- exceptions ---- */
        case G_CATCH: L_G_CATCH: case G_TRY: L_G_TRY:
            DST(W(1)) = make_catch(W(2));
            pc += 3;
            NEXT();
        case G_CATCH_END: L_G_CATCH_END: {
            DST(W(1)) = NIL;
            if (xreg[0] == NONV) {
                Term cls = xreg[1], reason = xreg[2];
                if (cls == AM(throw)) {
                    xreg[0] = reason;
                } else if (cls == AM(error)) {
                    Term trace = tuple_ptr(xreg[3])[1];
                    xreg[0] = mk_tuple2(p, AM(EXIT), mk_tuple2(p, reason, trace));
                } else {
                    xreg[0] = mk_tuple2(p, AM(EXIT), reason);
                }
            }
            pc += 2;
            NEXT();
        }
        case G_TRY_END: L_G_TRY_END:
            DST(W(1)) = NIL;
            pc += 2;
            NEXT();
        case G_TRY_CASE: L_G_TRY_CASE:
            DST(W(1)) = NIL;
            xreg[0] = xreg[1];
            xreg[1] = xreg[2];
            xreg[2] = xreg[3];
            pc += 2;
            NEXT();
        case G_RAISE: L_G_RAISE: {
            /* raise Stacktrace Value (old form): class comes from the trace */
            Term trace = SRC(W(1)), value = SRC(W(2));
            Term cls = AM(error);
            if (is_tuple(trace) && tuple_size(trace) == 2) {
                cls = tuple_ptr(trace)[0];
                trace = tuple_ptr(trace)[1];
            }
            p->fclass = cls;
            p->freason = value;
            p->ftrace = trace;
            pc += 2;
            goto error_keep_trace;
        }
        case G_RAW_RAISE: L_G_RAW_RAISE: {
            /* x0 class, x1 reason, x2 the raw trace a catch handed over */
            Term cls = xreg[0], trace = xreg[2];
            if (cls != AM(error) && cls != AM(exit) && cls != AM(throw)) {
                raise(p, AM(error), AM(badarg));
                goto error;
            }
            if (is_tuple(trace) && tuple_size(trace) == 2)
                trace = tuple_ptr(trace)[1];
            p->fclass = cls;
            p->freason = xreg[1];
            p->ftrace = trace;
            pc += 1;
            goto error_keep_trace;
        }
        case G_BUILD_STACKTRACE: L_G_BUILD_STACKTRACE:
            /* the raw trace a catch hands over is {Class, Trace} (see `error:` below) */
            if (is_tuple(xreg[0]) && tuple_size(xreg[0]) == 2)
                xreg[0] = tuple_ptr(xreg[0])[1];
            pc += 1;
            NEXT();
        /* ---- funs and apply ---- */
        case G_MAKE_FUN3: L_G_MAKE_FUN3: {
            uint64_t fi = W(1), n = W(3);
            Term *f = halloc(p, 2 + n);
            f[0] = make_header(1 + n, S_FUN);
            f[1] = make_small((SInt)fi);
            for (uint64_t i = 0; i < n; i++)
                f[2 + i] = SRC(W(4 + i));
            DST(W(2)) = make_boxed(f);
            pc += 4 + n;
            NEXT();
        }
        case G_CALL_FUN: L_G_CALL_FUN: case G_CALL_FUN2: L_G_CALL_FUN2: {
            uint32_t arity;
            Term fun;
            uint64_t after;
            if (op == G_CALL_FUN) {
                arity = (uint32_t)W(1);
                FRAG_GC(arity + 1);
                fun = xreg[arity];
                after = pc + 2;
            } else {
                arity = (uint32_t)W(2);
                Term fw = W(3);
                FRAG_GC(IMM2(fw) == I_XREG && (fw >> 6) >= arity ? (fw >> 6) + 1 : arity);
                fun = SRC(W(3));
                after = pc + 4;
            }
            int bif;
            uint64_t t = fun_target(p, fun, arity, &bif);
            if (t == 0) {
                pc = after - 1;
                goto error;
            }
            if (bif >= 0) {
                p->E = E; bif_caller_pc = pc; bif_caller_cp = cp;
                Term r = bif_table[bif](p, xreg);
                if (r == NONV) {
                    pc = after - 1;
                    goto error;
                }
                if (r == TRAP) {
                    cp = after;
                    pc = trap_pc;
                    NEXT();
                }
                xreg[0] = r;
                pc = after;
                NEXT();
            }
            cp = after;
            pc = t;
            if (--reds <= 0)
                YIELD_AT(pc, arity + 64);
            NEXT();
        }
        case G_APPLY: L_G_APPLY: case G_APPLY_LAST: L_G_APPLY_LAST: {
            uint32_t arity = (uint32_t)W(1);
            Term m = xreg[arity], f = xreg[arity + 1];
            int bif;
            uint64_t after = pc + (op == G_APPLY ? 2 : 3);
            uint64_t t = apply_target(p, m, f, arity, &bif);
            if (t == 0) {
                pc = after - 1;
                goto error;
            }
            if (op == G_APPLY_LAST) {
                cp = cp_val(E[0]);
                E += W(2) + 1;
                after = cp;
            }
            if (bif >= 0) {
                p->E = E; bif_caller_pc = pc; bif_caller_cp = cp;
                Term r = bif_table[bif](p, xreg);
                if (r == NONV)
                    goto error;
                if (r == TRAP) {
                    cp = after;
                    pc = trap_pc;
                    NEXT();
                }
                xreg[0] = r;
                pc = after;
                NEXT();
            }
            cp = after;
            pc = t;
            if (--reds <= 0)
                YIELD_AT(pc, arity);
            NEXT();
        }
        /* ---- messages ---- */
        case G_SEND: L_G_SEND: {
            p->E = E;
            if (!send_message(p, xreg[0], xreg[1])) {
                trace_erlang_frame(p, "send", xreg, 2);     /* erl: {erlang, send, [To, Msg], …} */
                raise(p, AM(error), AM(badarg));
                goto error;
            }
            if (p->state == P_EXITING)
                goto exit_now;
            xreg[0] = xreg[1];
            pc += 1;
            NEXT();
        }
        case G_LOOP_REC: L_G_LOOP_REC: {
            Msg *m = *p->mq_cursor;
            if (m == NULL) {
                pc = W(1);
                NEXT();
            }
            DST(W(2)) = m->term;
            pc += 3;
            NEXT();
        }
        case G_LOOP_REC_END: L_G_LOOP_REC_END:
            p->mq_cursor = &(*p->mq_cursor)->next;
            pc = W(1);
            NEXT();
        case G_REMOVE_MESSAGE: L_G_REMOVE_MESSAGE: {
            Msg *m = *p->mq_cursor;
            *p->mq_cursor = m->next;
            if (p->mq_tail == &m->next)
                p->mq_tail = p->mq_cursor;
            free(m);
            p->mq_len--;
            p->mq_cursor = &p->mq_head;
            p->timer_set = 0;
            p->timed_out = 0;
            pc += 1;
            NEXT();
        }
        case G_TIMEOUT: L_G_TIMEOUT:
            p->mq_cursor = &p->mq_head;
            p->timer_set = 0;
            p->timed_out = 0;
            pc += 1;
            NEXT();
        case G_WAIT: L_G_WAIT:
            p->pc = W(1);
            p->wait_pc = 0;
            goto wait_now;
        case G_WAIT_TIMEOUT: L_G_WAIT_TIMEOUT: {
            Term t = SRC(W(2));
            if (p->timed_out) {
                p->timed_out = 0;
                pc += 3;
                NEXT();
            }
            /* woken by a message that did not match: the timer runs on; the
             * timeout's register may no longer hold it (receive after T) */
            if (p->timer_set) {
                p->pc = W(1);
                p->wait_pc = p->deadline_ns == UINT64_MAX ? 0 : pc + 3;
                goto wait_now;
            }
            if (t == AM(infinity)) {
                p->timer_set = 1;
                p->deadline_ns = UINT64_MAX;    /* never fires */
                p->pc = W(1);
                p->wait_pc = 0;
                goto wait_now;
            }
            SInt ms;
            if (!int_to_int64(t, &ms) || ms < 0) {
                raise(p, AM(error), AM(timeout_value));
                pc += 2;
                goto error;
            }
            if (ms == 0) {
                pc += 3;
                NEXT();
            }
            if (!p->timer_set) {
                p->timer_set = 1;
                p->deadline_ns = now_ns() + (uint64_t)ms * 1000000ULL;
            }
            p->pc = W(1);
            p->wait_pc = pc + 3;
            goto wait_now;
        }
        case G_RECV_MARKER_RESERVE: L_G_RECV_MARKER_RESERVE:
            DST(W(1)) = make_ref(++ref_counter);
            pc += 2;
            NEXT();
        case G_RECV_MARKER_BIND: L_G_RECV_MARKER_BIND: pc += 3; NEXT();
        case G_RECV_MARKER_CLEAR: L_G_RECV_MARKER_CLEAR: pc += 2; NEXT();
        case G_RECV_MARKER_USE: L_G_RECV_MARKER_USE: pc += 2; NEXT();
        /* ---- floats ---- */
        case G_FMOVE: L_G_FMOVE: {
            Term s = W(1), d = W(2);
            /* one side is a float register, the other an x/y register or a literal */
            if (IMM2(s) == I_FREG)
                DST(d) = make_float(p, FR(s));
            else
                FR(d) = float_val(SRC(s));
            pc += 3;
            NEXT();
        }
        case G_FCONV: L_G_FCONV: {
            Term s = SRC(W(1));
            double d;
            if (!to_double(s, &d)) {
                raise(p, AM(error), AM(badarith));
                pc += 2;
                goto error;
            }
            FR(W(2)) = d;
            pc += 3;
            NEXT();
        }
        case G_FADD: L_G_FADD: case G_FSUB: L_G_FSUB: case G_FMUL: L_G_FMUL: case G_FDIV: L_G_FDIV: {
            double a = FR(W(2)), b = FR(W(3)), r;
            r = op == G_FADD ? a + b : op == G_FSUB ? a - b : op == G_FMUL ? a * b : a / b;
            if (!isfinite(r)) {
                raise(p, AM(error), AM(badarith));
                pc += 4;
                goto error;
            }
            FR(W(4)) = r;
            pc += 5;
            NEXT();
        }
        /* the specialised float forms (ops.h): raw float register indexes */
#define FBIN(NAME, OPR) \
        case OP_X_##NAME: L_OP_X_##NAME: { \
            double r = freg[W(2)] OPR freg[W(3)]; \
            if (__builtin_expect(!isfinite(r), 0)) { \
                raise(p, AM(error), AM(badarith)); \
                pc += 4; \
                goto error; \
            } \
            freg[W(4)] = r; \
            pc += 5; \
            NEXT(); \
        }
        FBIN(FADD, +)
        FBIN(FSUB, -)
        FBIN(FMUL, *)
        FBIN(FDIV, /)
#undef FBIN
        /* two float operators in one dispatch (link.py fuses neighbours): the
         * words of both as they were, the second's opcode word unused */
#define FBIN2(N1, O1, N2, O2) \
        case OP_X_##N1##_##N2: L_OP_X_##N1##_##N2: { \
            double r = freg[W(2)] O1 freg[W(3)]; \
            if (__builtin_expect(!isfinite(r), 0)) { \
                raise(p, AM(error), AM(badarith)); \
                pc += 4; \
                goto error; \
            } \
            freg[W(4)] = r; \
            r = freg[W(7)] O2 freg[W(8)]; \
            if (__builtin_expect(!isfinite(r), 0)) { \
                raise(p, AM(error), AM(badarith)); \
                pc += 9; \
                goto error; \
            } \
            freg[W(9)] = r; \
            pc += 10; \
            NEXT(); \
        }
#define FBIN2_ALL(N1, O1) FBIN2(N1, O1, FADD, +) FBIN2(N1, O1, FSUB, -) \
        FBIN2(N1, O1, FMUL, *) FBIN2(N1, O1, FDIV, /)
        FBIN2_ALL(FADD, +)
        FBIN2_ALL(FSUB, -)
        FBIN2_ALL(FMUL, *)
        FBIN2_ALL(FDIV, /)
#undef FBIN2_ALL
#undef FBIN2
        case OP_X_FMOVE2_XF_XF: L_OP_X_FMOVE2_XF_XF:
            freg[W(2)] = float_val(xreg[W(1)]);
            freg[W(5)] = float_val(xreg[W(4)]);
            pc += 6;
            NEXT();
        case OP_X_FMOVE_XF: L_OP_X_FMOVE_XF: freg[W(2)] = float_val(xreg[W(1)]); pc += 3; NEXT();
        case OP_X_FMOVE_YF: L_OP_X_FMOVE_YF: freg[W(2)] = float_val(E[W(1)]); pc += 3; NEXT();
        case OP_X_FMOVE_CF: L_OP_X_FMOVE_CF: {
            union { uint64_t u; double d; } v = {.u = W(1)};
            freg[W(2)] = v.d;
            pc += 3;
            NEXT();
        }
        /* boxed inline: the test_heap/allocate_heap before counted the float */
#define FMOVE_OUT(NAME, DST) \
        case OP_X_##NAME: L_OP_X_##NAME: { \
            union { double d; uint64_t u; } v = {.d = freg[W(1)]}; \
            Term *h = hp_alloc(p, 2); \
            h[0] = make_header(1, S_FLOAT); \
            h[1] = v.u; \
            DST[W(2)] = make_boxed(h); \
            pc += 3; \
            NEXT(); \
        }
        FMOVE_OUT(FMOVE_FX, xreg)
        FMOVE_OUT(FMOVE_FY, E)
#undef FMOVE_OUT
        case G_FNEGATE: L_G_FNEGATE:
            FR(W(3)) = -FR(W(2));
            pc += 4;
            NEXT();
        case G_FCLEARERROR: L_G_FCLEARERROR: pc += 1; NEXT();
        case G_FCHECKERROR: L_G_FCHECKERROR: pc += 2; NEXT();
        /* ---- maps ---- */
        case G_PUT_MAP_ASSOC: L_G_PUT_MAP_ASSOC: case G_PUT_MAP_EXACT: L_G_PUT_MAP_EXACT: {
            FRAG_GC(W(4));
            Term m = SRC(W(2));
            uint64_t n = W(5);
            p->E = E;
            Term r = map_put_many(p, m, &erl_code[pc + 6], n, E, op == G_PUT_MAP_EXACT);
            if (r == NONV)
                FAIL_OR_RAISE(W(1));
            DST(W(3)) = r;
            pc += 6 + n;
            NEXT();
        }
        case G_GET_MAP_ELEMENTS: L_G_GET_MAP_ELEMENTS: {
            Term m = SRC(W(2));
            uint64_t n = W(3);
            int ok = is_map(m);
            for (uint64_t i = 0; ok && i < n; i += 2) {
                Term v = map_get(m, SRC(erl_code[pc + 4 + i]));
                if (v == NONV)
                    ok = 0;
                else
                    DST(erl_code[pc + 5 + i]) = v;
            }
            if (ok)
                pc += 4 + n;
            else
                pc = W(1);
            NEXT();
        }
        case G_HAS_MAP_FIELDS: L_G_HAS_MAP_FIELDS: {
            Term m = SRC(W(2));
            uint64_t n = W(3);
            int ok = is_map(m);
            for (uint64_t i = 0; ok && i < n; i++)
                if (map_get(m, SRC(erl_code[pc + 4 + i])) == NONV)
                    ok = 0;
            if (ok)
                pc += 4 + n;
            else
                pc = W(1);
            NEXT();
        }
        /* ---- binaries ---- */
        case G_BS_START_MATCH3: L_G_BS_START_MATCH3: case G_BS_START_MATCH4: L_G_BS_START_MATCH4: case G_BS_GET_POSITION: L_G_BS_GET_POSITION:
        case G_BS_SET_POSITION: L_G_BS_SET_POSITION: case G_BS_GET_TAIL: L_G_BS_GET_TAIL: case G_BS_TEST_TAIL2: L_G_BS_TEST_TAIL2: case G_BS_TEST_UNIT: L_G_BS_TEST_UNIT:
        case G_BS_GET_INTEGER2: L_G_BS_GET_INTEGER2: case G_BS_GET_BINARY2: L_G_BS_GET_BINARY2: case G_BS_GET_FLOAT2: L_G_BS_GET_FLOAT2:
        case G_BS_SKIP_BITS2: L_G_BS_SKIP_BITS2: case G_BS_MATCH_STRING: L_G_BS_MATCH_STRING: case G_BS_GET_UTF8: L_G_BS_GET_UTF8: case G_BS_SKIP_UTF8: L_G_BS_SKIP_UTF8:
        case G_BS_GET_UTF16: L_G_BS_GET_UTF16: case G_BS_SKIP_UTF16: L_G_BS_SKIP_UTF16: case G_BS_GET_UTF32: L_G_BS_GET_UTF32: case G_BS_SKIP_UTF32: L_G_BS_SKIP_UTF32:
        case G_BS_CREATE_BIN: L_G_BS_CREATE_BIN: case G_BS_INIT_WRITABLE: L_G_BS_INIT_WRITABLE: case G_BS_CONTEXT_TO_BINARY: L_G_BS_CONTEXT_TO_BINARY: {
            uint64_t bpc = pc;      /* a copy: taking pc's address would keep it in memory */
            if (bs_fast(op, &bpc, E)) {     /* the steps of a matching loop, inline */
                pc = bpc;
                NEXT();
            }
            p->E = E;
            int r = bs_op(p, op, &bpc, E);
            pc = bpc;
            E = p->E;
            if (r < 0)
                goto error;
            NEXT();
        }
        case OP_X_UNDEF: L_OP_X_UNDEF: {
            /* a call into code that is not in the image (spawn/3 of a missing function) */
            Term mfa = mk_tuple4(p, xreg[0], xreg[1], xreg[2], NIL);
            raise(p, AM(error), AM(undef));
            p->ftrace = cons(p, mfa, NIL);
            keep_trace = 1;
            goto error;
        }
        case OP_X_CALL_UNDEF: L_OP_X_CALL_UNDEF: {
            /* Module Function Arity: the function is not in the image */
            uint32_t n = (uint32_t)W(3) & 0xffff;
            Term args = NIL;
            for (uint32_t i = n; i > 0; i--)
                args = cons(p, xreg[i - 1], args);
            raise(p, AM(error), AM(undef));
            if (W(3) >> 16) {           /* a tail call: the missing function's frame alone */
                p->ftrace = cons(p, mk_tuple4(p, W(1), W(2), args, NIL), NIL);
                keep_trace = 1;
            } else {                    /* erl: the missing function's frame over the caller's */
                trace_top_frame(mk_tuple4(p, W(1), W(2), args, NIL));
            }
            goto error;
        }
        case G_LINE: L_G_LINE: pc += 2; NEXT();
        case G_NIF_START: L_G_NIF_START: pc += 1; NEXT();
        case G_ON_LOAD: L_G_ON_LOAD: pc += 1; NEXT();
        case G_INT_CODE_END: L_G_INT_CODE_END:
            fatal("ran off the end of the code");
        /* "then" pairs (ops.h): the first instruction's fast path, then a direct
         * jump into the second's handler; a slow path is the first's own handler
         * (after every other handler, so adding pairs moves none of those) */
        case OP_X_MOVE2_YX_YY_THEN_TRIM_CALL: L_OP_X_MOVE2_YX_YY_THEN_TRIM_CALL:
            xreg[W(2)] = E[W(1)];
            E[W(4)] = E[W(3)];
            pc += 5;
            goto L_OP_X_TRIM_CALL;
        case OP_X_ADD_C_XY_THEN_MOVE2_YX_YY_THEN_TRIM_CALL:
        L_OP_X_ADD_C_XY_THEN_MOVE2_YX_YY_THEN_TRIM_CALL: {
            /* 1 + f(L) + f(R): the first sum saved, the second call's set-up */
            Term a = xreg[W(3)];
            SInt z;
            if (__builtin_expect(!is_small(a) ||
                                 __builtin_add_overflow((SInt)a, (SInt)(W(4) - T_SMALL), &z), 0))
                goto L_OP_X_ADD_C_XY;
            E[W(5)] = (Term)z;
            pc += 6;
            goto L_OP_X_MOVE2_YX_YY_THEN_TRIM_CALL;
        }
        /* f({a, b}) -> c; f({L, R}) -> …: the elements are compared as loaded
           (link.py checked the tests read the registers just written) */
#define TEST_ARITY_GET2_THEN(SECOND, TESTS) \
        case OP_X_TEST_ARITY_GET2_X_THEN_##SECOND: L_OP_X_TEST_ARITY_GET2_X_THEN_##SECOND: { \
            Term t = xreg[W(2)]; \
            if (!is_boxed(t) || box_ptr(t)[0] != W(3)) { \
                pc = W(1); \
                NEXT(); \
            } \
            const Term *e = tuple_ptr(t); \
            Term a = e[W(4)], b = e[W(6)]; \
            xreg[W(5)] = a; \
            xreg[W(7)] = b; \
            pc += 8; \
            TESTS; \
        }
        TEST_ARITY_GET2_THEN(IS_EQ_EXACT2_XC_MOVE_CX_RETURN,
            if (a != W(3)) pc = W(1);
            else if (b != W(6)) pc = W(4);
            else {
                xreg[W(8)] = W(7);
                pc = cp;
            }
            NEXT())
        TEST_ARITY_GET2_THEN(IS_EQ_EXACT2_XC_MOVE_CX_RETURN_ELSE_ALLOCATE_MOVE2_XY_XX_CALL,
            if (a == W(3) && b == W(6)) {
                xreg[W(8)] = W(7);
                pc = cp;
                NEXT();
            }
            pc += 9;
            goto L_OP_X_ALLOCATE_MOVE2_XY_XX_CALL)
#undef TEST_ARITY_GET2_THEN
        /* a test + return that fails into the next instruction (link.py checked
         * every fail label is the next instruction's position) */
#define TEST_ELSE(TEST, LEN, COND, ON_TRUE, SECOND) \
        case OP_X_##TEST##_ELSE_##SECOND: L_OP_X_##TEST##_ELSE_##SECOND: \
            if (COND) { \
                ON_TRUE; \
                pc = cp; \
                NEXT(); \
            } \
            pc += LEN; \
            goto L_OP_X_##SECOND;
#define LT_XC ({ Term _a = xreg[W(2)], _b = W(3); \
                 is_small(_a) ? (SInt)_a < (SInt)_b : term_cmp(_a, _b) < 0; })
#define GE_XC ({ Term _a = xreg[W(2)], _b = W(3); \
                 is_small(_a) ? (SInt)_a >= (SInt)_b : term_cmp(_a, _b) >= 0; })
        TEST_ELSE(IS_EQ_EXACT2_XC_MOVE_CX_RETURN, 9, xreg[W(2)] == W(3) && xreg[W(5)] == W(6),
                  xreg[W(8)] = W(7), ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_LT_XC_RETURN, 4, LT_XC, , SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_LT_XC_RETURN, 4, LT_XC, , ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_GE_XC_RETURN, 4, GE_XC, , SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_GE_XC_RETURN, 4, GE_XC, , ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_EQ_EXACT_XC_RETURN, 4, xreg[W(2)] == W(3), , SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_EQ_EXACT_XC_RETURN, 4, xreg[W(2)] == W(3), , ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_EQ_EXACT_XC_MOVE_CX_RETURN, 6, xreg[W(2)] == W(3), xreg[W(5)] = W(4),
                  SUB_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
        TEST_ELSE(IS_EQ_EXACT_XC_MOVE_CX_RETURN, 6, xreg[W(2)] == W(3), xreg[W(5)] = W(4),
                  ADD_C_XX_ALLOCATE_MOVE2_XY_XX_CALL)
#undef LT_XC
#undef GE_XC
#undef TEST_ELSE
        default: L_default:
            fatal("unknown instruction %lu at %lu", (unsigned long)op, (unsigned long)pc);
        }
        continue;

    error:
        if (keep_trace)
            keep_trace = 0;
        else
            p->ftrace = build_trace(p, pc, cp, E, trace_args);
    error_keep_trace:
        trace_args = NONV;
        {
            /* find the innermost catch on the stack */
            Term *frame = NULL;
            Term *s;
            for (s = E; s < p->stack_hi; s++) {
                if (is_cp(*s))
                    frame = s;
                else if (is_catch(*s))
                    break;
            }
            if (s < p->stack_hi && frame != NULL) {
                E = frame;
                pc = catch_val(*s);
                xreg[0] = NONV;
                xreg[1] = p->fclass;
                xreg[2] = p->freason;
                xreg[3] = mk_tuple2(p, p->fclass, p->ftrace);   /* the raw trace */
                continue;
            }
            Term reason = p->freason;
            if (p->fclass == AM(error))
                reason = mk_tuple2(p, reason, p->ftrace);
            else if (p->fclass == AM(throw))
                reason = mk_tuple2(p, mk_tuple2(p, AM(nocatch), reason), p->ftrace);
            p->E = E;
            if (p->fclass != AM(exit))
                crash_report(p);
            proc_exit(p, reason);
            return;
        }
    }

proc_done:
    p->E = E;
    proc_exit(p, AM(normal));
    return;
exit_now:
    return;
wait_now:
    p->cp = cp;
    p->E = E;
    p->live = 0;
    p->state = P_WAITING;
    return;
}
