/*
 * vm.h — the VM's processes, heaps and shared helpers, grouped by the file
 * that implements them.
 */
#ifndef ERL_VM_H
#define ERL_VM_H

#include <stdint.h>
#include <stddef.h>
#include "term.h"
#include "image.h"

enum {
#define A(c, s) ATOM_##c,
#include "atoms.h"
#undef A
    ATOM__FIXED
};
#define AM(c) make_atom(ATOM_##c)

#define MAX_X 1024
#define MAX_FR 64
#define REDUCTIONS 4000

typedef struct Frag { struct Frag *next; size_t size; Term words[]; } Frag;
typedef struct Msg { struct Msg *next; Term term; } Msg;

enum { P_FREE = 0, P_RUNNABLE, P_WAITING, P_EXITING };

/* monitor 1: other monitors this process, 2: this process monitors other;
 * name: the registered name a monitor was set up by (an atom), or NIL */
typedef struct Link { struct Link *next; Term pid; Term ref; int monitor; Term name; } Link;

typedef struct Proc {
    uint64_t slot;
    Term pid;
    int state;
    int in_runq;
    struct Proc *next_run;
    /* heap: one block, plus fragments that the next collection empties */
    Term *heap, *htop, *hend;
    Frag *frags;
    Term *ftop, *fend;          /* bump region in the newest fragment */
    size_t frag_words;
    /* stack: grows down from stack_hi; E is the current frame (E[0] the CP) */
    Term *stack_lo, *stack_hi, *E;
    /* saved machine state while not running */
    uint64_t pc, cp;
    uint32_t live;
    Term *xsave;
    uint32_t xsave_cap;
    /* mailbox */
    Msg *mq_head, **mq_tail, **mq_cursor;
    uint64_t mq_len;
    int timer_set, timed_out;
    uint64_t deadline_ns;
    uint64_t wait_pc;           /* pc after a timed-out wait */
    /* links and monitors */
    Link *links;
    int trap_exit;
    Term dict;                  /* process dictionary: a list of {K, V} */
    Term group_leader;
    Term registered;
    /* process_info initial_call: {init_m, init_f, init_a} (atoms, arity) */
    Term init_m, init_f;
    uint32_t init_a;
    /* the current exception */
    Term fclass, freason, ftrace;
    /* exit */
    Term exit_reason;
    uint64_t reds;
    uint64_t gc_count;
    /* generational collection (heap.c): [heap, hwm) survived one collection
       and is promoted to the old heap at the next; the old heap is only
       collected by a major collection, when it has no room left */
    Term *hwm;
    Term *old_heap, *old_htop, *old_hend;
    uint64_t major_count;
    int tenure_all;             /* most of the last nursery survived: promote all of the next */
    /* off-heap binaries (heap.c): the REFBIN handles on this heap, linked;
       words of binaries made or received since the last collection (they
       bring the next one forward, as BEAM's virtual binary heap); words of
       those in the old heap and the bound that calls a major collection */
    Term *mso;
    size_t vbin, old_vbin, old_vbin_max;
    Term priority;              /* process_flag(priority): kept and reported, not scheduled by (0: normal) */
} Proc;

/* heap.c */
Term *halloc(Proc *p, size_t words);
Term *block_alloc(size_t words);            /* recycled heap blocks (heap.c) */
void block_free(Term *b, size_t words);
size_t block_size(size_t words);
void free_frags(Proc *p);                   /* a process's heap fragments, all */
void gc(Proc *p, size_t need, Term *roots, size_t nroots);
size_t term_size(Term t);
Term copy_term(Proc *to, Term t);
Term make_tuple(Proc *p, size_t n);
Term cons(Proc *p, Term h, Term t);
Term utf8_to_list(Proc *p, const uint8_t *s, size_t n);  /* UTF-8 into a list of code points */
Term make_float(Proc *p, double d);
Term make_binary(Proc *p, const void *data, size_t bytes);
Term make_bitstring(Proc *p, const void *data, uint64_t bits);
int is_literal(Term t);
void offheap_release(Proc *p);              /* at exit: drop the process's references */
Term binary_append(Proc *p, Term src, uint64_t total, uint8_t **out, uint64_t *pos);

/* proc.c */
extern Proc **proc_table;
extern uint64_t nprocs;
extern Proc *current;
Proc *proc_new(void);
Proc *proc_get(Term pid);
uint64_t pid_slot(Term pid);                /* the process table index of a pid */
void proc_free(Proc *p);
void runq_push(Proc *p);
int send_message(Proc *from, Term to, Term msg);   /* 0: bad destination */
void save_x(Proc *p, uint32_t live);
Term *malloc_words(size_t n);
void proc_exit(Proc *p, Term reason);
void deliver_exit(Proc *from, Term to, Term reason, int from_link);
Term spawn_process(Proc *parent, uint64_t pc, Term args, int link, int monitor, Term *mref);
void scheduler_loop(void) __attribute__((noreturn));
void link_add(Proc *p, Term other, Term ref, int monitor);
void link_remove(Proc *p, Term other, Term ref);
Term register_lookup(Term name);
int register_name(Term name, Term pid);
int unregister_name(Term name);
Term registered_list(Proc *p);
uint64_t now_ns(void);
extern uint64_t ref_counter;

