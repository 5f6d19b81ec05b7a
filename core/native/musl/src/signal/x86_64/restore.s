# unik: __restore_rt, the sa_restorer musl installs with every handler.
# A signal handler returns here with %rsp pointing at the signal frame
# (ucontext + siginfo), which rt_sigreturn would find at %rsp in a kernel.
# A call moves %rsp, so the frame's address is passed to the core as the
# first argument: __unik_syscall(SYS_rt_sigreturn, frame, 0, ...).
	# Unwinders look a return address up at pc-1; for a signal frame that
	# address is __restore_rt itself, so keep one byte of code before it.
	nop
	.global __restore_rt
	.hidden __restore_rt
	.type   __restore_rt,@function
__restore_rt:
	mov     %rsp, %rsi          # a1 = the signal frame
	and     $-16, %rsp          # the frame's alignment is the signal sender's business
	mov     $15, %edi           # SYS_rt_sigreturn
	xor     %edx, %edx
	xor     %ecx, %ecx
	xor     %r8d, %r8d
	xor     %r9d, %r9d
	sub     $8, %rsp
	push    $0                  # a6
	call    __unik_syscall
	ud2                         # rt_sigreturn does not return
	.size   __restore_rt, .-__restore_rt
