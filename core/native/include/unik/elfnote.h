/*
 * elfnote.h — an assembler macro for the image's ELF notes (.S files only).
 *
 *     UNIK_ELFNOTE Xen, 6, .asciz, "unik"
 *     UNIK_ELFNOTE Xen, 1, .quad, _unik_pv_entry
 *
 * emits one note (owner name, type, descriptor) into section .note.<name>,
 * which arch/x86_64/unik.ld keeps and places in the PT_NOTE segment. Notes
 * are 4-byte aligned (the segment's p_align is 4, which QEMU uses to find
 * the descriptor); 8-byte descriptors are fine at a 4-byte boundary.
 */
#ifndef UNIK_ELFNOTE_H
#define UNIK_ELFNOTE_H

#ifndef __ASSEMBLY__
#error "unik/elfnote.h is for assembler sources"
#endif

/* Owner "Xen" note types (Xen's public/elfnote.h). */
#define XEN_ELFNOTE_ENTRY           1
#define XEN_ELFNOTE_HYPERCALL_PAGE  2
#define XEN_ELFNOTE_VIRT_BASE       3
#define XEN_ELFNOTE_PADDR_OFFSET    4
#define XEN_ELFNOTE_XEN_VERSION     5
#define XEN_ELFNOTE_GUEST_OS        6
#define XEN_ELFNOTE_LOADER          8
#define XEN_ELFNOTE_PAE_MODE        9
#define XEN_ELFNOTE_FEATURES        10
#define XEN_ELFNOTE_PHYS32_ENTRY    18

/* Owner "unik" note types. */
#define UNIK_ELFNOTE_ABI_VERSION    1
/* On unik's runner (SIF_UNIK_RUNNER) the image reads no p2m list (pfn ==
 * mfn there): the runner then writes none and start_info.mfn_list is 0, so
 * a big guest's boot costs no 8 MiB list per 4 GiB. A 4-byte descriptor, 1. */
#define UNIK_ELFNOTE_FLAT_P2M       2
/* The image asks for RAM past the boot region (XENMEM_populate_physmap)
 * before it uses it when the runner sets SIF_UNIK_POPULATE: the runner then
 * hands RAM to KVM as the guest reaches it (boot costs what is used). 1. */
#define UNIK_ELFNOTE_POPULATE       3

.macro UNIK_ELFNOTE name, type, desctype, descdata:vararg
	.pushsection .note.\name, "a", @note
	.p2align 2
	.long 2f - 1f
	.long 4f - 3f
	.long \type
1:	.asciz "\name"
2:	.p2align 2
3:	\desctype \descdata
4:	.p2align 2
	.popsection
.endm

#endif /* UNIK_ELFNOTE_H */
