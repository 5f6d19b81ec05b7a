# unik: int __set_thread_area(void *tp) becomes arch_prctl(ARCH_SET_FS, tp)
# asked of the core: only the core knows how to load the FS base where it
# runs (wrfsbase at CPL3, the MSR in ring 0, the runner's SREGS). This runs
# before TLS exists, which __unik_syscall allows.
	.text
	.global __set_thread_area
	.hidden __set_thread_area
	.type   __set_thread_area,@function
__set_thread_area:
	mov     %rdi, %rdx          # a2 = tp
	mov     $0x1002, %esi       # a1 = ARCH_SET_FS
	mov     $158, %edi          # n  = SYS_arch_prctl
	xor     %ecx, %ecx
	xor     %r8d, %r8d
	xor     %r9d, %r9d
	push    $0                  # a6; also makes %rsp 16-byte aligned for the call
	call    __unik_syscall
	add     $8, %rsp
	ret                         # -errno or 0, as musl expects
	.size   __set_thread_area, .-__set_thread_area
