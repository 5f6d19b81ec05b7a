class ValidationError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


def validate(rec: dict[str, str]) -> int:
    if "name" not in rec:
        raise ValidationError("name", "missing")
    age = rec.get("age", "")
    try:
        n = int(age)
    except ValueError:
        raise ValidationError("age", f"not a number: {age!r}")
    if n < 0:
        raise ValidationError("age", "negative")
    return n


def process(recs: list[dict[str, str]]) -> tuple[int, list[str]]:
    ok = 0
    errors: list[str] = []
    for r in recs:
        try:
            validate(r)
            ok += 1
        except ValidationError as e:
            errors.append(f"{e.field} -> {e}")
        finally:
            pass
    return ok, errors


good, bad = process([{"name": "a", "age": "3"}, {"age": "4"}, {"name": "b", "age": "x"},
                     {"name": "c", "age": "-1"}, {"name": "d", "age": "10"}])
print(good, bad)
try:
    validate({"name": "z", "age": "q"})
except ValueError as e:
    print("caught as ValueError:", e, isinstance(e, ValidationError))


def depth_first(n: int) -> int:
    try:
        if n == 0:
            raise LookupError("bottom")
        return depth_first(n - 1) + 1
    finally:
        if n % 2 == 0:
            print("unwinding", n)


try:
    depth_first(4)
except LookupError as e:
    print("got", e)
