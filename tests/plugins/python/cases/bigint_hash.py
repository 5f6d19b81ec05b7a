# Big ints hash as CPython does, so sets and dicts of them behave (and print) the same.
def main() -> None:
    vals = [2 ** 61 - 1, 2 ** 61, 2 ** 64, -(2 ** 64), 10 ** 30, -(10 ** 30), 2 ** 122 - 1,
            3 ** 100, -(3 ** 100), 2 ** 63, -(2 ** 63) - 1, 2 ** 61 - 2, -(2 ** 61 - 1)]
    for v in vals:
        print(v, hash(v))
    s = set(vals)
    s.add(10 ** 30)
    s.add(2 ** 64)
    print(len(s), sorted(s)[:3])
    print(10 ** 30 in s, 10 ** 30 + 1 in s, (2 ** 61) * 1 in s)
    d: dict[int, str] = {}
    for i in range(40):
        d[2 ** (60 + i)] = str(i)
        d[-(2 ** (60 + i))] = "-" + str(i)
    print(len(d), d[2 ** 99], d[-(2 ** 75)], 2 ** 200 in d)
    print([k for k in d if k > 2 ** 97])
    seen: set[int] = set()
    x = 1
    for _ in range(200):
        x = x * 31 + 7
        seen.add(x % (10 ** 25))
    print(len(seen))
    small = {1, 2, 3, 2 ** 70}
    print(small, {2 ** 70: "a", 5: "b"})


if __name__ == "__main__":
    main()
