from typing import Iterator


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text

    def numbers(self) -> Iterator[int]:
        for part in self.text.split(","):
            yield int(part)

    def total(self) -> int:
        t = 0
        for n in self.numbers():
            t += n
        return t


def check(p: Parser) -> int:
    try:
        return p.total()
    finally:
        print("checked", p.text)


def run(texts: list[str]) -> None:
    for t in texts:
        print(check(Parser(t)))


run(["1,2,3", "4,5", "6,x,7"])
