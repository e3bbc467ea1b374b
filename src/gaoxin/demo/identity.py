"""Codes, phones and addresses for demo enterprises, drawn from a seeded random.Random."""

import datetime
import random

from gaoxin.core.codes import USCC_CHARSET, make_uscc

# The unified code replaced the organisation code from 1 October 2015; newer enterprises get
# organisation codes starting "MA" plus the province's series (Jiangxi's run MA35, MA36, ...).
USCC_REFORM = datetime.date(2015, 10, 1)
_DIGITS = "0123456789"
_LETTERS_DIGITS = USCC_CHARSET  # no I, O, Z, S, V: valid in both code systems

MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
    "177", "180", "181", "182", "183", "187", "188", "189", "191", "199",
)  # fmt: skip


class Codes:
    """Unique organisation codes and mobile numbers across the demo."""

    def __init__(self):
        self.bodies: set[str] = set()
        self.mobiles: set[str] = set()

    def _org_body(self, rng: random.Random, established: datetime.date) -> str:
        if established >= USCC_REFORM:
            series = {2015: "35", 2016: "35", 2017: "36", 2018: "37", 2019: "38"}
            head = "MA" + series.get(established.year, "39")
            return head + "".join(rng.choice(_LETTERS_DIGITS) for _ in range(4))
        if established.year < 2000:
            head = "7"
        elif established.year < 2008:
            head = rng.choice(("66", "67", "68", "69", "75", "76", "77", "79"))
        else:
            head = rng.choice(("55", "56", "57", "58", "59", "05", "06", "07", "08", "09", "3"))
        return head + "".join(rng.choice(_DIGITS) for _ in range(8 - len(head)))

    def uscc(self, rng: random.Random, division: str, established: datetime.date) -> str:
        """A valid code of an enterprise (登记机关 9 工商, 类别 1 企业) registered in `division`."""
        for _ in range(1000):
            body = self._org_body(rng, established)
            if body not in self.bodies:
                self.bodies.add(body)
                return make_uscc("9", "1", division, body)
        raise RuntimeError("organisation codes exhausted")

    def mobile(self, rng: random.Random) -> str:
        for _ in range(1000):
            number = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice(_DIGITS) for _ in range(8))
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number
        raise RuntimeError("mobile numbers exhausted")


def qq_email(rng: random.Random) -> str:
    return f"{rng.randint(10_000_000, 3_999_999_999)}@qq.com"


def address(rng: random.Random, prefix: str, roads, office_parks=()) -> str:
    """A street address in the zone ("…光电大道168号", sometimes in a standard factory building),
    or, given office parks, a unit in one of them ("…跨境电商产业园B栋305室")."""
    if office_parks:
        building = rng.choice("ABCDEFGH") if rng.random() < 0.6 else str(rng.randint(1, 12))
        room = rng.randint(1, 12) * 100 + rng.randint(1, 30)
        return f"{prefix}{rng.choice(office_parks)}{building}栋{room}室"
    number = rng.randint(1, 600)
    text = f"{prefix}{rng.choice(roads)}{number}号"
    if rng.random() < 0.25:
        text += f"标准厂房{rng.randint(1, 24)}栋"
    return text
