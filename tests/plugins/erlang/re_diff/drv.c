/* Host driver for the differential test of runtime/regex.c: each input line is
   "OPTS PATTERN-HEX SUBJECT-HEX"; prints re:run(S, P, [global]) in erl's ~w
   form, "nomatch", "limit" or "error POS", stepping past empty matches as
   bif_re.c does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "regex.h"

static size_t unhex(const char *h, uint8_t *o)
{
    size_t n = 0;
    while (h[0] && h[1] && h[0] != '\n' && h[0] != ' ') {
        unsigned v;
        sscanf(h, "%2x", &v);
        o[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

int main(void)
{
    static char line[40000], out[40000];
    static uint8_t p[10000], s[10000];
    while (fgets(line, sizeof line, stdin)) {
        unsigned o = (unsigned)atoi(line);
        char *t = strchr(line, ' ') + 1, *u = strchr(t, ' ') + 1;
        size_t pn = unhex(t, p), sn = unhex(u, s);
        const char *e;
        size_t ep;
        Regex *r = rx_compile(p, pn, o, &e, &ep);
        if (!r) { printf("error %zu\n", ep); continue; }
        long ov[400];
        int last, we = 0, any = 0, lim = 0;
        size_t at = 0, k = (size_t)sprintf(out, "{match,[");
        for (;;) {
            int rc = rx_exec(r, s, sn, at, we ? (RXR_NOTEMPTY_ATSTART | RXR_ANCHORED) : 0, 10000000, ov, &last);
            if (rc < 0) { lim = 1; break; }
            if (rc == 0) {
                if (!we) break;
                at += rx_char_len(r, s, sn, at);
                we = 0;
                if (at > sn) break;
                continue;
            }
            k += (size_t)sprintf(out + k, "%s[", any ? "," : "");
            any = 1;
            for (int g = 0; g < last; g++)
                k += (size_t)sprintf(out + k, "%s{%ld,%ld}", g ? "," : "", ov[2 * g], ov[2 * g] < 0 ? 0 : ov[2 * g + 1] - ov[2 * g]);
            k += (size_t)sprintf(out + k, "]");
            we = ov[0] == ov[1] && (size_t)ov[0] == at;
            at = (size_t)ov[1];
            if (ov[0] == ov[1] && !we) {
                at += rx_char_len(r, s, sn, at);
                if (at > sn) break;
            }
        }
        if (lim && !any) printf("limit\n");
        else if (!any) printf("nomatch\n");
        else printf("%s]}\n", out);
        rx_free(r);
    }
    return 0;
}
