def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out: list[str] = []
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out.append(sep)
    for k, r in enumerate(rows):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if k == 0:
            out.append(sep)
    out.append(sep)
    return "\n".join(out)


rows = [["name", "qty", "price"], ["apple", "3", "0.50"], ["watermelon", "1", "3.20"], ["fig", "12", "0.15"]]
print(table(rows))
total = sum(int(r[1]) * float(r[2]) for r in rows[1:])
print(f"total: {total:8.2f}")
print(f"{'x':>{5}}|{3.14159:.{2}f}|{42:{'0'}>{6}}")
csv = "\n".join(",".join(r) for r in rows)
print(csv)
parsed = [line.split(",") for line in csv.splitlines()]
print(parsed == rows, repr(csv[:12]))
