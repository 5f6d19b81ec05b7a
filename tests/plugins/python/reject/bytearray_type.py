# error: 2:7: bytearray is not supported
buf = bytearray(b"abc")
buf[0] = 65
print(buf)
