class ConfigError(Exception):
    pass


def load(n: int) -> int:
    if n > 2:
        raise ConfigError(f"value {n} out of range")
    return n


for i in range(5):
    print("loaded", load(i))
