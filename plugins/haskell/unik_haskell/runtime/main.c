/*
 * main.c — the start of a Haskell unikernel. The core's default
 * unik_app_main starts musl, which calls main(); this hands the command line
 * to GHC's runtime with the program's Main.main, as the C main that GHC
 * generates for an executable does, but with unik's RTS options:
 *
 *  - -V0 always (first, so it cannot be lost): the non-threaded RTS's tick
 *    timer is a thread or a timer signal, and the guest has neither.
 *    Context switches then happen at heap-block boundaries instead of on a
 *    timer tick; threadDelay still works (the scheduler sleeps in select).
 *  - then the project's [haskell] rts options (generated into config.c).
 *  - `+RTS … -RTS` on the guest's command line is honoured as well.
 *
 * The RTS prints an uncaught exception as "<name>: <message>" on stderr and
 * exits 1; <name> is argv[0], the project's name (config.c defines the
 * core's __unik_image_name), as a native executable of that name would say.
 */
#include "Rts.h"

extern StgClosure ZCMain_main_closure;
extern const char unik_hs_rts_opts[];           /* config.c, generated per project */

int main(int argc, char *argv[])
{
    RtsConfig conf = defaultRtsConfig;
    conf.rts_opts_enabled = RtsOptsAll;
    conf.rts_opts = unik_hs_rts_opts;
    conf.rts_hs_main = true;
    return hs_main(argc, argv, &ZCMain_main_closure, conf);
}
