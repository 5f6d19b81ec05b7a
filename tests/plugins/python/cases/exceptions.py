class AppError(Exception):
    pass


class ParseError(AppError):
    def __init__(self, line: int, msg: str) -> None:
        super().__init__(f"line {line}: {msg}")
        self.line = line


def parse(s: str) -> int:
    if not s:
        raise ParseError(1, "empty")
    if not s.isdigit():
        raise ValueError(f"not a number: {s!r}")
    return int(s)


for text in ["12", "", "x1", "7"]:
    try:
        print("parsed", parse(text))
    except ParseError as e:
        print("ParseError", e, e.line)
    except ValueError as e:
        print("ValueError", e)
    else:
        print("no error")
    finally:
        print("done", text)


def divide(a: int, b: int) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        print("division by zero")
        return 0.0
    finally:
        print("finally runs before return")


print(divide(1, 2), divide(1, 0))
try:
    [1, 2, 3][10]
except IndexError as e:
    print("IndexError:", e)
try:
    d: dict[str, int] = {}
    d["missing"]
except LookupError as e:
    print("LookupError:", e)
try:
    raise AppError("plain")
except (KeyError, AppError) as e:
    print("caught", repr(e))
try:
    try:
        raise RuntimeError("inner")
    except RuntimeError:
        print("re-raising")
        raise
except Exception as e:
    print("outer got", e)
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("loop", i)
    finally:
        print("cleanup", i)
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
x = int("42")
print(x)
raise ParseError(99, "fatal")
