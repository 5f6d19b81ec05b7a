class InsufficientFunds(Exception):
    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"need {needed}, have {available}")
        self.needed = needed
        self.available = available


class Account:
    def __init__(self, owner: str, balance: int = 0) -> None:
        self.owner = owner
        self.balance = balance
        self.history: list[tuple[str, int]] = []

    def deposit(self, amount: int) -> None:
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount: int) -> None:
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        self.history.append(("withdraw", amount))


class Savings(Account):
    def __init__(self, owner: str, rate: float) -> None:
        super().__init__(owner, 100)
        self.rate = rate

    def add_interest(self) -> int:
        interest = int(self.balance * self.rate)
        self.deposit(interest)
        return interest


accounts: dict[str, Account] = {}
accounts["ann"] = Account("ann")
accounts["bob"] = Savings("bob", 0.05)
accounts["ann"].deposit(50)
for name, amount in [("ann", 20), ("bob", 500), ("ann", 40), ("bob", 30)]:
    try:
        accounts[name].withdraw(amount)
        print(f"{name} withdrew {amount}")
    except InsufficientFunds as e:
        print(f"{name}: {e} (short by {e.needed - e.available})")
try:
    accounts["ann"].deposit(-5)
except ValueError as e:
    print("error:", e)
bob = accounts["bob"]
if isinstance(bob, Savings):
    print("interest", bob.add_interest())
for name in sorted(accounts):
    acc = accounts[name]
    print(name, acc.balance, acc.history)
