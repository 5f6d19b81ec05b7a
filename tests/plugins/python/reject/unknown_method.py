# error: 6:5: list[int] has no method push in the subset
def main() -> None:
    stack: list[int] = []
    stack.append(1)
    print(stack)
    stack.push(2)


main()
