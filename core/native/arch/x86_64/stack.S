/* stack.S — arch_call_on_stack(top, fn, arg): run fn(arg) on a new stack. */
	.section .text.arch_call_on_stack, "ax", @progbits
	.globl arch_call_on_stack
	.type arch_call_on_stack, @function
arch_call_on_stack:
	mov	%rdi, %rsp
	xor	%ebp, %ebp
	mov	%rdx, %rdi
	call	*%rsi
	ud2
	.size arch_call_on_stack, . - arch_call_on_stack

	.section .note.GNU-stack, "", @progbits
