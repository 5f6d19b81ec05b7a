/*
 * main.c — the start of a Haskell unikernel. The core's default
 * unik_app_main starts musl, which calls main(); this hands the command line
 * to GHC's runtime with the program's Main.main, as the C main that GHC
 * generates for an executable does, but with unik's RTS options:
 *
 *  - -V0 always (first): the non-threaded RTS's tick timer is a thread or a
 *    timer signal, and the guest has neither. Context switches then happen
 *    at heap-block boundaries instead of on a timer tick; threadDelay still
 *    works (the scheduler sleeps in select).
 *  - then the project's [haskell] rts options (generated into config.c);
 *  - `+RTS … -RTS` on the guest's command line is honoured as well.
 *
 * The RTS prints an uncaught exception as "<name>: <message>" on stderr and
 * exits 1; <name> is argv[0], the project's name (config.c defines the
 * core's __unik_image_name), as a native executable of that name would say.
 *
 * Out of memory: natively the heap grows until Linux refuses (or kills the
 * process); here, until the guest's RAM is used up, when the RTS cannot
 * commit another megablock. GHC reports that as an "internal error … please
 * report this as a GHC bug" and aborts; instead the program stops the way a
 * -M heap limit would stop it (status 251, which unik reports as 123), with
 * a line that says what to do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "Rts.h"

extern StgClosure ZCMain_main_closure;
extern const char unik_hs_rts_opts[];           /* config.c, generated per project */

static const char *prog = "haskell";
static RtsMsgFunction *fatal_default;

static void fatal(const char *fmt, va_list ap)
{
    static const char commit[] = "Unable to commit";
    if (strncmp(fmt, commit, sizeof commit - 1) == 0) {
        fprintf(stderr, "%s: out of memory: the guest's RAM is used up (give it more with "
                "`unik run --memory MiB` or [run] memory in unik.toml, or bound the heap "
                "with +RTS -M)\n", prog);
        stg_exit(EXIT_HEAPOVERFLOW);
    }
    fatal_default(fmt, ap);
}

int main(int argc, char *argv[])
{
    static char opts[512];
    snprintf(opts, sizeof opts, "-V0 %s", unik_hs_rts_opts);
    if (argc > 0 && argv[0])
        prog = argv[0];
    fatal_default = fatalInternalErrorFn;
    fatalInternalErrorFn = fatal;

    RtsConfig conf = defaultRtsConfig;
    conf.rts_opts_enabled = RtsOptsAll;
    conf.rts_opts = opts;
    conf.rts_hs_main = true;
    return hs_main(argc, argv, &ZCMain_main_closure, conf);
}
