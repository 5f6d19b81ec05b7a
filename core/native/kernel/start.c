/*
 * start.c — the default unik_app_main (weak, in its own object so that a
 * runtime with its own start replaces it): a C program's main under musl.
 *
 * It builds what a Linux process finds on its initial stack — argv from
 * the command line split into words with shell quoting (split_words), the
 * environment, and an auxiliary vector — and calls musl's __libc_start_main,
 * which initialises TLS and stdio, runs constructors and calls
 * exit(main(argc, argv, envp)).
 *
 * The environment travels in the command line (the one string every host
 * passes: Xen's start_info cmd_line, QEMU's -append, xl's extra=): when the
 * words before the first `--` word are all NAME=VALUE (NAME a C identifier),
 * they are the environment and the words after `--` are the arguments, as
 * Linux hands init its environment; otherwise every word is an argument.
 * `unik run -e` writes `NAME=VALUE… -- ARGS`, and a lone leading `--` when
 * the arguments themselves hold a `--` word.
 * argv[0] is the image name when the image linker defines __unik_image_name
 * (a weak reference here), else "unik".
 *
 * The auxiliary vector: AT_PAGESZ; AT_RANDOM (16 bytes from getrandom);
 * AT_PHDR/AT_PHENT/AT_PHNUM for a one-entry program header table holding
 * the image's PT_TLS (from the linker script's symbols), which musl's static
 * TLS setup reads (the ELF headers are not in memory); AT_UID … AT_EGID = 0
 * and AT_SECURE = 0; AT_EXECFN; AT_NULL.
 */
#include <unik/kernel.h>

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define PT_TLS 7
#define PF_R 4

struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

extern int main(int, char **, char **);
extern int __libc_start_main(int (*)(int, char **, char **), int, char **,
                             void (*)(void), void (*)(void), void (*)(void));
extern const char __unik_image_name[] __attribute__((weak));

static struct elf64_phdr tls_phdr;
static unsigned char at_random[16];

/*
 * Splits the command line into words as a POSIX shell does for quoting only:
 * words are separated by spaces, tabs or newlines; '…' keeps everything up
 * to the next ' literally; "…" keeps everything but \" \\ (a backslash before
 * another character stays); outside quotes a backslash keeps the next
 * character. So `a 'b c' ""` is three words, the last one empty — what
 * `unik run -- ARGS` passes when it quotes each argument (shlex.quote). An
 * unterminated quote runs to the end of the line. Words are written over
 * `str` in place (never longer than the input); returns the word count and
 * stores each word's start in `words` when it is not NULL.
 */
static size_t split_words(char *str, char **words)
{
    const char *in = str;
    char *out = str;
    size_t n = 0;
    for (;;) {
        while (*in == ' ' || *in == '\t' || *in == '\n')
            in++;
        if (!*in)
            return n;
        char *word = out;
        while (*in && *in != ' ' && *in != '\t' && *in != '\n') {
            if (*in == '\'') {
                for (in++; *in && *in != '\''; )
                    *out++ = *in++;
                if (*in)
                    in++;
            } else if (*in == '"') {
                for (in++; *in && *in != '"'; ) {
                    if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
                        in++;
                    *out++ = *in++;
                }
                if (*in)
                    in++;
            } else {
                if (*in == '\\' && in[1])
                    in++;
                *out++ = *in++;
            }
        }
        if (words)
            words[n] = word;
        n++;
        /* the terminator may overwrite the separator just read, never unread input */
        if (*in)
            in++;
        *out++ = '\0';
    }
}

/* NAME=VALUE with NAME a C identifier (a letter or '_', then letters, digits, '_'). */
static int is_env_word(const char *w)
{
    if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_'))
        return 0;
    for (w++; *w != '='; w++)
        if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_' ||
              (*w >= '0' && *w <= '9')))
            return 0;
    return 1;
}

/* The number of environment words before the `--` that ends them, or -1 when
 * the words are all arguments (no `--`, or a word before it is not NAME=VALUE). */
static long env_words(char *const *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w[i][0] == '-' && w[i][1] == '-' && w[i][2] == '\0')
            return (long)i;
        if (!is_env_word(w[i]))
            return -1;
    }
    return -1;
}

__attribute__((weak)) int unik_app_main(const struct unik_start_info *si)
{
    const char *cmd = si->cmdline;
    size_t len = kstrlen(cmd);
    /* Count the words on a scratch copy first: the vector's size depends on it. */
    size_t words = 0;
    {
        size_t scratch_pages = ALIGN_UP(len + 1, UNIK_PAGE_SIZE) / UNIK_PAGE_SIZE;
        char *scratch = (char *)(uintptr_t)page_alloc(scratch_pages);
        if (!scratch)
            kpanic("unik: no memory for the command line");
        kmemcpy(scratch, cmd, len + 1);
        words = split_words(scratch, NULL);
        page_free((uintptr_t)scratch, scratch_pages);
    }

    /* argv[0..argc), NULL, envp[], NULL, auxv pairs; then the words as split
     * (their pointers first land past the auxv, then move into place); then
     * the split strings. */
    enum { NAUX = 11 };
    size_t ptrs = 1 + words + 1 + 1 + 2 * (NAUX + 1);
    size_t vec = (ptrs + words) * sizeof(char *);
    size_t pages = ALIGN_UP(vec + len + 1, UNIK_PAGE_SIZE) / UNIK_PAGE_SIZE;
    char **argv = (char **)(uintptr_t)page_alloc(pages);
    if (!argv)
        kpanic("unik: no memory for the command line");
    char *str = (char *)argv + vec;
    kmemcpy(str, cmd, len + 1);

    char **split = argv + ptrs;
    split_words(str, split);
    long nenv = env_words(split, words);
    size_t first_arg = nenv < 0 ? 0 : (size_t)nenv + 1;
    int argc = 0;
    argv[argc++] = (char *)(__unik_image_name ? __unik_image_name : "unik");
    for (size_t i = first_arg; i < words; i++)
        argv[argc++] = split[i];
    char **p = &argv[argc];
    *p++ = NULL;                        /* end of argv */
    for (long i = 0; i < nenv; i++)
        *p++ = split[i];
    *p++ = NULL;                        /* end of the environment */

    tls_phdr = (struct elf64_phdr){
        .p_type = PT_TLS,
        .p_flags = PF_R,
        .p_vaddr = (uint64_t)(uintptr_t)__tls_start,
        .p_paddr = (uint64_t)(uintptr_t)__tls_start,
        .p_filesz = (uint64_t)(__tls_data_end - __tls_start),
        .p_memsz = (uint64_t)(__tls_end - __tls_start),
        .p_align = (uint64_t)(uintptr_t)__tls_align,
    };
    random_fill(at_random, sizeof at_random);
    uintptr_t *aux = (uintptr_t *)p;
    const uintptr_t pairs[2 * NAUX] = {
        AT_PHDR, (uintptr_t)&tls_phdr, AT_PHENT, sizeof tls_phdr, AT_PHNUM, 1,
        AT_PAGESZ, UNIK_PAGE_SIZE, AT_RANDOM, (uintptr_t)at_random,
        AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
        AT_EXECFN, (uintptr_t)argv[0],
    };
    for (size_t i = 0; i < 2 * NAUX; i++)
        aux[i] = pairs[i];
    aux[2 * NAUX] = AT_NULL;
    aux[2 * NAUX + 1] = 0;
    return __libc_start_main(main, argc, argv, NULL, NULL, NULL);
}