/* emu.c */
void run_proc(Proc *p);
uint64_t find_export(uint32_t module, uint32_t name, uint32_t arity);
const struct erl_func *func_at(uint64_t pc);

/* lines.c: stack traces */
Term build_trace(Proc *p, uint64_t pc, uint64_t cp, Term *E, Term args_of_top);
Term current_stacktrace(Proc *p, Proc *q);
/* where the running process called a BIF from (emu.c sets them before a
 * called BIF runs): process_info(self(), current_stacktrace) starts there */
extern uint64_t bif_caller_pc, bif_caller_cp;
Term code_location(Proc *p, uint64_t pc, const struct erl_func *f);
void trace_bif_frame(Proc *p, uint64_t bif, const Term *args, int n, int inline_op);
void trace_arith_frame(Proc *p, uint64_t op, uint64_t wa, uint64_t wb, Term a, Term b);
void trace_args_of_top(Term args);
void trace_top_frame(Term frame);
void trace_erlang_frame(Proc *p, const char *name, const Term *args, int n);
void bif_error_cause(Term cause);       /* erl's error_info cause of the badarg about to be raised */      /* a frame over the next trace's (undef) */
void trace_opts_of_top(Term opts);     /* erlang:error/3's options (error_info) */

/* atom.c */
void atoms_init(void);
const char *atom_name(Term a, size_t *len);
Term atom_from(const char *s, size_t len, int create);
uint64_t atoms_total(void);

/* compare.c */
int term_eq_exact(Term a, Term b);
int term_eq(Term a, Term b);
int term_cmp(Term a, Term b);       /* <0, 0, >0 in Erlang term order (== for numbers) */
uint32_t beam_phash2(Term t);       /* bif_hash.c: BEAM's make_hash2 */

/* arith.c */
Term arith_add(Proc *p, Term a, Term b);
Term arith_sub(Proc *p, Term a, Term b);
Term arith_mul(Proc *p, Term a, Term b);
Term arith_div(Proc *p, Term a, Term b);    /* float division */
Term arith_intdiv(Proc *p, Term a, Term b);
Term arith_rem(Proc *p, Term a, Term b);
Term arith_neg(Proc *p, Term a);
Term arith_band(Proc *p, Term a, Term b);
Term arith_bor(Proc *p, Term a, Term b);
Term arith_bxor(Proc *p, Term a, Term b);
Term arith_bnot(Proc *p, Term a);
Term arith_bsl(Proc *p, Term a, Term b);
Term arith_bsr(Proc *p, Term a, Term b);
int to_double(Term t, double *d);
Term make_integer(Proc *p, SInt v);
int int_cmp(Term a, Term b);
Term int_to_string(Proc *p, Term i, int base);     /* a list of characters */
Term int_from_chars(Proc *p, const char *s, size_t n, int base);   /* NONV if bad */
int int_to_int64(Term t, SInt *out);

/* bignum.c */
Term big_from_u64(Proc *p, uint64_t mag, int neg);
Term big_norm(Proc *p, const uint32_t *d, size_t n, int neg);
size_t big_digits(Term t, const uint32_t **d, int *neg);
double big_to_double(Term t);

/* output.c */
void out_write(int fd, const void *buf, size_t len);
void out_flush(void);
void print_term(int fd, Term t);
int chardata_to_utf8(Term t, char **buf, size_t *len, size_t *cap);
void crash_report(Proc *p);

/* errors — set the process's exception; return NONV */
Term raise(Proc *p, Term cls, Term reason);
Term badarg(Proc *p);
Term badarith(Proc *p);
Term mk_tuple2(Proc *p, Term a, Term b);
Term mk_tuple3(Proc *p, Term a, Term b, Term c);
Term mk_tuple4(Proc *p, Term a, Term b, Term c, Term d);

/* bifs.c */
typedef Term (*BifFn)(Proc *p, Term *args);
extern const BifFn bif_table[];
struct bif_name { const char *module, *name; int arity; };
extern const struct bif_name bif_names[];
extern uint32_t trap_arity;
extern uint64_t trap_pc;       /* a BIF that returns TRAP wants a call here, args in x regs */
extern Term xreg[MAX_X];
/* an instruction's operand word: an x register, a y register of the frame E
   (in scope where these are used), or the term itself (atom, small, literal) */
#define SRC(w) ({ Term _w = (w); IMM2(_w) == I_XREG ? xreg[_w >> 6] : \
                  IMM2(_w) == I_YREG ? E[(_w >> 6) + 1] : _w; })
#define DST(w) (*({ Term _w = (w); IMM2(_w) == I_XREG ? &xreg[_w >> 6] : &E[(_w >> 6) + 1]; }))
#define TRAP ((Term)0x3d)      /* an I_IMM2 value no term has */
uint64_t list_length(Term t);  /* (uint64_t)-1 if not a proper list */

void fatal(const char *fmt, ...) __attribute__((noreturn));

#endif
