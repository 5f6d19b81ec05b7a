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
 * stdout is line-buffered, as on a terminal: GHC would pick block buffering
 * (the console is no tty to isatty), and a unikernel's log lines would then
 * only appear at exit. The program may still hSetBuffering it otherwise.
 * Starting the program is therefore done here with the RTS's public API
 * (RtsAPI.h) instead of hs_main: init, set the buffering, run
 * :Main.main (GHC's runMainIO around main, which handles uncaught
 * exceptions and exitWith), shut down with its status.
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
extern StgClosure base_GHCziIOziHandle_hSetBuffering_closure;
extern StgClosure base_GHCziIOziHandleziFD_stdout_closure;
extern StgClosure base_GHCziIOziHandleziTypes_LineBuffering_closure;
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
    hs_init_ghc(&argc, &argv, conf);

    Capability *cap = rts_lock();
    HaskellObj line_buffered = rts_apply(cap, rts_apply(cap,
        (HaskellObj)&base_GHCziIOziHandle_hSetBuffering_closure,
        (HaskellObj)&base_GHCziIOziHandleziFD_stdout_closure),
        (HaskellObj)&base_GHCziIOziHandleziTypes_LineBuffering_closure);
    rts_evalIO(&cap, line_buffered, NULL);
    rts_evalLazyIO(&cap, (HaskellObj)&ZCMain_main_closure, NULL);
    SchedulerStatus st = rts_getSchedStatus(cap);
    rts_unlock(cap);

    int status;
    switch (st) {
    case Success:
        status = EXIT_SUCCESS;
        break;
    case HeapExhausted:
        status = EXIT_HEAPOVERFLOW;
        break;
    case Interrupted:
        status = EXIT_INTERRUPTED;
        break;
    default:                    /* Killed: runMainIO lets nothing escape, but be safe */
        errorBelch("main thread exited (uncaught exception)");
        status = EXIT_KILLED;
        break;
    }
    shutdownHaskellAndExit(status, 0);
}
