# error: 4:1: the with statement is not supported in the subset
import sys

with open("data.txt") as f:
    print(f.read(), file=sys.stderr)
