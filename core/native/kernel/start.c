/*
 * start.c — the default unik_app_main (weak, in its own object so that a
 * runtime with its own start replaces it): a C program's main under musl.
 *
 * It builds what a Linux process finds on its initial stack — argv from
 * the command line split on spaces, an empty environment, and an auxiliary
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

__attribute__((weak)) int unik_app_main(const struct unik_start_info *si)
{
    const char *cmd = si->cmdline;
    size_t len = kstrlen(cmd);
    size_t words = 0;
    for (size_t i = 0; i < len; i++)
        if (cmd[i] != ' ' && (i == 0 || cmd[i - 1] == ' '))
            words++;

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
    for (size_t i = 0; i < len; i++) {
        if (str[i] == ' ')
            str[i] = '\0';
        else if (i == 0 || str[i - 1] == '\0')
            argv[argc++] = &str[i];
    }
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
