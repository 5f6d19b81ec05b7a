def reverse_words(s: str) -> str:
    return " ".join(reversed(s.split()))


def caesar(s: str, k: int) -> str:
    out: list[str] = []
    for ch in s:
        if ch.isalpha() and ch.islower():
            out.append(chr((ord(ch) - ord("a") + k) % 26 + ord("a")))
        elif ch.isupper():
            out.append(chr((ord(ch) - ord("A") + k) % 26 + ord("A")))
        else:
            out.append(ch)
    return "".join(out)


s = "  Hello, World! The quick brown fox  "
print(repr(s.strip()), s.lower(), s.upper())
print(reverse_words(s))
print(caesar("Hello, World!", 3), caesar(caesar("abcxyz", 5), 21))
print(s.replace("o", "0"), s.count("o"), s.find("World"), s.find("zzz"))
print("a,b,,c".split(","), "x y  z".split(), "k=v=w".split("=", 1))
print("-".join(["a", "b", "c"]), "abc" * 3, "abc"[1], "abcdef"[1:4], "abcdef"[::-1], "abcdef"[-2:])
print(len("héllo wörld"), "héllo"[1], "naïve".upper(), "ü" in "über")
print("abc" < "abd", "b" > "abc", "abc" == "ab" + "c", "x" != "y")
print(f"{'left':<10}|{'right':>10}|{'mid':^9}|{'z':*^5}")
print(f"{42:5d}|{42:<5}|{42:05d}|{-42:+d}|{255:x}|{255:#X}|{5:b}|{1234567:,}")
print("title case words".title(), "Cap".capitalize(), "  x ".rstrip(), "xxhixx".strip("x"))
print("hello".startswith("he"), "hello".endswith("lo"), "42".isdigit(), "4a".isdigit())
print(str(12) + str(3.5) + str(True) + str(None), repr("it's"), repr('say "hi"'))
print("a\tb\\n", repr("tab\there\n"))
print(int("  -123 "), int("ff", 16), float("2.5e3"), "abc".index("c"), "AbC".swapcase())
print("%", "100%", f"{3}{{}}", "x".center(7, "-"), "42".zfill(6), "-42".zfill(6))
words = "the cat sat on the mat the end".split()
print(sorted(set(words)), words.count("the"), max(words, key=len))
