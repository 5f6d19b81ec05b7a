/*
 * bif_proc.c — BIFs about processes: spawning, links and monitors, exit
 * signals and exceptions, the registry, messages and timers, the process
 * dictionary, apply, time, halt, and output (unik:put_chars/2 under the io
 * module that link.py substitutes, erlang:display/1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unik.h>
#include "vm.h"
#include "bifs_decl.h"

Term entry_pid;
static uint64_t unique_counter;

static Term named(const char *s) { return atom_from(s, strlen(s), 1); }

/* ---- spawning ---- */

static uint64_t fun_entry(Proc *p, Term fun, Term *args)
{
    if (is_box_of(fun, S_FUN)) {
        const struct erl_fun *fe = &erl_funs[small_val(box_ptr(fun)[1])];
        if (fe->arity != fe->nfree)
            return 0;
        Term l = NIL;
        for (uint32_t i = fe->nfree; i > 0; i--)
            l = cons(p, box_ptr(fun)[1 + i], l);
        *args = l;
        return fe->pc;
    }
    if (is_box_of(fun, S_EXPORT) && box_ptr(fun)[3] == make_small(0)) {
        *args = NIL;
        uint64_t pc = find_export((uint32_t)atom_index(box_ptr(fun)[1]),
                                  (uint32_t)atom_index(box_ptr(fun)[2]), 0);
        return pc >> 63 ? 0 : pc;
    }
    return 0;
}

static Term do_spawn(Proc *p, uint64_t pc, Term args, int link, int monitor,
                     Term m, Term f, uint32_t arity)
{
    Term ref = NONV;
    Term pid = spawn_process(p, pc, args, link, monitor, &ref);
    Proc *q = proc_get(pid);
    if (q) {                    /* process_info initial_call */
        q->init_m = m;
        q->init_f = f;
        q->init_a = arity;
    }
    if (monitor)
        return mk_tuple2(p, pid, ref);
    return pid;
}

static Term spawn_fun(Proc *p, Term fun, int link, int monitor)
{
    Term args;
    if (!is_fun(fun))
        return badarg(p);
    uint64_t pc = fun_entry(p, fun, &args);
    if (pc == 0)
        return badarg(p);
    /* erl names the initial call of a process spawned with a fun erlang:apply/2 */
    return do_spawn(p, pc, args, link, monitor, AM(erlang), named("apply"), 2);
}

static Term spawn_mfa(Proc *p, Term m, Term f, Term args, int link, int monitor)
{
    uint64_t n = list_length(args);
    if (!is_atom(m) || !is_atom(f) || n == (uint64_t)-1)
        return badarg(p);
    uint64_t pc = find_export((uint32_t)atom_index(m), (uint32_t)atom_index(f), (uint32_t)n);
    if (pc >> 63)
        pc = 0;
    /* pc 0 is the image's undef stub: the new process fails with undef, as in erl */
    if (pc == 0) {
        args = cons(p, m, cons(p, f, cons(p, args, NIL)));
    }
    return do_spawn(p, pc, args, link, monitor, m, f, (uint32_t)n);
}

BIF(bif_spawn1) { return spawn_fun(p, a[0], 0, 0); }
BIF(bif_spawn3) { return spawn_mfa(p, a[0], a[1], a[2], 0, 0); }
BIF(bif_spawn_link1) { return spawn_fun(p, a[0], 1, 0); }
BIF(bif_spawn_link3) { return spawn_mfa(p, a[0], a[1], a[2], 1, 0); }
BIF(bif_spawn_monitor1) { return spawn_fun(p, a[0], 0, 1); }
BIF(bif_spawn_monitor3) { return spawn_mfa(p, a[0], a[1], a[2], 0, 1); }

static Term spawn_priority;     /* {priority, P} of the spawn_opt being run, or 0 */
static void spawn_opts(Term opts, int *link, int *monitor)
{
    spawn_priority = 0;
    for (; is_cons(opts); opts = CDR(opts)) {
        Term o = CAR(opts);
        if (o == AM(link))
            *link = 1;
        else if (o == AM(monitor))
            *monitor = 1;
        else if (is_tuple(o) && tuple_size(o) == 2 && tuple_ptr(o)[0] == AM(priority))
            spawn_priority = tuple_ptr(o)[1];
    }
}
/* the new process (a pid, or {Pid, Ref} with monitor) gets the priority asked for */
static Term with_priority(Term r)
{
    Proc *q = r == NONV ? NULL : proc_get(is_tuple(r) ? tuple_ptr(r)[0] : r);
    if (q != NULL && spawn_priority != 0 && spawn_priority != AM(normal))
        q->priority = spawn_priority;
    return r;
}
BIF(bif_spawn_opt2)
{
    int link = 0, monitor = 0;
    spawn_opts(a[1], &link, &monitor);
    return with_priority(spawn_fun(p, a[0], link, monitor));
}
BIF(bif_spawn_opt4)
{
    int link = 0, monitor = 0;
    spawn_opts(a[3], &link, &monitor);
    return with_priority(spawn_mfa(p, a[0], a[1], a[2], link, monitor));
}

/* ---- links, monitors, exits ---- */

