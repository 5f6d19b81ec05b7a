from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


class InsufficientFunds(Exception):
    def __init__(self, needed: float, available: float) -> None:
        super().__init__(f"need {needed:.2f}, have {available:.2f}")
        self.needed = needed
        self.available = available


@dataclass
class Transaction:
    kind: str
    amount: float
    note: str = ""


class Account:
    _next_id = 1
    interest_rate: float = 0.0

    def __init__(self, owner: str, balance: float = 0.0) -> None:
        self.id = Account._next_id
        Account._next_id += 1
        self.owner = owner
        self._balance = balance
        self.history: list[Transaction] = []

    @property
    def balance(self) -> float:
        return self._balance

    @balance.setter
    def balance(self, value: float) -> None:
        if value < 0:
            raise ValueError("balance cannot be negative")
        self._balance = value

    @classmethod
    def open(cls, owner: str) -> Account:
        return cls(owner, 10.0)

    @staticmethod
    def valid_amount(x: float) -> bool:
        return x > 0 and x < 1_000_000

    def deposit(self, amount: float, note: str = "") -> None:
        if not Account.valid_amount(amount):
            raise ValueError(f"bad amount {amount}")
        self.balance += amount
        self.history.append(Transaction("deposit", amount, note))

    def withdraw(self, amount: float) -> None:
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        self.history.append(Transaction("withdraw", amount))

    def monthly(self) -> float:
        gain = self.balance * self.interest_rate / 12
        self.balance += gain
        return gain

    def __str__(self) -> str:
        return f"#{self.id} {self.owner:<6} {self.balance:>10,.2f}"


class Savings(Account):
    interest_rate = 0.05

    def withdraw(self, amount: float) -> None:
        if len([t for t in self.history if t.kind == "withdraw"]) >= 2:
            raise RuntimeError("savings: at most 2 withdrawals")
        super().withdraw(amount)


class Bank:
    def __init__(self) -> None:
        self.accounts: dict[int, Account] = {}

    def add(self, acct: Account) -> Account:
        self.accounts[acct.id] = acct
        return acct

    def find(self, owner: str) -> Optional[Account]:
        return next((a for a in self.accounts.values() if a.owner == owner), None)

    def transfer(self, src: int, dst: int, amount: float) -> bool:
        try:
            self.accounts[src].withdraw(amount)
        except (InsufficientFunds, RuntimeError) as e:
            print(f"  transfer {src}->{dst} failed: {e}")
            return False
        self.accounts[dst].deposit(amount, note=f"from {src}")
        return True

    def total(self) -> float:
        return sum(a.balance for a in self.accounts.values())


def main() -> None:
    bank = Bank()
    alice = bank.add(Account("alice", 100))
    bob = bank.add(Savings("bob", 1000))
    carol = bank.add(Account.open("carol"))
    bank.transfer(alice.id, bob.id, 30)
    bank.transfer(alice.id, carol.id, 500)
    for _ in range(3):
        bank.transfer(bob.id, alice.id, 10.0)
    print(f"{bob.monthly():.4f}", alice.monthly())
    for acct in sorted(bank.accounts.values(), key=lambda a: -a.balance):
        print(acct)
    print(f"total {bank.total():,.2f}", [t.kind for t in alice.history])
    found = bank.find("carol")
    print(found.owner if found else None, bank.find("dave"))
    try:
        alice.balance = -5
    except ValueError as e:
        print("error:", e)
    try:
        alice.deposit(0.0)
    except ValueError as e:
        print("error:", e)
    print(bob.history[-1], Account._next_id)


main()
