/*
 * start.c — the default unik_app_main (weak, in its own object so that a
 * runtime with its own start replaces it): a C program's main under musl.
 *
 * It builds what a Linux process finds on its initial stack — argv from
 * the command line split into words with shell quoting (split_words), an empty environment, and an auxiliary
 * vector — and calls musl's __libc_start_main, which initialises TLS and
 * stdio, runs constructors and calls exit(main(argc, argv, envp)).
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

    /* argv[0..argc), NULL, envp NULL, auxv pairs; then the split strings. */
    enum { NAUX = 11 };
    size_t vec = (1 + words + 1 + 1 + 2 * (NAUX + 1)) * sizeof(char *);
    size_t pages = ALIGN_UP(vec + len + 1, UNIK_PAGE_SIZE) / UNIK_PAGE_SIZE;
    char **argv = (char **)(uintptr_t)page_alloc(pages);
    if (!argv)
        kpanic("unik: no memory for the command line");
    char *str = (char *)argv + vec;
    kmemcpy(str, cmd, len + 1);

    int argc = 0;
    argv[argc++] = (char *)(__unik_image_name ? __unik_image_name : "unik");
    argc += (int)split_words(str, &argv[1]);
    char **p = &argv[argc];
    *p++ = NULL;                        /* end of argv */
    *p++ = NULL;                        /* empty environment */

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
