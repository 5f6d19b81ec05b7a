# error: 6:7: area() takes 2 arguments but 3 were given
def area(w: int, h: int) -> int:
    return w * h


print(area(1, 2, 3))
