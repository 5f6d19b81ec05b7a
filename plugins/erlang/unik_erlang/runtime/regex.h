/*
 * regex.h — the guest's own regular-expression engine, behind OTP's `re`
 * BIFs (bif_re.c). A Perl/PCRE-syntax pattern is compiled to a small
 * program of instructions and run by a backtracking matcher with a step
 * limit, so a runaway pattern ends with RX_LIMIT instead of hanging.
 */
#ifndef ERL_REGEX_H
#define ERL_REGEX_H

#include <stddef.h>
#include <stdint.h>

/* compile options (the bits of re's option atoms this engine honours) */
#define RXO_UNICODE    0x01
#define RXO_CASELESS   0x02
#define RXO_MULTILINE  0x04
#define RXO_DOTALL     0x08
#define RXO_EXTENDED   0x10
#define RXO_ANCHORED   0x20
#define RXO_UNGREEDY   0x40
#define RXO_DOLLAR_END 0x80
#define RXO_NO_AUTO_CAPTURE 0x100

/* run options */
#define RXR_NOTBOL     0x01
#define RXR_NOTEOL     0x02
#define RXR_NOTEMPTY   0x04
#define RXR_NOTEMPTY_ATSTART 0x08
#define RXR_ANCHORED   0x10

enum { RX_NOMATCH = 0, RX_MATCH = 1, RX_LIMIT = -1 };

typedef struct Regex Regex;

/* NULL on a bad pattern, with PCRE's message and byte offset in *err, *errpos */
Regex *rx_compile(const uint8_t *pat, size_t n, unsigned opts, const char **err, size_t *errpos);
void rx_free(Regex *r);
int rx_groups(const Regex *r);                     /* capturing groups, not counting 0 */
int rx_names(const Regex *r, const char ***names, const int **nums);   /* sorted by name */
/* ovec gets 2*(groups+1) byte offsets (-1 when unset); *last = highest set group + 1 */
int rx_exec(const Regex *r, const uint8_t *s, size_t n, size_t start, unsigned ropts,
            uint64_t limit, long *ovec, int *last);
int rx_utf8_valid(const uint8_t *s, size_t n);
size_t rx_char_len(const Regex *r, const uint8_t *s, size_t n, size_t at);

#endif
