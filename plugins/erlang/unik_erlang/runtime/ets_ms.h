/* ets_ms.h — match specifications and match patterns (ets_ms.c). */
#ifndef ERL_ETS_MS_H
#define ERL_ETS_MS_H

#include "vm.h"

/* a list of {Head, Guards, Body} (what erl's ets:select accepts syntactically) */
int ms_valid(Term ms);
/* the first matching clause's result for obj (may share parts with obj), or NONV */
Term ms_run(Proc *p, Term ms, Term obj);
/* ets:match pattern: 1 if obj matches; *vars_out: the '$N' bindings in order of N */
int ms_pattern_match(Term pat, Term obj, Term *vars_out, Proc *p);

#endif
