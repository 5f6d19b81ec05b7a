import random


def monte_carlo_pi(n: int) -> float:
    inside = 0
    for _ in range(n):
        x, y = random.random(), random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4 * inside / n


def dice_game(rounds: int) -> dict[int, int]:
    sums: dict[int, int] = {}
    for _ in range(rounds):
        s = random.randint(1, 6) + random.randint(1, 6)
        sums[s] = sums.get(s, 0) + 1
    return dict(sorted(sums.items()))


random.seed(2024)
print(monte_carlo_pi(20000))
print(dice_game(1000))
deck = [f"{r}{s}" for s in "SHDC" for r in "A23456789TJQK"]
random.shuffle(deck)
print(deck[:8], random.choice(deck), random.randrange(0, 100, 5), round(random.uniform(-1.0, 1.0), 6))
