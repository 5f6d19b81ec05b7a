class IdGen:
    next_id: int = 0

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: list[str] = []

    def new(self) -> str:
        self.next_id += 1
        ident = f"{self.prefix}-{self.next_id:03d}"
        self.issued.append(ident)
        return ident


class Registry:
    def __init__(self) -> None:
        self.gens: dict[str, IdGen] = {}

    def gen(self, prefix: str) -> IdGen:
        if prefix not in self.gens:
            self.gens[prefix] = IdGen(prefix)
        return self.gens[prefix]


r = Registry()
for p in ["user", "order", "user", "user", "order"]:
    print(r.gen(p).new())
print({k: v.issued for k, v in r.gens.items()})
print(sum(len(g.issued) for g in r.gens.values()), r.gen("user").next_id)