BIF(bif_link)
{
    if (!is_pid(a[0]))
        return badarg(p);
    if (a[0] == p->pid)
        return AM(true);
    Proc *q = proc_get(a[0]);
    if (q == NULL) {
        if (p->trap_exit) {
            send_message(p, p->pid, mk_tuple3(p, AM(EXIT), a[0], AM(noproc)));
            return AM(true);
        }
        return raise(p, AM(error), AM(noproc));
    }
    link_add(p, a[0], NONV, 0);
    link_add(q, p->pid, NONV, 0);
    return AM(true);
}
BIF(bif_unlink)
{
    if (!is_pid(a[0]))
        return badarg(p);
    link_remove(p, a[0], NONV);
    Proc *q = proc_get(a[0]);
    if (q)
        link_remove(q, p->pid, NONV);
    return AM(true);
}
BIF(bif_monitor)
{
    if (a[0] != AM(process))
        return badarg(p);
    Term target = a[1], name = NIL;
    /* by name: a registered name, or {Name, Node} on this node; the 'DOWN'
     * message then names {Name, Node}, as in erl */
    if (is_tuple(target) && tuple_size(target) == 2 && is_atom(tuple_ptr(target)[0]) &&
            tuple_ptr(target)[1] == AM(nonode))
        target = tuple_ptr(target)[0];
    if (is_atom(target)) {
        name = target;
        target = register_lookup(target);
    } else if (!is_pid(target)) {
        return badarg(p);
    }
    Term ref = make_ref(++ref_counter);
    Proc *q = target == NONV ? NULL : proc_get(target);
    if (q == NULL) {
        Term who = name != NIL ? mk_tuple2(p, name, AM(nonode)) : a[1];
        Term *t = halloc(p, 6);
        t[0] = make_header(5, S_TUPLE);
        t[1] = AM(DOWN);
        t[2] = ref;
        t[3] = AM(process);
        t[4] = who;
        t[5] = AM(noproc);
        send_message(p, p->pid, make_boxed(t));
        return ref;
    }
    link_add(q, p->pid, ref, 1);
    q->links->name = name;
    link_add(p, q->pid, ref, 2);
    return ref;
}
static Term demonitor(Proc *p, Term ref, Term opts)
{
    if (!is_ref(ref))
        return badarg(p);
    int found = 0;
    for (Link *l = p->links; l; l = l->next) {
        if (l->monitor == 2 && l->ref == ref) {
            Proc *q = proc_get(l->pid);
            if (q)
                link_remove(q, NONV, ref);
            link_remove(p, NONV, ref);
            found = 1;
            break;
        }
    }
    int info = 0;
    for (Term o = opts; is_cons(o); o = CDR(o))
        info |= CAR(o) == atom_from("info", 4, 1);
    for (; is_cons(opts); opts = CDR(opts)) {
        if (CAR(opts) == AM(flush)) {
            /* drop a 'DOWN' message for this monitor */
            for (Msg **mp = &p->mq_head; *mp; mp = &(*mp)->next) {
                Term m = (*mp)->term;
                if (is_tuple(m) && tuple_size(m) == 5 && tuple_ptr(m)[0] == AM(DOWN) &&
                    tuple_ptr(m)[1] == ref) {
                    Msg *dead = *mp;
                    *mp = dead->next;
                    if (p->mq_tail == &dead->next)
                        p->mq_tail = mp;
                    if (p->mq_cursor == &dead->next)
                        p->mq_cursor = mp;
                    free(dead);
                    p->mq_len--;
                    found = 0;      /* with info: false when a flush was needed */
                    break;
                }
            }
        }
    }
    return info && !found ? AM(false) : AM(true);
}
BIF(bif_demonitor)
{
    extern int alias_remove(Term ref);
    alias_remove(a[0]);
    return demonitor(p, a[0], NIL);
}
BIF(bif_demonitor2)
{
    extern int alias_remove(Term ref);
    alias_remove(a[0]);
    return demonitor(p, a[0], a[1]);
}

/* monitor(process, Pid, Options): {alias, _} makes the monitor's ref an alias too */
BIF(bif_monitor3)
{
    extern void alias_add(Term ref, Term pid);
    Term ref = bif_monitor(p, a);
    if (ref == NONV)
        return ref;
    for (Term o = a[2]; is_cons(o); o = CDR(o))
        if (is_tuple(CAR(o)) && tuple_size(CAR(o)) == 2 &&
            tuple_ptr(CAR(o))[0] == atom_from("alias", 5, 1))
            alias_add(ref, p->pid);
    return ref;
}
BIF(bif_alias0)
{
    extern void alias_add(Term ref, Term pid);
    (void)a;
    Term ref = make_ref(++ref_counter);
    alias_add(ref, p->pid);
    return ref;
}
BIF(bif_alias1) { return bif_alias0(p, a); }
BIF(bif_unalias)
{
    extern int alias_remove(Term ref);
    (void)p;
    return alias_remove(a[0]) ? AM(true) : AM(false);
}

