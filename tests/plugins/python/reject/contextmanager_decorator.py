# error: 6:2: decorator @contextmanager is not supported
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def tag(name: str) -> Iterator[None]:
    print("<" + name + ">")
    yield
    print("</" + name + ">")


with tag("b"):
    print("x")
