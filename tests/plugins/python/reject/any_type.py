# error: 5:13: Any is not supported: every value needs a static type
from typing import Any


def show(x: Any) -> None:
    print(x)


show(1)
