"""The utilities' choices: the kinds of supply, tariff structures, time-of-use registers, the
warning levels and where an entry came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ELECTRICITY = "electricity", _("电")
    WATER = "water", _("水")
    GAS = "gas", _("气")


# The unit each kind is metered in (energy is never money: DESIGN.md, Units).
UNIT = {Kind.ELECTRICITY: "kWh", Kind.WATER: "m³", Kind.GAS: "m³"}


class Structure(models.TextChoices):
    """How a tariff prices: electricity single, time-of-use or two-part; water and gas flat or
    tiered by monthly volume (tariffs.py validates the rates of each)."""

    SINGLE = "single", _("单一电价")
    TIME_OF_USE = "tou", _("分时电价")
    TWO_PART = "two_part", _("两部制电价")
    FLAT = "flat", _("统一价")
    TIERED = "tiered", _("阶梯价")


STRUCTURES_OF = {
    Kind.ELECTRICITY: (Structure.SINGLE, Structure.TIME_OF_USE, Structure.TWO_PART),
    Kind.WATER: (Structure.FLAT, Structure.TIERED),
    Kind.GAS: (Structure.FLAT, Structure.TIERED),
}


class Register(models.TextChoices):
    """A meter's register: the total, or one time-of-use period (尖峰 / 峰 / 平 / 谷)."""

    TOTAL = "total", _("总")
    CRITICAL = "critical", _("尖峰")
    PEAK = "peak", _("峰")
    FLAT = "flat", _("平")
    VALLEY = "valley", _("谷")


class Level(models.IntegerChoices):
    """The warning levels by days of supply left (the days are the zone's settings: 7, 3, 0)."""

    NONE = 0, _("正常")
    FIRST = 1, _("一级预警")
    SECOND = 2, _("二级预警")
    EXHAUSTED = 3, _("余额耗尽")


# The risk band a level falls in (the risk list and the API's ?risk=).
BAND = {Level.NONE: "green", Level.FIRST: "yellow", Level.SECOND: "red", Level.EXHAUSTED: "red"}


class Source(models.TextChoices):
    API = "api", _("接口推送")
    FILE = "file", _("文件导入")
    ENTERED = "entered", _("手工录入")
    DEMO = "demo", _("演示数据")


class ChargeKind(models.TextChoices):
    """A charge besides the priced readings: the two-part tariff's monthly capacity or demand
    charge, and a correction (a new entry, never an overwrite of the reading or top-up)."""

    CAPACITY = "capacity", _("容量电费")
    DEMAND = "demand", _("需量电费")
    CORRECTION = "correction", _("更正")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    VISITED = "visited", _("已走访")
    DISMISSED = "dismissed", _("已排除")
