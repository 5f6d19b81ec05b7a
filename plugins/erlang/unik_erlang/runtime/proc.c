/*
 * proc.c — processes: creation, messages, links and monitors, exit signals,
 * the registry, and the scheduler (one run queue on the one vCPU; a process
 * runs until it waits or uses up its reductions; timers of `receive … after`
 * are kept as deadlines and slept on with unik_yield).
 */
#include <stdlib.h>
#include <string.h>
#include <unik.h>
#include "vm.h"

Proc **proc_table;
static uint64_t proc_cap;
uint64_t nprocs;            /* pids handed out (the next pid number) */
static uint64_t live_procs;
Proc *current;
uint64_t ref_counter;
static Proc *runq_head, *runq_tail;
extern Term entry_pid;

uint64_t now_ns(void) { return unik_clock_monotonic(); }

/* Pids are numbered as under `erl -noshell -s M F` (OTP 25), where the boot
 * process running the entry is <0.9.0> and the processes it spawns are
 * <0.79.0>, <0.80.0>, … (kernel's own take the numbers between): programs
 * that print pids print erl's. Slot k of the process table is number
 * pid_number(k). */
static uint64_t pid_number(uint64_t slot) { return slot == 0 ? 9 : slot + 78; }

uint64_t pid_slot(Term pid)
{
    uint64_t n = pid_index(pid);
    return n == 9 ? 0 : n >= 79 ? n - 78 : UINT64_MAX;
}

Proc *proc_get(Term pid)
{
    if (!is_pid(pid))
        return NULL;
    uint64_t i = pid_slot(pid);
    if (i >= nprocs)
        return NULL;
    Proc *p = proc_table[i];
    return (p != NULL && p->state != P_FREE && p->state != P_EXITING) ? p : NULL;
}

Proc *proc_new(void)
{
    if (nprocs == proc_cap) {
        proc_cap = proc_cap ? proc_cap * 2 : 1024;
        proc_table = realloc(proc_table, proc_cap * sizeof(Proc *));
        if (proc_table == NULL)
            fatal("out of memory (process table)");
    }
    Proc *p = calloc(1, sizeof(Proc));
    if (p == NULL)
        fatal("out of memory (process)");
    p->slot = nprocs;
    p->pid = make_pid(pid_number(nprocs));
    proc_table[nprocs++] = p;
    live_procs++;
    size_t hsize = 256;         /* about BEAM's default min_heap_size (233) */
    p->heap = block_alloc(hsize);
    p->htop = p->heap;
    p->hend = p->heap + hsize;
    p->hwm = p->heap;
    size_t ssize = 32;          /* grows on demand (emu.c stack_grow) */
    p->stack_lo = malloc_words(ssize);
    p->stack_hi = p->stack_lo + ssize;
    p->E = p->stack_hi;
    p->mq_tail = &p->mq_head;
    p->mq_cursor = &p->mq_head;
    p->dict = NIL;
    p->fclass = p->freason = p->ftrace = NIL;
    p->exit_reason = NIL;
    p->registered = NIL;
    p->group_leader = NIL;
    p->state = P_RUNNABLE;
    return p;
}

void save_x(Proc *p, uint32_t live)
{
    if (live > MAX_X)
        live = MAX_X;
    if (p->xsave_cap < live) {
        free(p->xsave);
        p->xsave_cap = live < 8 ? 8 : live;
        p->xsave = malloc_words(p->xsave_cap);
    }
    memcpy(p->xsave, xreg, live * sizeof(Term));
    p->live = live;
}

void runq_push(Proc *p)
{
    if (p->in_runq)
        return;
    p->in_runq = 1;
    p->next_run = NULL;
    if (runq_tail)
        runq_tail->next_run = p;
    else
        runq_head = p;
    runq_tail = p;
}

static Proc *runq_pop(void)
{
    Proc *p = runq_head;
    if (p == NULL)
        return NULL;
    runq_head = p->next_run;
    if (runq_head == NULL)
        runq_tail = NULL;
    p->in_runq = 0;
    return p;
}

void proc_free(Proc *p)
{
    offheap_release(p);
    block_free(p->heap, (size_t)(p->hend - p->heap));
    block_free(p->old_heap, (size_t)(p->old_hend - p->old_heap));
    p->old_heap = p->old_htop = p->old_hend = NULL;
    free_frags(p);
    free(p->stack_lo);
    free(p->xsave);
    while (p->mq_head) {
        Msg *n = p->mq_head->next;
        free(p->mq_head);
        p->mq_head = n;
    }
    while (p->links) {
        Link *n = p->links->next;
        free(p->links);
        p->links = n;
    }
    proc_table[p->slot] = NULL;
    free(p);
}

/* ---- aliases (erlang:alias/0, monitor/3 with {alias, …}): refs that name a process ---- */
static Term *alias_refs, *alias_pids;
static uint64_t nalias, alias_cap;

