name = "Ada"
n = 42
x = 3.14159
print("{} is {} years".format(name, n), "{0}-{1}-{0}".format("a", "b"), "{n:>5}|{x:.2f}".format(n=n, x=x))
print("{!r} {:^9} {:08.3f} {:x}".format(name, name, x, 255))
print("%s is %d years" % (name, n), "%5.1f%%" % x, "%-6s|" % name, "%05d" % n, "%x %X %o" % (255, 255, 8))
print("%r %s %i %e %.3g" % (name, [1, 2], 7, 12345.678, x), "%c" % 65, "%+d" % 5, "%d" % 3.9)
print("total: %d" % n)
