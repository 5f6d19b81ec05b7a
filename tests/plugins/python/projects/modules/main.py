import util
import geom.shapes
from util import Pair, parse as parse_pair, twice
from geom import Circle, UNIT


def helper(x: int) -> int:
    return -x


def main() -> None:
    print(helper(1), util.helper(2), geom.shapes.helper(3), twice(5), util.count)
    p = parse_pair("3,4")
    print(p, p == Pair(3, 4), util.GREETING)
    c = Circle(2.0)
    print(f"{c.area():.3f}", UNIT, geom.shapes.Circle(1.0).area() > 3)
    try:
        util.parse("oops")
    except util.ParseError as e:
        print("error:", e)
    util.parse("1,2,3")


main()
