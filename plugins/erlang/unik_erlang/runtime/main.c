/*
 * main.c — the start of an Erlang unikernel: musl calls main(); the entry
 * function (image.h: erl_entry_pc, chosen at build time) runs as the first
 * process, and the scheduler runs until no process can run (exit 0), the
 * entry process crashes (exit 1) or halt/1 is called.
 *
 * The entry process traps exits, as erl's boot process does.
 *
 * The guest's command line may name another exported function of no
 * arguments to start instead, like `erl -s`: `unik run -- module:function`
 * (its first word); the other words are init:get_plain_arguments/0.
 */
#include <string.h>
#include "vm.h"

extern Term entry_pid;

/* the first word, when it is module:function, chose the entry (and is not
 * one of init:get_plain_arguments/0's words) */
int entry_chosen_by_arg;

static uint64_t entry_from_args(int argc, char **argv)
{
    if (argc < 2)
        return erl_entry_pc;
    const char *colon = strchr(argv[1], ':');
    if (colon == NULL)
        return erl_entry_pc;
    Term m = atom_from(argv[1], (size_t)(colon - argv[1]), 0);
    Term f = atom_from(colon + 1, strlen(colon + 1), 0);
    uint64_t pc = (m == NONV || f == NONV) ? 0 :
        find_export((uint32_t)atom_index(m), (uint32_t)atom_index(f), 0);
    if (pc == 0 || (pc >> 63))
        fatal("no exported function %s/0 in this image", argv[1]);
    entry_chosen_by_arg = 1;
    return pc;
}

int main(int argc, char **argv)
{
    extern int vm_argc;
    extern char **vm_argv;
    vm_argc = argc;
    vm_argv = argv;
    atoms_init();
    Proc *p = proc_new();
    entry_pid = p->pid;
    p->group_leader = p->pid;
    /* erl runs `-s M F` in init's boot process, which traps exits: a linked
     * process's crash arrives as an {'EXIT', Pid, Reason} message */
    p->trap_exit = 1;
    p->pc = entry_from_args(argc, argv);
    p->cp = 1;      /* code index 1: OP_X_EXIT */
    p->live = 0;
    runq_push(p);
    scheduler_loop();
}
