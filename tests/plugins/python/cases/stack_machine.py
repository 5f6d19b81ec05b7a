class VM:
    def __init__(self, code: list[tuple[str, int]]) -> None:
        self.code = code
        self.stack: list[int] = []
        self.pc = 0
        self.out: list[int] = []

    def run(self, limit: int) -> int:
        steps = 0
        while self.pc < len(self.code) and steps < limit:
            op, arg = self.code[self.pc]
            self.pc += 1
            steps += 1
            if op == "push":
                self.stack.append(arg)
            elif op == "add":
                b, a = self.stack.pop(), self.stack.pop()
                self.stack.append(a + b)
            elif op == "mul":
                b, a = self.stack.pop(), self.stack.pop()
                self.stack.append(a * b)
            elif op == "dup":
                self.stack.append(self.stack[-1])
            elif op == "jnz":
                if self.stack.pop() != 0:
                    self.pc = arg
            elif op == "print":
                self.out.append(self.stack[-1])
            elif op == "dec":
                self.stack[-1] -= 1
            elif op == "swap":
                self.stack[-1], self.stack[-2] = self.stack[-2], self.stack[-1]
            else:
                raise RuntimeError(f"bad op {op}")
        return steps


# factorial of 10: acc n -> loop
prog = [("push", 1), ("push", 10), ("dup", 0), ("jnz", 5), ("push", 0), ("swap", 0), ("dup", 0),
        ("push", 0), ("add", 0), ("swap", 0), ("print", 0)]
vm = VM([("push", 5), ("print", 0), ("dec", 0), ("dup", 0), ("jnz", 1)])
print(vm.run(100), vm.out, vm.stack)
vm2 = VM([("push", 2), ("push", 3), ("mul", 0), ("print", 0), ("push", 4), ("add", 0), ("print", 0)])
print(vm2.run(100), vm2.out)
try:
    VM([("nop", 0)]).run(10)
except RuntimeError as e:
    print("error:", e)
print(len(prog))
