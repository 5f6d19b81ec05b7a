/* sys.stdin and input(): lines read from fd 0 through read(2), buffered here.
   In the guest fd 0 is the host's stdin when the core provides it, an empty
   stream otherwise (then input() raises EOFError, as CPython does at the end). */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "pyrt.h"

static char in_buf[4096];
static int64_t in_pos, in_len;
static bool in_eof;

static bool in_fill(void) {
    if (in_eof) return false;
    for (;;) {
        ssize_t n = read(0, in_buf, sizeof in_buf);
        if (n > 0) {
            in_pos = 0;
            in_len = n;
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        in_eof = true;      /* end of file (or no stdin at all): '' from now on */
        return false;
    }
}

/* One line with its '\n' ('' at the end of the input): sys.stdin.readline(). */
Str *rt_stdin_readline(void) {
    Buf b = {0};
    for (;;) {
        if (in_pos == in_len && !in_fill()) break;
        char *nl = memchr(in_buf + in_pos, '\n', (size_t)(in_len - in_pos));
        int64_t n = nl ? nl - (in_buf + in_pos) + 1 : in_len - in_pos;
        rt_buf_add(&b, in_buf + in_pos, n);
        in_pos += n;
        if (nl) break;
    }
    return rt_buf_done(&b);
}

/* Everything left: sys.stdin.read(). */
Str *rt_stdin_read(void) {
    Buf b = {0};
    while (in_pos < in_len || in_fill()) {
        rt_buf_add(&b, in_buf + in_pos, in_len - in_pos);
        in_pos = in_len;
    }
    return rt_buf_done(&b);
}

/* sys.stdin.readlines() and `for line in sys.stdin`: every line, with its '\n'. */
List *rt_stdin_readlines(void) {
    List *out = rt_list_new(RK_OBJ, 0);
    for (;;) {
        Str *s = rt_stdin_readline();
        if (s->len == 0) return out;
        rt_list_append(out, rt_vp(s));
    }
}

/* input(prompt): the prompt on stdout, then a line without its '\n'; EOFError at the end. */
Str *rt_input(Str *prompt) {
    if (prompt) rt_write(1, prompt);
    fflush(stdout);
    Str *s = rt_stdin_readline();
    if (s->len == 0) rt_raise_new(&T_EOFError, "EOF when reading a line");
    if (s->data[s->len - 1] == '\n') return rt_str_new(s->data, s->len - 1);
    return s;
}
