stack: list[int] = []
for i in range(3):
    stack.append(i * i)
while True:
    print(stack.pop())
