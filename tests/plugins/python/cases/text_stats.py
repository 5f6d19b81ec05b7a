POEM = """Two roads diverged in a yellow wood,
And sorry I could not travel both
And be one traveler, long I stood
And looked down one as far as I could
To where it bent in the undergrowth;"""

lines = POEM.split("\n")
print(len(lines), [len(l) for l in lines])
vowels = set("aeiou")
for l in lines:
    v = sum(1 for ch in l.lower() if ch in vowels)
    print(f"{l[:20]:<20}|{v:>3}|{l.count(' ') + 1:>3}")
letters: dict[str, int] = {}
for ch in POEM.lower():
    if ch.isalpha():
        letters[ch] = letters.get(ch, 0) + 1
common = sorted(letters, key=lambda c: (-letters[c], c))[:5]
print(common, [letters[c] for c in common])
print(POEM.upper()[:15], POEM.title()[:15], POEM[::-1][:10])
acr = "".join(w[0] for w in lines[0].split()).upper()
print(acr, lines[1].startswith("And"), lines[-1].endswith(";"), "wood" in POEM)