void alias_add(Term ref, Term pid)
{
    if (nalias == alias_cap) {
        alias_cap = alias_cap ? alias_cap * 2 : 64;
        alias_refs = realloc(alias_refs, alias_cap * sizeof(Term));
        alias_pids = realloc(alias_pids, alias_cap * sizeof(Term));
        if (alias_refs == NULL || alias_pids == NULL)
            fatal("out of memory (aliases)");
    }
    alias_refs[nalias] = ref;
    alias_pids[nalias++] = pid;
}

int alias_remove(Term ref)
{
    for (uint64_t i = 0; i < nalias; i++) {
        if (alias_refs[i] == ref) {
            alias_refs[i] = alias_refs[nalias - 1];
            alias_pids[i] = alias_pids[nalias - 1];
            nalias--;
            return 1;
        }
    }
    return 0;
}

static Term alias_lookup(Term ref)
{
    for (uint64_t i = nalias; i > 0; i--)
        if (alias_refs[i - 1] == ref)
            return alias_pids[i - 1];
    return NONV;
}

int send_message(Proc *from, Term to, Term msg)
{
    Proc *q;
    if (is_ref(to)) {
        Term pid = alias_lookup(to);
        if (pid == NONV)
            return 1;           /* an inactive alias: the message is dropped */
        to = pid;
    } else if (is_atom(to)) {
        Term pid = register_lookup(to);
        if (pid == NONV)
            return 0;
        to = pid;
    } else if (is_tuple(to) && tuple_size(to) == 2 && is_atom(tuple_ptr(to)[0])) {
        Term pid = register_lookup(tuple_ptr(to)[0]);
        if (pid == NONV)
            return 1;
        to = pid;
    } else if (!is_pid(to)) {
        return 0;
    }
    (void)from;
    q = proc_get(to);
    if (q == NULL)
        return 1;
    Msg *m = malloc(sizeof(Msg));
    if (m == NULL)
        fatal("out of memory (message)");
    m->term = copy_term(q, msg);
    m->next = NULL;
    *q->mq_tail = m;
    q->mq_tail = &m->next;
    q->mq_len++;
    if (q->state == P_WAITING) {
        q->state = P_RUNNABLE;
        runq_push(q);
    }
    return 1;
}

void link_add(Proc *p, Term other, Term ref, int monitor)
{
    if (!monitor)
        for (Link *l = p->links; l; l = l->next)
            if (!l->monitor && l->pid == other)
                return;
    Link *l = malloc(sizeof(Link));
    if (l == NULL)
        fatal("out of memory (link)");
    l->pid = other;
    l->ref = ref;
    l->monitor = monitor;
    l->name = NIL;
    l->next = p->links;
    p->links = l;
}

void link_remove(Proc *p, Term other, Term ref)
{
    for (Link **lp = &p->links; *lp; lp = &(*lp)->next) {
        Link *l = *lp;
        if ((ref == NONV && !l->monitor && l->pid == other) ||
            (ref != NONV && l->monitor && l->ref == ref)) {
            *lp = l->next;
            free(l);
            return;
        }
    }
}

/* An exit signal from `from` (a pid) reaches process `to`. */
void deliver_exit(Proc *from, Term to, Term reason, int from_link)
{
    Proc *q = proc_get(to);
    if (q == NULL)
        return;
    Term from_pid = from ? from->pid : make_pid(0);
    if (!from_link && reason == AM(kill)) {
        proc_exit(q, AM(killed));
        return;
    }
    if (q->trap_exit) {
        Term msg[3] = {AM(EXIT), from_pid, reason};
        Term *t = halloc(from ? from : q, 4);
        t[0] = make_header(3, S_TUPLE);
        memcpy(t + 1, msg, sizeof msg);
        send_message(from, to, make_boxed(t));
        return;
    }
    if (reason == AM(normal) && (from_link || q != from))
        return;
    proc_exit(q, reason);
}

void proc_exit(Proc *p, Term reason)
{
    if (p->state == P_EXITING || p->state == P_FREE)
        return;
    p->state = P_EXITING;
    live_procs--;
    if (p->pid == entry_pid && reason != AM(normal)) {
        extern void entry_crash_report(Term reason);
        entry_crash_report(reason);
        out_flush();
        unik_exit(1);
    }
    if (p->registered != NIL)
        unregister_name(p->registered);
    extern void ets_owner_exit(Term pid);
    ets_owner_exit(p->pid);
    Link *links = p->links;
    p->links = NULL;
    for (Link *l = links; l; l = l->next) {
        Proc *q = proc_get(l->pid);
        if (q == NULL)
            continue;
        if (l->monitor == 1) {
            /* q monitors p: {'DOWN', Ref, process, Pid | {Name, Node}, Reason} */
            Term *t = halloc(p, 6);
            Term who = l->name != NIL ? mk_tuple2(p, l->name, AM(nonode)) : p->pid;
            t[0] = make_header(5, S_TUPLE);
            t[1] = AM(DOWN);
            t[2] = l->ref;
            t[3] = AM(process);
            t[4] = who;
            t[5] = reason;
            send_message(p, q->pid, make_boxed(t));
            link_remove(q, NONV, l->ref);
        } else if (l->monitor == 2) {
            link_remove(q, NONV, l->ref);     /* p monitored q */
        } else {
            link_remove(q, p->pid, NONV);
            deliver_exit(p, q->pid, reason, 1);
        }
    }
    while (links) {
        Link *n = links->next;
        free(links);
        links = n;
    }
    if (!p->in_runq && p != current)
        proc_free(p);
}

