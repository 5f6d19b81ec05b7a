# error: 12:1: multiple inheritance is not supported
class A:
    def a(self) -> int:
        return 1


class B:
    def b(self) -> int:
        return 2


class C(A, B):
    pass


print(C().a())
