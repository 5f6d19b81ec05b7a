from collections import Counter

TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness"""


def words(text: str) -> list[str]:
    out = []
    for raw in text.split():
        w = raw.strip(".,;:!?").lower()
        if w:
            out.append(w)
    return out


def histogram(counts: dict[str, int], width: int = 30) -> list[str]:
    top = max(counts.values())
    lines = []
    for word in sorted(counts, key=counts.get, reverse=True)[:5]:
        bar = "*" * (counts[word] * width // top)
        lines.append(f"{word:>{10}} | {bar:<{width}} | {counts[word]}")
    return lines


def main() -> None:
    ws = words(TEXT)
    c = Counter(ws)
    print(len(ws), len(c), c["was"], c.most_common(3))
    for line in histogram(dict(c)):
        print(line)
    head, sep, tail = "key=value=more".partition("=")
    print(head, sep, tail, "a,b,c,d".rsplit(",", 1), "a b  c".split(" "))
    print("".join(reversed("stressed")), "Hello".swapcase(), "abc".isalpha(),
          " x ".strip() == "x", "x".join("abc"), "tEST".capitalize())
    matrix = [[1, 2, 3], [4, 5, 6]]
    print([list(col) for col in zip(*matrix)], list(zip(matrix[0], matrix[1])))
    long = [w for w in set(ws) if len(w) > 8]
    print(sorted(long), round(sum(len(w) for w in ws) / len(ws), 2))
    freq = {ch: TEXT.lower().count(ch) for ch in "aeiou"}
    print(freq, max(freq, key=lambda k: freq[k]), min(freq.values()))
    for i, w in enumerate(sorted(set(ws))[:3], start=1):
        print(f"{i:02d}. {w!s:^12}|{w.upper()!r}")
    nums = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
    print(nums.count(5), nums.index(9), sorted(set(nums))[-3:], nums[-3:][::-1])
    print("%s has %d chars, %.1f%% vowels" % ("text", len(TEXT),
                                                100 * sum(freq.values()) / len(TEXT)))


main()
