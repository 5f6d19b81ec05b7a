TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness"""


def normalize(word: str) -> str:
    return word.strip(".,;:!?").lower()


def count_words(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in text.splitlines():
        for raw in line.split():
            w = normalize(raw)
            if w:
                counts[w] = counts.get(w, 0) + 1
    return counts


counts = count_words(TEXT)
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
for word, n in top:
    print(f"{word:>8} {n:3d} {'#' * n}")
print(len(counts), sum(counts.values()))
lengths: dict[int, list[str]] = {}
for w in sorted(counts):
    lengths.setdefault(len(w), []).append(w)
for k in sorted(lengths):
    print(k, ",".join(lengths[k]))
