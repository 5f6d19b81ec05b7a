# error: 3:19: decode(): only the 'utf-8' encoding is supported
data = b"caf\xe9"
print(data.decode("latin-1"))
