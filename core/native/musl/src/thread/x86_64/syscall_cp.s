# unik: long __syscall_cp_asm(volatile int *cancel, long nr,
#                             long u, long v, long w, long x, long y, long z)
# The cancellable system call, as a call to __unik_syscall(nr, u, v, w, x, y, z).
#
# Contract kept from musl: if *cancel is set on entry, tail-call __cancel;
# pthread_cancel's signal handler moves a thread whose PC lies in
# [__cp_begin, __cp_end) to __cp_cancel, so that range must cover everything
# from the flag check up to and including the call, and __cp_cancel must
# work from any point inside it. The frame pointer makes that so: whatever
# was pushed for the call, `leave` restores the entry stack.
	.text
	.global __cp_begin
	.hidden __cp_begin
	.global __cp_end
	.hidden __cp_end
	.global __cp_cancel
	.hidden __cp_cancel
	.hidden __cancel
	.global __syscall_cp_asm
	.hidden __syscall_cp_asm
	.type   __syscall_cp_asm,@function
__syscall_cp_asm:
	push    %rbp                # %rsp is now 16-byte aligned
	mov     %rsp, %rbp
__cp_begin:
	mov     (%rdi), %eax
	test    %eax, %eax
	jnz     __cp_cancel
	# Arguments move down one register; y and z come from our caller's
	# stack (16(%rbp) and 24(%rbp)), z goes on ours as the 7th argument.
	mov     %rsi, %rdi          # nr
	mov     %rdx, %rsi          # u
	mov     %rcx, %rdx          # v
	mov     %r8, %rcx           # w
	mov     %r9, %r8            # x
	mov     16(%rbp), %r9       # y
	mov     24(%rbp), %rax      # z
	sub     $8, %rsp            # keep the call 16-byte aligned
	push    %rax
	call    __unik_syscall
__cp_end:
	leave
	ret
__cp_cancel:
	leave
	jmp     __cancel
	.size   __syscall_cp_asm, .-__syscall_cp_asm
