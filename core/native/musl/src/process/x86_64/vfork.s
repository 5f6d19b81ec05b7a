# unik: pid_t vfork(void), asked of the core (which answers -ENOSYS: there
# are no processes), with errno set by __syscall_ret like any other call.
# musl's original keeps the return address in a register because a real
# vfork child would clobber the shared stack; a core that ever served vfork
# would need its own entry, not this call.
	.global vfork
	.type   vfork,@function
vfork:
	mov     $58, %edi           # SYS_vfork
	xor     %esi, %esi
	xor     %edx, %edx
	xor     %ecx, %ecx
	xor     %r8d, %r8d
	xor     %r9d, %r9d
	push    $0                  # a6; also aligns %rsp for the call
	call    __unik_syscall
	add     $8, %rsp
	mov     %rax, %rdi
	.hidden __syscall_ret
	jmp     __syscall_ret
	.size   vfork, .-vfork
