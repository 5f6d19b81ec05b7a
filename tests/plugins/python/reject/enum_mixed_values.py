# error: 7:12: the members of enum Mode must have values of one type
from enum import Enum


class Mode(Enum):
    FAST = 1
    SLOW = "slow"


print(Mode.FAST)