BIF(bif_exit1) { return raise(p, AM(exit), a[0]); }
BIF(bif_exit2)
{
    if (!is_pid(a[0]))
        return badarg(p);
    deliver_exit(p, a[0], a[1], 0);
    if (p->state == P_EXITING)
        return NONV;
    return AM(true);
}
BIF(bif_error1) { return raise(p, AM(error), a[0]); }
BIF(bif_error2) { trace_args_of_top(a[1]); return raise(p, AM(error), a[0]); }
BIF(bif_error3)
{
    trace_args_of_top(a[1]);
    trace_opts_of_top(a[2]);
    return raise(p, AM(error), a[0]);
}
BIF(bif_throw) { return raise(p, AM(throw), a[0]); }
BIF(bif_nif_error) { (void)a; return raise(p, AM(error), AM(undef)); }
BIF(bif_raise)
{
    if (a[0] != AM(error) && a[0] != AM(exit) && a[0] != AM(throw))
        return badarg(p);
    raise(p, a[0], a[1]);
    p->ftrace = a[2];
    p->fclass = a[0];
    /* the trace given is kept: emu sees ftrace set by marking it */
    extern int keep_trace;
    keep_trace = 1;
    return NONV;
}

BIF(bif_process_flag)
{
    if (a[0] == AM(trap_exit)) {
        Term old = p->trap_exit ? AM(true) : AM(false);
        if (a[1] != AM(true) && a[1] != AM(false))
            return badarg(p);
        p->trap_exit = a[1] == AM(true);
        return old;
    }
    if (a[0] == AM(priority)) {
        Term old = p->priority ? p->priority : AM(normal);
        if (a[1] != AM(low) && a[1] != AM(normal) && a[1] != AM(high) && a[1] != AM(max))
            return badarg(p);
        p->priority = a[1];
        return old;
    }
    if (a[0] == AM(min_heap_size) || a[0] == AM(fullsweep_after))
        return make_small(0);
    return badarg(p);
}

/* ---- registry ---- */

BIF(bif_register)
{
    if (is_atom(a[0]) && a[0] != AM(undefined) && register_lookup(a[0]) != NONV)
        bif_error_cause(atom_from("registered_name", 15, 1));
    if (!is_atom(a[0]) || !is_pid(a[1]) || !register_name(a[0], a[1]))
        return badarg(p);
    return AM(true);
}
BIF(bif_unregister)
{
    if (!is_atom(a[0]) || !unregister_name(a[0]))
        return badarg(p);
    return AM(true);
}
BIF(bif_whereis)
{
    (void)p;
    Term pid = is_atom(a[0]) ? register_lookup(a[0]) : NONV;
    return pid == NONV ? AM(undefined) : pid;
}
BIF(bif_registered) { (void)a; return registered_list(p); }
BIF(bif_is_process_alive)
{
    if (!is_pid(a[0]))
        return badarg(p);
    return proc_get(a[0]) ? AM(true) : AM(false);
}

/* ---- messages ---- */

BIF(bif_send)
{
    if (!send_message(p, a[0], a[1]))
        return badarg(p);
    return a[1];
}
BIF(bif_send3)
{
    if (!send_message(p, a[0], a[1]))
        return badarg(p);
    return AM(ok);
}
BIF(bif_send_nosuspend)
{
    if (!send_message(p, a[0], a[1]))
        return badarg(p);
    return AM(true);
}

/* ---- timers: erlang:send_after/3, start_timer/3 ---- */

typedef struct Timer {
    struct Timer *next;
    uint64_t deadline;
    Term ref, dest;
    Term msg;            /* copied into `block` */
    Term *block;
} Timer;
static Timer *timers;
extern Term copy_term_block(Term t, Term **block);

static Term start_timer(Proc *p, Term *a, int wrap)
{
    SInt ms;
    if (!int_to_int64(a[0], &ms) || ms < 0 || (!is_pid(a[1]) && !is_atom(a[1])))
        return badarg(p);
    Timer *t = malloc(sizeof(Timer));
    if (t == NULL)
        fatal("out of memory (timer)");
    t->ref = make_ref(++ref_counter);
    t->dest = a[1];
    Term msg = wrap ? mk_tuple3(p, AM(timeout), t->ref, a[2]) : a[2];
    t->msg = copy_term_block(msg, &t->block);
    t->deadline = now_ns() + (uint64_t)ms * 1000000ULL;
    Timer **tp = &timers;
    while (*tp && (*tp)->deadline <= t->deadline)
        tp = &(*tp)->next;
    t->next = *tp;
    *tp = t;
    return t->ref;
}
BIF(bif_send_after) { return start_timer(p, a, 0); }

/* the 4-argument forms: [{abs, true}] makes the time an absolute monotonic millisecond */
static Term timer4(Proc *p, Term *a, int wrap)
{
    Term args[3] = {a[0], a[1], a[2]};
    for (Term o = a[3]; is_cons(o); o = CDR(o)) {
        Term x = CAR(o);
        if (is_tuple(x) && tuple_size(x) == 2 && tuple_ptr(x)[1] == AM(true) &&
            tuple_ptr(x)[0] == atom_from("abs", 3, 1)) {
            SInt at, now = (SInt)(now_ns() / 1000000ULL);
            if (!int_to_int64(a[0], &at))
                return badarg(p);
            args[0] = make_small(at > now ? at - now : 0);
        }
    }
    return start_timer(p, args, wrap);
}
BIF(bif_send_after4) { return timer4(p, a, 0); }
BIF(bif_start_timer4) { return timer4(p, a, 1); }
BIF(bif_start_timer) { return start_timer(p, a, 1); }
BIF(bif_cancel_timer)
{
    (void)p;
    for (Timer **tp = &timers; *tp; tp = &(*tp)->next) {
        if ((*tp)->ref == a[0]) {
            Timer *t = *tp;
            *tp = t->next;
            uint64_t now = now_ns();
            SInt left = t->deadline > now ? (SInt)((t->deadline - now) / 1000000ULL) : 0;
            free(t->block);
            free(t);
            return make_small(left);
        }
    }
    return AM(false);
}

