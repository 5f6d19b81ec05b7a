# unik: void __unmapself(void *base, size_t size) -- a detached thread
# unmaps its own stack and exits. A kernel returns from munmap without
# touching the user stack; a function call does not, so we first move to a
# private stack. One static stack is enough: unik has one vCPU and no
# preemption. (There are no threads in unik, so this is never reached; it
# is kept correct rather than a trap.)
	.text
	.global __unmapself
	.type   __unmapself,@function
__unmapself:
	lea     unmap_stack_top(%rip), %rsp
	mov     %rsi, %rdx          # a2 = size
	mov     %rdi, %rsi          # a1 = base
	mov     $11, %edi           # SYS_munmap
	xor     %ecx, %ecx
	xor     %r8d, %r8d
	xor     %r9d, %r9d
	sub     $8, %rsp            # keep the call 16-byte aligned
	push    $0                  # a6
	call    __unik_syscall
	mov     $60, %edi           # SYS_exit(0): this thread only
	xor     %esi, %esi
	xor     %edx, %edx
	xor     %ecx, %ecx
	xor     %r8d, %r8d
	xor     %r9d, %r9d
	movq    $0, (%rsp)          # a6 again: the callee owns its argument slots
	call    __unik_syscall
	ud2                         # exit returned: crash rather than run on
	.size   __unmapself, .-__unmapself

	.bss
	.balign 16
	# The core's system-call handler is C of unknown depth: 4 KiB, not 256 bytes.
	.skip   4096
unmap_stack_top:
