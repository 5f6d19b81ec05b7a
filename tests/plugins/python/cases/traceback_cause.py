class ConfigError(Exception):
    pass


def parse_port(text: str) -> int:
    return int(text)


def load(settings: dict[str, str]) -> int:
    try:
        return parse_port(settings["port"])
    except ValueError as e:
        raise ConfigError(f"bad port {settings['port']!r}") from e


def main() -> None:
    try:
        load({"host": "x"})
    except KeyError as e:
        print("missing", e)
    try:
        load({"port": "80"})
        print("ok")
        load({"port": "eighty"})
    except ConfigError as e:
        print("caught:", e)
    load({"port": "x1"})


main()
