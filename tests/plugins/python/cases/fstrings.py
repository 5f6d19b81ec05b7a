name = "Ada"
age = 36
pi = 3.141592653589793
items = ["x", "y"]
print(f"{name} is {age}")
print(f"{name!r} {name.upper()} {len(name)} {age * 2} {age / 7:.3f} {pi:.0f} {pi:e}")
print(f"[{name:10}] [{name:>10}] [{name:^10}] [{age:<6}] [{age:^6}] [{age:>+6}]")
print(f"{1e10:,.1f} {123456789:_} {0.000123:.2e} {0.5:.0%} {255:08b} {10:o}")
print(f"{items} {items[0]} {len(items)} {{literal}} {'nested'} {[i * 2 for i in range(3)]}")
print(f"{True} {None} {3 > 2} {-0.0} {1.5e300 * 1e10} {float('nan')}")
print(f"{12.0:g} {0.0001:g} {123456789.0:g} {1.5:g} {100:g}")
w = 12
print(f"{'centered':^{w}}|{pi:{w}.4f}|")
print(f"{age:d}{age:x}{age:X}{-age:05d}{age:c}" if False else f"{age:d} {age:x} {age:X} {-age:05d}")