Term spawn_process(Proc *parent, uint64_t pc, Term args, int link, int monitor, Term *mref)
{
    Proc *q = proc_new();
    int n = 0;
    Term a = copy_term(q, args);
    save_x(q, 8);
    while (is_cons(a) && n < MAX_X) {
        if ((uint32_t)n >= q->xsave_cap) {
            Term *nx = malloc_words((size_t)q->xsave_cap * 2);
            memcpy(nx, q->xsave, q->xsave_cap * sizeof(Term));
            free(q->xsave);
            q->xsave = nx;
            q->xsave_cap *= 2;
        }
        q->xsave[n++] = CAR(a);
        a = CDR(a);
    }
    q->live = (uint32_t)n;
    q->pc = pc;
    q->cp = 1;      /* OP_X_EXIT */
    q->group_leader = parent ? parent->group_leader : NIL;
    if (link && parent) {
        link_add(parent, q->pid, NONV, 0);
        link_add(q, parent->pid, NONV, 0);
    }
    if (monitor && parent) {
        Term ref = make_ref(++ref_counter);
        link_add(q, parent->pid, ref, 1);
        link_add(parent, q->pid, ref, 2);
        *mref = ref;
    }
    runq_push(q);
    return q->pid;
}

/* ---- registry: a small table of (name, pid) ---- */
static Term reg_names[256], reg_pids[256];
static int nreg;

Term register_lookup(Term name)
{
    for (int i = 0; i < nreg; i++)
        if (reg_names[i] == name)
            return reg_pids[i];
    return NONV;
}

int register_name(Term name, Term pid)
{
    Proc *q = proc_get(pid);
    if (q == NULL || register_lookup(name) != NONV || q->registered != NIL ||
        nreg == 256 || name == AM(undefined))
        return 0;
    reg_names[nreg] = name;
    reg_pids[nreg++] = pid;
    q->registered = name;
    return 1;
}

int unregister_name(Term name)
{
    for (int i = 0; i < nreg; i++) {
        if (reg_names[i] == name) {
            Proc *q = proc_get(reg_pids[i]);
            if (q)
                q->registered = NIL;
            else if (pid_slot(reg_pids[i]) < nprocs && proc_table[pid_slot(reg_pids[i])])
                proc_table[pid_slot(reg_pids[i])]->registered = NIL;
            reg_names[i] = reg_names[nreg - 1];
            reg_pids[i] = reg_pids[nreg - 1];
            nreg--;
            return 1;
        }
    }
    return 0;
}

Term registered_list(Proc *p)
{
    Term l = NIL;
    for (int i = 0; i < nreg; i++)
        l = cons(p, reg_names[i], l);
    return l;
}

/* ---- the scheduler ---- */

static int fire_timers(uint64_t *next)
{
    uint64_t now = now_ns();
    int fired = 0;
    *next = UINT64_MAX;
    for (uint64_t i = 0; i < nprocs; i++) {
        Proc *p = proc_table[i];
        if (p == NULL || p->state != P_WAITING || !p->timer_set)
            continue;
        if (p->deadline_ns <= now) {
            p->timer_set = 0;
            p->timed_out = 1;
            p->mq_cursor = &p->mq_head;
            if (p->wait_pc)
                p->pc = p->wait_pc;
            p->state = P_RUNNABLE;
            runq_push(p);
            fired = 1;
        } else if (p->deadline_ns < *next) {
            *next = p->deadline_ns;
        }
    }
    return fired;
}

extern int stop_pending;     /* init:stop/0,1 (bif_proc.c) */

void scheduler_loop(void)
{
    uint64_t last_timer_check = 0;
    for (;;) {
        Proc *p = runq_pop();
        if (p != NULL) {
            if (p->state == P_EXITING) {
                proc_free(p);
                continue;
            }
            if (p->state != P_RUNNABLE)
                continue;
            current = p;
            run_proc(p);
            current = NULL;
            if (stop_pending >= 0) {
                out_flush();
                unik_exit(stop_pending);
            }
            if (p->state == P_EXITING)
                proc_free(p);
            else if (p->state == P_RUNNABLE)
                runq_push(p);
            /* timers of waiting processes are looked at now and then, not per slice */
            if (++last_timer_check >= 64) {
                uint64_t next;
                extern uint64_t timers_fire(void);
                last_timer_check = 0;
                fire_timers(&next);
                timers_fire();
            }
            continue;
        }
        uint64_t next;
        extern uint64_t timers_fire(void);
        uint64_t tnext = timers_fire();
        if (runq_head != NULL)
            continue;
        if (fire_timers(&next))
            continue;
        if (tnext < next)
            next = tnext;
        if (next == UINT64_MAX) {
            out_flush();
            unik_exit(0);
        }
        out_flush();
        unik_handle_set_t ready = 0;
        unik_yield(next, &ready);
    }
}
