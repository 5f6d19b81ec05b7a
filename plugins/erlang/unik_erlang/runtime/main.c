/*
 * main.c — the start of an Erlang unikernel: musl calls main(); the entry
 * function the build chose (image.h: erl_entry_pc) runs as the first process,
 * and the scheduler runs until no process can run (exit 0), the entry process
 * crashes (exit 1) or someone calls halt/1.
 */
#include "vm.h"

extern Term entry_pid;

int main(void)
{
    atoms_init();
    Proc *p = proc_new();
    entry_pid = p->pid;
    p->group_leader = p->pid;
    p->pc = erl_entry_pc;
    p->cp = 1;      /* code index 1: OP_X_EXIT */
    p->live = 0;
    runq_push(p);
    scheduler_loop();
}
