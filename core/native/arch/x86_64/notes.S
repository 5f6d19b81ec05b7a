/*
 * notes.S — the image's ELF notes (docs/internals.md, "Guest image"),
 * except XEN_ELFNOTE_ENTRY and XEN_ELFNOTE_HYPERCALL_PAGE, which the PV
 * entry's own files (pv_*) declare next to what they point at.
 */
#include <unik/elfnote.h>

UNIK_ELFNOTE Xen, XEN_ELFNOTE_GUEST_OS,     .asciz, "unik"
UNIK_ELFNOTE Xen, XEN_ELFNOTE_XEN_VERSION,  .asciz, "xen-3.0"
UNIK_ELFNOTE Xen, XEN_ELFNOTE_LOADER,       .asciz, "generic"
UNIK_ELFNOTE Xen, XEN_ELFNOTE_VIRT_BASE,    .quad,  0
UNIK_ELFNOTE Xen, XEN_ELFNOTE_PADDR_OFFSET, .quad,  0
/* The PV guest updates its page tables through hypercalls. */
UNIK_ELFNOTE Xen, XEN_ELFNOTE_FEATURES,     .asciz, "!writable_page_tables|pae_pgdir_above_4gb"
UNIK_ELFNOTE Xen, XEN_ELFNOTE_PAE_MODE,     .asciz, "yes"
/* QEMU 7.2 reads this descriptor as a size_t: 8 bytes for an ELF64 image. */
UNIK_ELFNOTE Xen, XEN_ELFNOTE_PHYS32_ENTRY, .quad,  _unik_pvh_entry

/* The ABI version, UNIK_ABI_VERSION of unik.h (a 4-byte descriptor). */
UNIK_ELFNOTE unik, UNIK_ELFNOTE_ABI_VERSION, .long, 1
/* xen/pv_start.c reads no p2m list on the runner. */
UNIK_ELFNOTE unik, UNIK_ELFNOTE_FLAT_P2M, .long, 1
/* kernel/page.c asks the platform to populate RAM before handing it out. */
UNIK_ELFNOTE unik, UNIK_ELFNOTE_POPULATE, .long, 1

	.section .note.GNU-stack, "", @progbits
