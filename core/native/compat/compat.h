/*
 * compat.h — the glibc-compatibility layer (core/native/compat/): what
 * Debian's static libraries, built against glibc, reference and musl does
 * not define. One file per family; every definition is weak, so a language
 * plugin may bring its own. A failed _FORTIFY_SOURCE check ends the guest
 * as glibc ends the process: "*** buffer overflow detected ***: terminated"
 * on stderr, then abort (status 126).
 */
#ifndef UNIK_COMPAT_H
#define UNIK_COMPAT_H

#include <stddef.h>

#define COMPAT __attribute__((weak))

/* fortify_fail.c */
__attribute__((noreturn)) void compat_chk_fail(void);
__attribute__((noreturn)) void compat_fatal(const char *msg);

#endif /* UNIK_COMPAT_H */
