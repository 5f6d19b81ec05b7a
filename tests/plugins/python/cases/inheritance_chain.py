class Animal:
    sound: str = "..."

    def __init__(self, name: str) -> None:
        self.name = name

    def speak(self) -> str:
        return f"{self.name} says {self.sound_of()}"

    def sound_of(self) -> str:
        return "..."

    def kind(self) -> str:
        return "animal"


class Dog(Animal):
    def sound_of(self) -> str:
        return "woof"

    def kind(self) -> str:
        return "dog, a kind of " + super().kind()


class Puppy(Dog):
    def sound_of(self) -> str:
        return super().sound_of() + " (squeaky)"


class Cat(Animal):
    def __init__(self, name: str, lives: int) -> None:
        super().__init__(name)
        self.lives = lives

    def sound_of(self) -> str:
        return "meow"


zoo: list[Animal] = [Dog("rex"), Puppy("bit"), Cat("tom", 9), Animal("thing")]
for a in zoo:
    print(a.speak(), "|", a.kind())
cats = [a for a in zoo if isinstance(a, Cat)]
print(len(cats), isinstance(zoo[1], Dog), isinstance(zoo[0], Puppy), isinstance(zoo[2], Animal))
