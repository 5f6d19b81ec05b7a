# error: 4:6: open(): a unikernel has no file system
import sys

with open("data.txt") as f:
    print(f.read(), file=sys.stderr)
