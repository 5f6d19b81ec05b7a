from typing import Optional


class Employee:
    def __init__(self, name: str, manager: Optional["Employee"] = None) -> None:
        self.name = name
        self.manager = manager
        self.reports: list["Employee"] = []
        if manager is not None:
            manager.reports.append(self)


def chain_of_command(e: Employee) -> list[str]:
    out: list[str] = []
    cur: Optional[Employee] = e
    while cur is not None:
        out.append(cur.name)
        cur = cur.manager
    return out


def headcount(e: Employee) -> int:
    return 1 + sum(headcount(r) for r in e.reports)


ceo = Employee("ceo")
cto = Employee("cto", ceo)
dev1 = Employee("dev1", cto)
dev2 = Employee("dev2", cto)
cfo = Employee("cfo", ceo)
print(chain_of_command(dev2), headcount(ceo), headcount(cto), headcount(cfo))
print([r.name for r in ceo.reports], dev1.manager.name if dev1.manager else None, ceo.manager is None)
age: Optional[int] = None
print(age, age is None, (age or 0) + 1)
age = 41
print(age + 1, age == 41, age is not None, f"{age:04d}")
