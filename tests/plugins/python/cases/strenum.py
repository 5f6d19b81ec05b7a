from enum import Enum, StrEnum, auto


class Method(StrEnum):
    GET = auto()
    POST = auto()
    DELETE = "del"


class Level(Enum):
    LOW = 1
    HIGH = 2


for m in Method:
    print(m, repr(m), m.name, m.value, f"[{m}]", str(m).upper())
print(Method("post") is Method.POST, Method["DELETE"], len(Method))
routes = {Method.GET: "/items", Method.POST: "/items/new"}
print(routes[Method.GET], Method.GET in routes, Method.DELETE in routes)
print(f"{Level.HIGH}", Level.HIGH.value)
