import string
import sys
from collections import Counter

SAMPLE = """It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness,
it was the epoch of belief, it was the epoch of incredulity."""


def words(text: str) -> list[str]:
    kept = "".join(c for c in text if c not in string.punctuation)
    return [w.lower() for w in kept.split()]


def main() -> None:
    data = sys.stdin.read()
    if not data.strip():
        data = SAMPLE
    lines = data.splitlines()
    ws = words(data)
    counts = Counter(ws)
    print(f"{len(lines)} lines, {len(ws)} words, {len(counts)} distinct")
    for word, n in counts.most_common(5):
        bar = "#" * n
        print(f"{word:<12}{n:>3} {bar}")
    longest = max(ws, key=len)
    print("longest:", longest, "| avg length: %.2f" % (sum(map(len, ws)) / len(ws)))
    caps = {c for c in data if c in string.ascii_uppercase}
    print("capitals:", sorted(caps), "digits:", sum(c in string.digits for c in data))
    for i, line in enumerate(lines, 1):
        print(f"{i:02d}: {line[:30]!r}")


main()
