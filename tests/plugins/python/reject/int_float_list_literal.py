# error: 2:12: an int where a float is kept: CPython keeps the int (it prints without '.0'); write 1.0
weights = [1, 2.5, 4.0]
print(weights)