BIF(bif_cancel_timer2)
{
    Term r = bif_cancel_timer(p, a);
    for (Term o = a[1]; is_cons(o); o = CDR(o)) {
        Term x = CAR(o);
        if (is_tuple(x) && tuple_size(x) == 2 && tuple_ptr(x)[0] == AM(info) &&
            tuple_ptr(x)[1] == AM(false))
            return AM(ok);
    }
    return r;
}

BIF(bif_read_timer)
{
    (void)p;
    for (Timer *t = timers; t; t = t->next) {
        if (t->ref == a[0]) {
            uint64_t now = now_ns();
            return make_small(t->deadline > now ? (SInt)((t->deadline - now) / 1000000ULL) : 0);
        }
    }
    return AM(false);
}

/* Deliver due timers; the next deadline (UINT64_MAX if none). */
uint64_t timers_fire(void)
{
    uint64_t now = now_ns();
    while (timers && timers->deadline <= now) {
        Timer *t = timers;
        timers = t->next;
        send_message(NULL, t->dest, t->msg);
        free(t->block);
        free(t);
    }
    return timers ? timers->deadline : UINT64_MAX;
}

/* ---- apply ---- */

static Term apply(Proc *p, Term m, Term f, Term args)
{
    uint64_t n = list_length(args);
    if (!is_atom(m) || !is_atom(f) || n == (uint64_t)-1 || n > MAX_X - 8)
        return badarg(p);
    Term tmp[MAX_X / 4];
    if (n > MAX_X / 4)
        return badarg(p);
    for (uint64_t i = 0; i < n; i++, args = CDR(args))
        tmp[i] = CAR(args);
    uint64_t pc = find_export((uint32_t)atom_index(m), (uint32_t)atom_index(f), (uint32_t)n);
    if (pc == 0)
        return raise(p, AM(error), AM(undef));
    if (pc >> 63)
        return bif_table[pc & 0xffffffff](p, tmp);
    memcpy(xreg, tmp, n * sizeof(Term));
    trap_pc = pc;
    trap_arity = (uint32_t)n;
    return TRAP;
}
BIF(bif_apply3) { return apply(p, a[0], a[1], a[2]); }
BIF(bif_apply2)
{
    Term fun = a[0], args = a[1];
    uint64_t n = list_length(args);
    if (!is_fun(fun) || n == (uint64_t)-1 || n > MAX_X / 4)
        return badarg(p);
    if (is_box_of(fun, S_EXPORT))
        return apply(p, box_ptr(fun)[1], box_ptr(fun)[2], args);
    const struct erl_fun *fe = &erl_funs[small_val(box_ptr(fun)[1])];
    if (fe->arity - fe->nfree != n)
        return raise(p, AM(error), mk_tuple2(p, AM(badarity), mk_tuple2(p, fun, args)));
    for (uint64_t i = 0; i < n; i++, args = CDR(args))
        xreg[i] = CAR(args);
    for (uint32_t i = 0; i < fe->nfree; i++)
        xreg[n + i] = box_ptr(fun)[2 + i];
    trap_pc = fe->pc;
    trap_arity = fe->arity;
    return TRAP;
}

/* ---- the process dictionary: a list of {Key, Value} ---- */

static Term dict_find(Proc *p, Term key)
{
    for (Term l = p->dict; is_cons(l); l = CDR(l))
        if (term_eq_exact(tuple_ptr(CAR(l))[0], key))
            return CAR(l);
    return NONV;
}
static Term dict_without(Proc *p, Term key)
{
    Term found = dict_find(p, key);
    if (found == NONV)
        return p->dict;
    Term out = NIL;
    Term rev = NIL;
    for (Term l = p->dict; is_cons(l); l = CDR(l))
        if (CAR(l) != found)
            rev = cons(p, CAR(l), rev);
    for (; is_cons(rev); rev = CDR(rev))
        out = cons(p, CAR(rev), out);
    return out;
}
BIF(bif_put)
{
    Term old = dict_find(p, a[0]);
    Term prev = old == NONV ? AM(undefined) : tuple_ptr(old)[1];
    Term rest = dict_without(p, a[0]);
    p->dict = cons(p, mk_tuple2(p, a[0], a[1]), rest);
    return prev;
}
BIF(bif_get)
{
    Term f = dict_find(p, a[0]);
    return f == NONV ? AM(undefined) : tuple_ptr(f)[1];
}
BIF(bif_get0) { (void)a; return p->dict; }
BIF(bif_get_keys)
{
    (void)a;
    Term out = NIL;
    for (Term l = p->dict; is_cons(l); l = CDR(l))
        out = cons(p, tuple_ptr(CAR(l))[0], out);
    return out;
}
BIF(bif_get_keys1)
{
    Term out = NIL;
    for (Term l = p->dict; is_cons(l); l = CDR(l))
        if (term_eq_exact(tuple_ptr(CAR(l))[1], a[0]))
            out = cons(p, tuple_ptr(CAR(l))[0], out);
    return out;
}
BIF(bif_erase)
{
    Term f = dict_find(p, a[0]);
    if (f == NONV)
        return AM(undefined);
    p->dict = dict_without(p, a[0]);
    return tuple_ptr(f)[1];
}
BIF(bif_erase0)
{
    (void)a;
    Term d = p->dict;
    p->dict = NIL;
    return d;
}

