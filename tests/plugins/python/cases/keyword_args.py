def connect(host: str, port: int = 80, *, timeout: float = 1.5, retries: int = 3) -> str:
    return f"{host}:{port} t={timeout} r={retries}"


def area(w: float, h: float = 1.0) -> float:
    return w * h


print(connect("a"), connect("b", 8080), connect("c", timeout=0.5), connect(port=1, host="d"))
print(connect("e", retries=0, timeout=9.0), area(3.0), area(h=2.0, w=4.0), area(2.0, 2.5))
