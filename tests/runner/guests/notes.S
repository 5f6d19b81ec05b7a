/* The Xen notes a loader wants besides the PV entry's own (pv_entry.S): the
 * image's notes.S carries them in real images; the bare guest has its own. */
    .section .note.Xen.bare, "a", @note
    .balign 4
    .long 4, 5, 6                   /* XEN_ELFNOTE_GUEST_OS */
    .asciz "Xen"
    .asciz "unik"
    .balign 4
    .long 4, 8, 5                   /* XEN_ELFNOTE_XEN_VERSION */
    .asciz "Xen"
    .asciz "xen-3.0"
    .balign 4
    .long 4, 8, 8                   /* XEN_ELFNOTE_LOADER */
    .asciz "Xen"
    .asciz "generic"
    .balign 4
    .long 4, 4, 9                   /* XEN_ELFNOTE_PAE_MODE */
    .asciz "Xen"
    .asciz "yes"
    .balign 4