/* ---- halt ---- */

static Term halt(Proc *p, Term status)
{
    out_flush();
    if (is_small(status) && small_val(status) >= 0) {
        SInt s = small_val(status);
        unik_exit((int)(s > 123 ? (s & 0xff) > 123 ? 123 : (s & 0xff) : s));
    }
    if (status == AM(abort))
        unik_exit(UNIK_EXIT_ABORT);
    if (is_list(status)) {
        char *buf = NULL;
        size_t len = 0, cap = 0;
        if (chardata_to_utf8(status, &buf, &len, &cap)) {
            out_write(2, "Crash dump is being written to: erl_crash.dump...done\n", 0);
            out_write(2, buf, len);
            out_write(2, "\n", 1);
            out_flush();
        }
        unik_exit(1);
    }
    return badarg(p);
}
/* init:stop/0,1: erl stops asynchronously — the caller runs on until init
 * has taken the system down — so here the VM halts with the status at the
 * next switch between processes (scheduler_loop reads stop_pending). */
int stop_pending = -1;
BIF(bif_init_stop0) { (void)a; (void)p; stop_pending = 0; return AM(ok); }
BIF(bif_init_stop1)
{
    Term s = a[0];
    if (is_small(s) && small_val(s) >= 0) {
        SInt v = small_val(s);
        stop_pending = (int)(v > 123 ? (v & 0xff) > 123 ? 123 : (v & 0xff) : v);
        return AM(ok);
    }
    if (is_list(s)) {
        char *buf = NULL;
        size_t len = 0, cap = 0;
        if (chardata_to_utf8(s, &buf, &len, &cap)) {
            out_write(2, buf, len);
            out_write(2, "\n", 1);
            free(buf);
            stop_pending = 1;
            return AM(ok);
        }
        free(buf);
    }
    return badarg(p);
}

BIF(bif_halt0) { (void)a; return halt(p, make_small(0)); }
BIF(bif_halt1) { return halt(p, a[0]); }
BIF(bif_halt2) { return halt(p, a[0]); }

/* ---- time ---- */

static int unit_per_sec(Term u, uint64_t *per)
{
    if (u == AM(second) || u == AM(seconds))
        *per = 1;
    else if (u == AM(millisecond) || u == AM(milli_seconds))
        *per = 1000;
    else if (u == AM(microsecond) || u == AM(micro_seconds))
        *per = 1000000;
    else if (u == AM(nanosecond) || u == AM(nano_seconds) || u == AM(native) ||
             u == AM(perf_counter))
        *per = 1000000000;
    else if (is_small(u) && small_val(u) > 0)
        *per = (uint64_t)small_val(u);
    else
        return 0;
    return 1;
}

static Term in_unit(Proc *p, uint64_t ns, Term unit)
{
    uint64_t per;
    if (!unit_per_sec(unit, &per))
        return badarg(p);
    uint64_t v = ns / 1000000000ULL * per + ns % 1000000000ULL * per / 1000000000ULL;
    return make_integer(p, (SInt)v);
}
BIF(bif_monotonic_time) { (void)a; return make_integer(p, (SInt)now_ns()); }
BIF(bif_monotonic_time1) { return in_unit(p, now_ns(), a[0]); }
static uint64_t wall_ns(void)
{
    uint64_t w = unik_clock_wall();
    return w ? w : now_ns();
}
BIF(bif_system_time) { (void)a; return make_integer(p, (SInt)wall_ns()); }
BIF(bif_system_time1) { return in_unit(p, wall_ns(), a[0]); }
BIF(bif_os_system_time) { (void)a; return make_integer(p, (SInt)wall_ns()); }
BIF(bif_os_system_time1) { return in_unit(p, wall_ns(), a[0]); }
BIF(bif_timestamp)
{
    (void)a;
    uint64_t us = wall_ns() / 1000;
    return mk_tuple3(p, make_small((SInt)(us / 1000000000000ULL)),
                     make_small((SInt)(us / 1000000 % 1000000)), make_small((SInt)(us % 1000000)));
}
BIF(bif_os_timestamp) { return bif_timestamp(p, a); }
BIF(bif_time_offset) { (void)a; return make_integer(p, (SInt)(wall_ns() - now_ns())); }
BIF(bif_convert_time_unit)
{
    uint64_t from, to;
    SInt v;
    if (!int_to_int64(a[0], &v) || !unit_per_sec(a[1], &from) || !unit_per_sec(a[2], &to))
        return badarg(p);
    /* floor(v * to / from) without 128-bit division */
    SInt q = v / (SInt)from, r = v % (SInt)from;
    if (r < 0) {
        q -= 1;
        r += (SInt)from;
    }
    SInt res = q * (SInt)to + (SInt)((uint64_t)r * to / from);
    return make_integer(p, res);
}
BIF(bif_unique_integer) { (void)a; return make_integer(p, (SInt)++unique_counter); }
BIF(bif_unique_integer1) { (void)a; return make_integer(p, (SInt)++unique_counter); }

