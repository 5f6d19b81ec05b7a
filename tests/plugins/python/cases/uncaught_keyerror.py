config = {"host": "localhost", "port": "8080"}


def get(key: str) -> str:
    return config[key]


print(get("host"))
print(get("port"))
print(get("user"))
