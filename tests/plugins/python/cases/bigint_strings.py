# int <-> str for big values: parsing long strings, hex/oct/bin and f-string formats.
def main() -> None:
    digits = "1234567890" * 8
    n = int(digits)
    print(n, n + 1, int("-" + digits) - 1)
    print(int("  +000000000000000000000000000000000042  "), int("-0"), int("1_000_000_000_000_000_000_000"))
    print(int("ff" * 20, 16), int("-" + "7" * 30, 8), int("1" * 100, 2), int("zz" * 15, 36))
    print(int("0x" + "ABCDEF" * 5, 16))
    big = 2 ** 130 + 12345
    print(hex(big), oct(big), bin(big))
    print(hex(-big), oct(-big), bin(-(2 ** 70)))
    print(f"{big}|{big:x}|{big:X}|{big:#x}|{big:o}|{big:b}")
    print(f"{big:,}|{-big:_}|{big:>50}|{big:<45}!|{big:^47}|{-big:+}|{big:+}")
    print(f"{big:060d}|{-big:=+50}|{big:e}|{big:.3e}|{-big:.2f}")
    print(str(-big), repr(big), str(10 ** 100))
    s = str(7 ** 500)
    print(len(s), s[:20], s[-20:], int(s) == 7 ** 500)
    print(int(str(-(3 ** 333))) == -(3 ** 333))
    for bad in ("12345678901234567890123x", "", "--5"):
        try:
            print(int(bad))
        except ValueError as e:
            print("ValueError:", e)


if __name__ == "__main__":
    main()
