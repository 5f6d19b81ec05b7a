def total(*nums: int) -> int:
    s = 0
    for n in nums:
        s += n
    return s


def describe(name: str, *tags: str, sep: str = ", ", **attrs: int) -> str:
    out = name
    if tags:
        out += " [" + sep.join(tags) + "]"
    for k, v in attrs.items():
        out += f" {k}={v}"
    return out


def stats(*xs: float) -> tuple[float, float]:
    return min(xs), max(xs)


class Logger:
    def __init__(self, prefix: str, *levels: str) -> None:
        self.prefix = prefix
        self.levels = levels

    def say(self, *words: str, **opts: bool) -> None:
        text = " ".join(words)
        if opts.get("upper", False):
            text = text.upper()
        print(self.prefix, text, self.levels)


def point() -> tuple[int, int]:
    return 3, 4


def add(a: int, b: int) -> int:
    return a + b


def main() -> None:
    print(total(), total(1), total(1, 2, 3))
    nums = [4, 5, 6]
    print(total(*nums), total(1, *nums))
    print(describe("x"), describe("y", "a", "b"), describe("z", "p", sep="/", w=3, h=4))
    opts = {"depth": 2}
    print(describe("w", **opts))
    print(stats(1.5, -2.0, 8.25))
    lg = Logger("[log]", "info", "warn")
    lg.say("hello", "world")
    lg.say("quiet", upper=True)
    print(add(*point()))
    t: tuple[int, ...] = (1, 2, 3)
    t2 = t + (4,)
    print(t, t2, len(t2), t2[1:], t2[-1], 3 in t2, sum(t2), sorted(t2, reverse=True))
    u = tuple(x * x for x in range(4))
    print(u, tuple("abc"), tuple([2, 1]) < (2, 3), hash(u) == hash((0, 1, 4, 9)))
    print(*nums)
    print(*nums, sep="-")
    print("vals:", *[1.5, 2.5], "end", sep=" | ")
    empty: tuple[str, ...] = ()
    print(empty, len(empty), bool(empty), {t: "key"}[(1, 2, 3)])


main()
