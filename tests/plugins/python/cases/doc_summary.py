"""Summarise a document: sentence count, longest sentence, top words."""

DOC = ("Unikernels are specialised virtual machines. They link one application with "
       "just the operating system pieces it needs. The result boots fast. It is small. "
       "It has a tiny attack surface, because there is no shell and no other program.")
STOP = {"the", "it", "is", "a", "and", "no", "are", "with", "they", "one", "has", "there"}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in text.split(".") if s.strip()]


def words(s: str) -> list[str]:
    return [w.strip(",").lower() for w in s.split()]


ss = sentences(DOC)
print(len(ss), max(ss, key=len))
freq: dict[str, int] = {}
for s in ss:
    for w in words(s):
        if w not in STOP and len(w) > 3:
            freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
print([len(words(s)) for s in ss], sum(len(words(s)) for s in ss))
