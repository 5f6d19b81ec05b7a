ALPHA = "abcdefghijklmnopqrstuvwxyz"


def vigenere(text: str, key: str, sign: int) -> str:
    out: list[str] = []
    k = 0
    for ch in text:
        low = ch.lower()
        if low in ALPHA:
            shift = ALPHA.index(key[k % len(key)]) * sign
            c = ALPHA[(ALPHA.index(low) + shift) % 26]
            out.append(c.upper() if ch.isupper() else c)
            k += 1
        else:
            out.append(ch)
    return "".join(out)


msg = "Attack at Dawn! Meet me by the old Oak."
enc = vigenere(msg, "lemon", 1)
print(enc)
print(vigenere(enc, "lemon", -1) == msg)
freq = {c: enc.lower().count(c) for c in ALPHA if c in enc.lower()}
print(sorted(freq.items(), key=lambda kv: -kv[1])[:3])