BIF(bif_statistics)
{
    static uint64_t last_rt, last_wc;
    uint64_t ms = now_ns() / 1000000;
    if (a[0] == AM(runtime) || a[0] == AM(wall_clock)) {
        uint64_t *last = a[0] == AM(runtime) ? &last_rt : &last_wc;
        Term r = mk_tuple2(p, make_small((SInt)ms), make_small((SInt)(ms - *last)));
        *last = ms;
        return r;
    }
    if (a[0] == AM(reductions))
        return mk_tuple2(p, make_small((SInt)p->reds), make_small(0));
    if (a[0] == AM(garbage_collection))
        return mk_tuple3(p, make_small((SInt)p->gc_count), make_small(0), make_small(0));
    return badarg(p);
}

/* ---- hashing ---- */

/* phash/2, phash2/1,2: bif_hash.c */

/* ---- output ---- */

BIF(bif_display)
{
    (void)p;
    extern void display_term(int fd, Term t);
    display_term(1, a[0]);
    out_write(1, "\n", 1);
    return AM(true);
}

BIF(bif_put_chars)
{
    extern int put_chardata(int fd, Term t);
    if (!put_chardata(a[0] == AM(standard_error) ? 2 : 1, a[1]))
        return badarg(p);
    return AM(ok);
}

/* unik:get_line(Device): one line of the guest's stdin (the host's stdin
 * under `unik run`), newline included, as a list of bytes; eof at the end.
 * The whole VM waits while it reads: there is one scheduler. */
BIF(bif_get_line)
{
    (void)a;
    out_flush();                    /* a prompt shows before the wait */
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return atom_from("eof", 3, 1);
    }
    Term l = NIL;
    while (n > 0)
        l = cons(p, make_small((uint8_t)line[--n]), l);
    free(line);
    return l;
}

/* ---- misc ---- */

BIF(bif_self) { (void)a; return p->pid; }
BIF(bif_node) { (void)a; (void)p; return AM(nonode); }
BIF(bif_node1) { (void)a; (void)p; return AM(nonode); }
BIF(bif_make_ref) { (void)a; (void)p; return make_ref(++ref_counter); }
BIF(bif_garbage_collect) { (void)a; (void)p; return AM(true); }
BIF(bif_yield)
{
    (void)a;
    (void)p;
    trap_pc = 0;
    return TRAP;
}
BIF(bif_group_leader) { (void)a; (void)p; return entry_pid; }

/* ---- process_info/1,2 ---- */

uint64_t bif_caller_pc, bif_caller_cp;

static Term reverse(Proc *p, Term l)
{
    Term r = NIL;
    for (; is_cons(l); l = CDR(l))
        r = cons(p, CAR(l), r);
    return r;
}

/* the pids q is linked to (monitor 0), monitors (2) or is monitored by (1) */
static Term link_list(Proc *p, Proc *q, int kind)
{
    Term v = NIL;
    for (Link *l = q->links; l; l = l->next)
        if (l->monitor == kind)
            v = cons(p, kind == 2 ? mk_tuple2(p, AM(process), l->pid) : l->pid, v);
    return reverse(p, v);
}

static Term mfa_of(Proc *p, const struct erl_func *f)
{
    return f ? mk_tuple3(p, make_atom(f->module), make_atom(f->name), make_small(f->arity))
             : AM(undefined);
}

static size_t heap_words(Proc *q)
{
    return (size_t)(q->hend - q->heap) + q->frag_words + (size_t)(q->old_hend - q->old_heap);
}

/* The value of one item for process q, built on p's heap; NONV for an item
 * erl does not know (badarg). */
static Term info_item(Proc *p, Proc *q, Term item)
{
    if (item == AM(message_queue_len))
        return make_small((SInt)q->mq_len);
    if (item == AM(messages)) {
        Term rev = NIL;
        for (Msg *m = q->mq_head; m; m = m->next)
            rev = cons(p, q == p ? m->term : copy_term(p, m->term), rev);
        return reverse(p, rev);
    }
    if (item == AM(registered_name))
        return q->registered == NIL ? NIL : q->registered;
    if (item == AM(links))
        return link_list(p, q, 0);
    if (item == named("monitors"))
        return link_list(p, q, 2);
    if (item == named("monitored_by"))
        return link_list(p, q, 1);
    if (item == AM(dictionary))
        return q == p ? q->dict : copy_term(p, q->dict);
    if (item == AM(status))
        return q == p ? AM(running) : q->state == P_WAITING ? AM(waiting) : AM(runnable);
    if (item == AM(trap_exit))
        return q->trap_exit ? AM(true) : AM(false);
    if (item == AM(reductions))
        return make_small((SInt)q->reds);
    if (item == named("current_stacktrace"))
        return current_stacktrace(p, q);
    if (item == named("current_function"))
        return mfa_of(p, func_at(q == p ? bif_caller_pc : q->pc));
    if (item == named("current_location")) {
        uint64_t pc = q == p ? bif_caller_pc : q->pc;
        const struct erl_func *f = func_at(pc);
        if (f == NULL)
            return AM(undefined);
        return mk_tuple4(p, make_atom(f->module), make_atom(f->name), make_small(f->arity),
                         code_location(p, pc, f));
    }
    if (item == named("initial_call"))
        return q->init_m == 0 ? AM(undefined) :
               mk_tuple3(p, q->init_m, q->init_f, make_small(q->init_a));
    if (item == AM(heap_size))
        return make_small((SInt)(q->hend - q->heap));
    if (item == named("total_heap_size"))
        return make_small((SInt)heap_words(q));
    if (item == AM(memory))      /* bytes: heaps, stack and the process itself */
        return make_small((SInt)((heap_words(q) + (size_t)(q->stack_hi - q->stack_lo)) * 8 +
                                 sizeof(Proc)));
    if (item == named("stack_size"))
        return make_small((SInt)(q->stack_hi - q->E));
    if (item == AM(priority))
        return q->priority ? q->priority : AM(normal);
    if (item == named("group_leader"))
        return entry_pid;
    if (item == named("error_handler"))
        return named("error_handler");
    if (item == named("garbage_collection")) {
        Term v = cons(p, mk_tuple2(p, named("minor_gcs"), make_small((SInt)q->gc_count)), NIL);
        v = cons(p, mk_tuple2(p, named("fullsweep_after"), make_small(65535)), v);
        v = cons(p, mk_tuple2(p, named("min_heap_size"), make_small(233)), v);
        v = cons(p, mk_tuple2(p, named("min_bin_vheap_size"), make_small(46422)), v);
        return cons(p, mk_tuple2(p, named("max_heap_size"), make_small(0)), v);
    }
    if (item == named("suspending") || item == named("binary") ||
            item == named("sequential_trace_token") || item == named("last_calls"))
        return item == named("last_calls") ? AM(false) : NIL;
    if (item == named("catchlevel")) {
        SInt n = 0;
        for (Term *s = q->E; s < q->stack_hi; s++)
            n += is_catch(*s);
        return make_small(n);
    }
    if (item == named("trace"))
        return make_small(0);
    if (item == named("message_queue_data"))
        return named("on_heap");
    return NONV;
}

