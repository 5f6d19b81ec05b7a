import contextlib
from contextlib import suppress

d = {"a": 1}
with suppress(KeyError):
    print(d["a"])
    print(d["b"])
    print("not reached")
with contextlib.suppress(ValueError, ZeroDivisionError):
    print(1 // 0)
for s in ["1", "x", "3"]:
    with suppress(ValueError):
        print(int(s))
print("done")
