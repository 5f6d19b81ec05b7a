/*
 * main.c — the start of an OCaml unikernel. The core's default unik_app_main
 * starts musl, which calls main(); caml_main runs every module's top level
 * (the program, then the generated entry that calls Unik.run on the
 * unikernel's main). An uncaught exception prints itself and, with the
 * backtrace recording switched on here, where it was raised; it exits 2.
 */
#include <stdlib.h>

#define CAML_NAME_SPACE
#include <caml/callback.h>

extern void caml_do_exit(int retcode);   /* caml/sys.h, which wants CAML_INTERNALS */

int main(int argc, char **argv)
{
    static char *no_args[] = {"unikernel", NULL};
    if (argc < 1 || argv == NULL || argv[0] == NULL)
        argv = no_args;
    /* Record backtraces (OCAMLRUNPARAM=b) unless the guest's environment says otherwise. */
    setenv("OCAMLRUNPARAM", "b", 0);
    caml_main(argv);
    caml_do_exit(0);   /* flushes OCaml's channels, runs at_exit, then exit(0) */
    return 0;
}