/* process_info/2: one item gives {Item, Value} ([] for registered_name of an
 * unnamed process), a list gives the list of them in order */
BIF(bif_process_info)
{
    if (!is_pid(a[0]))
        return badarg(p);
    Term items = a[1];
    if (is_atom(items)) {
        Proc *q = proc_get(a[0]);
        Term v = info_item(p, q ? q : p, items);   /* a bad item is badarg even if q is dead */
        if (v == NONV)
            return badarg(p);
        if (q == NULL)
            return AM(undefined);
        if (items == AM(registered_name) && q->registered == NIL)
            return NIL;
        return mk_tuple2(p, items, v);
    }
    if (list_length(items) == (uint64_t)-1)
        return badarg(p);
    Proc *q = proc_get(a[0]);
    Term rev = NIL;
    for (Term l = items; is_cons(l); l = CDR(l)) {
        Term it = CAR(l);
        Term v = is_atom(it) ? info_item(p, q ? q : p, it) : NONV;
        if (v == NONV)
            return badarg(p);
        rev = cons(p, mk_tuple2(p, it, v), rev);
    }
    return q == NULL ? AM(undefined) : reverse(p, rev);
}

/* process_info/1: erl's default items (registered_name first when named) */
BIF(bif_process_info1)
{
    static const char *const items[] = {
        "current_function", "initial_call", "status", "message_queue_len", "links",
        "dictionary", "trap_exit", "error_handler", "priority", "group_leader",
        "total_heap_size", "heap_size", "stack_size", "reductions", "garbage_collection",
        "suspending"};
    if (!is_pid(a[0]))
        return badarg(p);
    Proc *q = proc_get(a[0]);
    if (q == NULL)
        return AM(undefined);
    Term rev = NIL;
    if (q->registered != NIL)
        rev = cons(p, mk_tuple2(p, AM(registered_name), q->registered), rev);
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        Term it = named(items[i]);
        rev = cons(p, mk_tuple2(p, it, info_item(p, q, it)), rev);
    }
    return reverse(p, rev);
}

BIF(bif_fun_info)
{
    Term f = a[0], item = a[1], v;
    if (!is_fun(f))
        return badarg(p);
    if (is_box_of(f, S_EXPORT)) {
        Term *e = box_ptr(f);
        if (item == AM(arity)) v = e[3];
        else if (item == AM(module)) v = e[1];
        else if (item == AM(name)) v = e[2];
        else if (item == AM(type)) v = AM(external);
        else if (item == AM(env)) v = NIL;
        else v = AM(undefined);
    } else {
        const struct erl_fun *fe = &erl_funs[small_val(box_ptr(f)[1])];
        if (item == AM(arity)) v = make_small(fe->arity - fe->nfree);
        else if (item == AM(module)) v = make_atom(fe->module);
        else if (item == AM(name)) v = make_atom(fe->name);
        else if (item == AM(type)) v = AM(local);
        else if (item == AM(index)) v = make_small(fe->old_index);
        else if (item == AM(uniq)) v = make_small(fe->uniq);
        else if (item == AM(env)) {
            v = NIL;
            for (uint32_t i = fe->nfree; i > 0; i--)
                v = cons(p, box_ptr(f)[1 + i], v);
        } else if (item == AM(pid)) v = p->pid;
        else v = AM(undefined);
    }
    return mk_tuple2(p, item, v);
}

BIF(bif_make_fun)
{
    if (!is_atom(a[0]) || !is_atom(a[1]) || !is_small(a[2]) || small_val(a[2]) < 0)
        return badarg(p);
    Term *e = halloc(p, 4);
    e[0] = make_header(3, S_EXPORT);
    e[1] = a[0];
    e[2] = a[1];
    e[3] = a[2];
    return make_boxed(e);
}

