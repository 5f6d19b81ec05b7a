def checksum(data: bytes) -> int:
    total = 0
    for b in data:
        total = (total + b) & 0xFF
    return total


def xor(data: bytes, key: int) -> bytes:
    return bytes([b ^ key for b in data])


def main() -> None:
    b = b"hello"
    print(b, len(b), b[0], b[-1], b[1:3], b[::-1], b[::2])
    print(b + b" world", b * 2, 3 * b"ab", b"ell" in b, 104 in b, 7 in b)
    print(list(b), sum(b), max(b), sorted(b)[:2], checksum(b))
    s = "héllo wörld €"
    e = s.encode()
    print(e, len(e), e.decode() == s, e.decode("utf-8"), s.encode("utf-8") == e)
    print(bytes([65, 66, 67]), bytes(3), bytes(), bytes("abc", "utf-8"), bytes(b"xy"))
    print(repr(b"it's"), repr(b'say "hi"'), b"both ' and \"", b"\x00\x01\t\n\r\\\x7f\xff")
    print(b.hex(), bytes.fromhex("de ad be ef"), b.find(b"l"), b.count(b"l"),
          b.startswith(b"he"), b.endswith(b"lo"), b.index(b"o"))
    enc = xor(b"secret", 42)
    print(enc, xor(enc, 42))
    print(b"abc" < b"abd", b"abc" == b"abc", b"a" != b"b", b"" < b"a", bool(b""), bool(b"x"))
    d: dict[bytes, int] = {b"k1": 1, b"k2": 2}
    d[b"k1"] += 10
    print(d, d[b"k1"], {b"x", b"x", b"y"} == {b"y", b"x"}, hash(b"ab") == hash(b"a" + b"b"))
    print((1024).to_bytes(2, "big"), (1024).to_bytes(4, byteorder="little"),
          int.from_bytes(b"\x04\x00", "big"), int.from_bytes(b"\xff\xff", "little", signed=True),
          (-2).to_bytes(2, "big", signed=True), int.from_bytes(b"\x01" * 12, "big"))
    print(f"{b!r} {b}", str(b), [x for x in b"ab"])
    try:
        bytes([300])
    except ValueError as err:
        print("error:", err)
    try:
        b"\xff\xfe".decode()
    except UnicodeDecodeError as err:
        print("decode error:", err)
    try:
        (300).to_bytes(1, "big")
    except OverflowError as err:
        print("overflow:", err)
    print(b[10])


main()
