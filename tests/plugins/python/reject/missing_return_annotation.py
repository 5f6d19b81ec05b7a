# error: 2:1: function twice returns a value: annotate its return type
def twice(x: int):
    return x * 2


print(twice(4))
