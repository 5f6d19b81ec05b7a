# error: 3:12: bytes are not supported yet
def header() -> int:
    data = b"\x89PNG"
    return len(data)


print(header())