BIF(bif_function_exported)
{
    (void)p;
    if (!is_atom(a[0]) || !is_atom(a[1]) || !is_small(a[2]))
        return AM(false);
    uint64_t pc = find_export((uint32_t)atom_index(a[0]), (uint32_t)atom_index(a[1]),
                              (uint32_t)small_val(a[2]));
    return pc && !(pc >> 63) ? AM(true) : AM(false);
}

static Term chars(Proc *p, const char *s)
{
    Term l = NIL;
    for (size_t k = strlen(s); k > 0; k--)
        l = cons(p, make_small((uint8_t)s[k - 1]), l);
    return l;
}

static Term system_info_more(Proc *p, Term k)
{
    /* erl's values on OTP 25 (Debian's erts 13.1.5), with this VM's one scheduler */
    static const struct { const char *item; SInt v; } nums[] = {
        {"process_limit", 262144}, {"atom_limit", 1048576}, {"ets_limit", 8192},
        {"port_limit", 65536}, {"port_count", 0}, {"schedulers_online", 1},
        {"logical_processors", 1}, {"logical_processors_available", 1},
        {"logical_processors_online", 1}, {"thread_pool_size", 1},
        {"dirty_cpu_schedulers", 1}, {"dirty_cpu_schedulers_online", 1},
        {"dirty_io_schedulers", 1}, {"ets_count", 0},
    };
    static const struct { const char *item, *v; } strs[] = {
        {"version", "13.1.5"}, {"driver_version", "3.3"}, {"nif_version", "2.16"},
        {"system_version", "Erlang/OTP 25 [erts-13.1.5] [source] [64-bit] [smp:1:1] "
                           "[ds:1:1:10] [async-threads:1]\n"},
    };
    static const struct { const char *item, *v; } atoms[] = {
        {"build_type", "opt"}, {"smp_support", "true"}, {"threads", "true"},
        {"kernel_poll", "false"}, {"emu_type", "opt"}, {"emu_flavor", "emu"},
    };
    if (is_tuple(k) && tuple_size(k) == 2 && tuple_ptr(k)[0] == AM(wordsize))
        return make_small(8);
    if (!is_atom(k))
        return badarg(p);
    size_t n;
    const char *name = atom_name(k, &n);
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (strlen(nums[i].item) == n && memcmp(nums[i].item, name, n) == 0)
            return make_small(nums[i].v);
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (strlen(strs[i].item) == n && memcmp(strs[i].item, name, n) == 0)
            return chars(p, strs[i].v);
    for (size_t i = 0; i < sizeof atoms / sizeof *atoms; i++)
        if (strlen(atoms[i].item) == n && memcmp(atoms[i].item, name, n) == 0)
            return atom_from(atoms[i].v, strlen(atoms[i].v), 1);
    if (n == 7 && memcmp(name, "os_type", 7) == 0)
        return mk_tuple2(p, atom_from("unix", 4, 1), atom_from("linux", 5, 1));
    if (n == 10 && memcmp(name, "atom_count", 10) == 0)
        return make_small((SInt)atoms_total());
    return badarg(p);
}

BIF(bif_system_info)
{
    Term k = a[0];
    if (k == AM(wordsize) || k == AM(word_size))
        return make_small(8);
    if (k == AM(otp_release))
        return cons(p, make_small('2'), cons(p, make_small('5'), NIL));
    if (k == AM(schedulers))
        return make_small(1);
    if (k == AM(process_count)) {
        SInt n = 0;
        for (uint64_t i = 0; i < nprocs; i++)
            if (proc_table[i] && proc_get(proc_table[i]->pid))
                n++;
        return make_small(n);
    }
    if (k == AM(machine))
        return cons(p, make_small('B'), cons(p, make_small('E'), cons(p, make_small('A'),
               cons(p, make_small('M'), NIL))));
    return system_info_more(p, k);
}

BIF(bif_processes)
{
    (void)a;
    Term l = NIL;
    for (uint64_t i = nprocs; i > 0; i--)
        if (proc_table[i - 1] && proc_get(proc_table[i - 1]->pid))
            l = cons(p, proc_table[i - 1]->pid, l);
    return l;
}

/* A module is loaded when any of its functions is in the image. */
BIF(bif_module_loaded)
{
    if (!is_atom(a[0]))
        return badarg(p);
    uint32_t m = (uint32_t)atom_index(a[0]);
    for (uint64_t i = 0; i < erl_func_count; i++)
        if (erl_funcs[i].module == m)
            return AM(true);
    return AM(false);
}

/* init:get_plain_arguments/0: the words of the guest's command line (erl's
 * arguments after -extra), without a first module:function that chose the entry. */
int vm_argc;
char **vm_argv;

BIF(bif_plain_arguments)
{
    (void)a;
    extern int entry_chosen_by_arg;     /* main.c */
    Term l = NIL;
    for (int i = vm_argc - 1; i >= 1 + entry_chosen_by_arg; i--) {
        const char *s = vm_argv[i];
        Term str = NIL;
        for (size_t k = strlen(s); k > 0; k--)
            str = cons(p, make_small((uint8_t)s[k - 1]), str);
        l = cons(p, str, l);
    }
    return l;
}
