from collections import Counter

text = "the rain in spain stays mainly in the plain in the end"
c = Counter(text.split())
print(c.most_common(3))
print(c["in"], c["the"], c["nothing"], len(c))
letters = Counter(ch for ch in text if ch != " ")
print(letters.most_common(4), sum(letters.values()))
rolls = Counter([1, 3, 3, 6, 6, 6, 2])
for face in range(1, 7):
    print(face, "*" * rolls[face])
