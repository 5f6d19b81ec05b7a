def rpn(expr: str) -> float:
    stack: list[float] = []
    for tok in expr.split():
        if tok in ("+", "-", "*", "/"):
            if len(stack) < 2:
                raise ValueError(f"stack underflow at {tok!r}")
            b = stack.pop()
            a = stack.pop()
            if tok == "+":
                stack.append(a + b)
            elif tok == "-":
                stack.append(a - b)
            elif tok == "*":
                stack.append(a * b)
            else:
                stack.append(a / b)
        else:
            stack.append(float(tok))
    if len(stack) != 1:
        raise ValueError(f"{len(stack)} values left")
    return stack[0]


for e in ["3 4 +", "5 1 2 + 4 * + 3 -", "2 3 4 * +", "1 +", "1 2", "4 2 /", "x 1 +"]:
    try:
        print(e, "=>", rpn(e))
    except ValueError as err:
        print(e, "=> error:", err)
