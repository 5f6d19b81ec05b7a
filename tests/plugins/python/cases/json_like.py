class Value:
    def render(self, indent: int) -> str:
        raise NotImplementedError


class Num(Value):
    def __init__(self, n: float) -> None:
        self.n = n

    def render(self, indent: int) -> str:
        return str(int(self.n)) if self.n == int(self.n) else str(self.n)


class Text(Value):
    def __init__(self, s: str) -> None:
        self.s = s

    def render(self, indent: int) -> str:
        return '"' + self.s.replace('"', '\\"') + '"'


class Arr(Value):
    def __init__(self, items: list[Value]) -> None:
        self.items = items

    def render(self, indent: int) -> str:
        if not self.items:
            return "[]"
        pad = "  " * (indent + 1)
        inner = ",\n".join(pad + v.render(indent + 1) for v in self.items)
        return "[\n" + inner + "\n" + "  " * indent + "]"


class Obj(Value):
    def __init__(self, fields: dict[str, Value]) -> None:
        self.fields = fields

    def render(self, indent: int) -> str:
        pad = "  " * (indent + 1)
        inner = ",\n".join(f'{pad}"{k}": {v.render(indent + 1)}' for k, v in self.fields.items())
        return "{\n" + inner + "\n" + "  " * indent + "}"


doc = Obj({
    "name": Text("unik"),
    "version": Num(1.0),
    "ratio": Num(0.75),
    "tags": Arr([Text("vm"), Text("say \"hi\"")]),
    "empty": Arr([]),
    "nested": Obj({"depth": Num(2.0)}),
})
print(doc.render(0))
