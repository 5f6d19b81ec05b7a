import string
import sys
from string import ascii_uppercase

print(string.ascii_letters, string.digits, len(string.punctuation), ascii_uppercase[:3])
print(repr(string.whitespace), len(string.printable), string.hexdigits)
print(repr(sys.stdin.readline()), repr(sys.stdin.read()), sys.stdin.readlines())
lines = [line.strip() for line in sys.stdin]
print(lines)
total = 0
while True:
    try:
        s = input("> ")
    except EOFError:
        print("\nend of input", total)
        break
    total += int(s)
name = input("name? ")
print("not reached", name)
