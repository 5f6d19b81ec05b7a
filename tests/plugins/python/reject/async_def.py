# error: 2:1: async functions are not supported
async def fetch() -> int:
    return 1


print(fetch())
