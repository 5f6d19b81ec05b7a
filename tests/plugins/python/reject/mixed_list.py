# error: 3:21: expected int, got str
def main() -> None:
    values = [1, 2, "three"]
    print(values)


main()
