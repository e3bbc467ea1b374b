"""What a tariff charges: the rates of each structure validated (Chinese messages), the version
in force on a day, and the price of a reading's usage in 元 (Decimal, two decimals, half up; never
a float).

How a reading is priced, by the structure of its account's tariff:
- single (电) and flat (水/气): usage × price.
- tou (分时): a meter with time-of-use registers reports each period's register (critical / peak
  / flat / valley) and each is priced at its period's price; a critical-peak register read in
  a month without critical peak, or on a tariff without a critical price, is priced at the peak
  price. A `total` register on a time-of-use tariff (a meter that reports only its total) is
  priced at the flat (平段) price: the total cannot be split into periods afterwards.
- two_part (两部制): the energy part as tou (when the version has `prices`) or single (`price`);
  the monthly capacity or demand charge is a Charge the daily job writes (`monthly_charge`).
- tiered (阶梯): by the account's volume in the calendar month before the reading
  (`month_before`): the usage is split over the tiers it crosses.
"""

import bisect
import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Register, Structure

CENT = Decimal("0.01")
MAX_PRICE = Decimal("1000")  # 元 a unit (kWh, m³) or a kVA/kW a month: beyond is a typo
PEAK_VALLEY_MIN = Decimal("3")  # peak : valley ≥ 3 : 1 (4 : 1 where the load gap exceeds 40%)
CRITICAL_MIN = Decimal("1.2")  # critical peak ≥ 1.2 × peak
PERIODS = (Register.CRITICAL, Register.PEAK, Register.FLAT, Register.VALLEY)
DAY_PERIODS = (Register.PEAK, Register.FLAT, Register.VALLEY)  # they share out the 24 hours
HALF_HOURS = 48


def money(value) -> Decimal:
    """`value` in 元, two decimals, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- validation ---------------------------------------------------------------------------


def _price(value, label) -> Decimal:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(l)s不是有效的价格:%(v)s") % {"l": label, "v": value}) from None
    if not price.is_finite() or price <= 0:
        raise ValidationError(_("%(l)s必须大于0") % {"l": label})
    if price > MAX_PRICE:
        raise ValidationError(_("%(l)s超过%(m)s元,请核对") % {"l": label, "m": MAX_PRICE})
    if price.as_tuple().exponent < -6:
        raise ValidationError(_("%(l)s最多6位小数") % {"l": label})
    return price


def _text(price: Decimal) -> str:
    return format(price, "f")


def _hour(value, label) -> Decimal:
    try:
        hour = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        hour = None
    if hour is None or not hour.is_finite() or not 0 <= hour <= 24 or (hour * 2) % 1:
        raise ValidationError(
            _("%(l)s的时刻必须是0到24之间的整点或半点:%(v)s") % {"l": label, "v": value}
        )
    return hour


def _spans(value, label) -> list[list]:
    """[[start, end], …] of a period; a span may wrap midnight ([23, 7])."""
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError(_("%(l)s的时段须为[[开始, 结束], …]") % {"l": label})
    spans = []
    for span in value:
        if not isinstance(span, list | tuple) or len(span) != 2:
            raise ValidationError(_("%(l)s的时段须为[[开始, 结束], …]") % {"l": label})
        start, end = _hour(span[0], label), _hour(span[1], label)
        if start == end:
            raise ValidationError(_("%(l)s的时段开始与结束相同") % {"l": label})
        spans.append([start, end])
    return spans


def _half_hours(spans) -> list[int]:
    """The half-hours (0 … 47) the spans cover, a half-hour once for each span covering it."""
    covered = []
    for start, end in spans:
        a, b = int(start * 2), int(end * 2)
        covered += list(range(a, b)) if a < b else list(range(a, HALF_HOURS)) + list(range(b))
    return covered


PERIOD_LABEL = {
    Register.CRITICAL: "尖峰",
    Register.PEAK: "峰段",
    Register.FLAT: "平段",
    Register.VALLEY: "谷段",
}


def _label(period) -> str:
    return _(PERIOD_LABEL[period])


def _tou(rates, errors) -> dict:
    out = {}
    prices = rates.get("prices")
    if not isinstance(prices, dict):
        errors.append(_("分时电价须给出各时段价格(尖峰、峰、平、谷)"))
        return out
    unknown = set(prices) - set(PERIODS)
    if unknown:
        errors.append(_("未知的时段:%(p)s") % {"p": "、".join(sorted(map(str, unknown)))})
    parsed = {}
    for period in PERIODS:
        if period not in prices or prices[period] in (None, ""):
            if period != Register.CRITICAL:
                errors.append(_("缺少%(l)s价格") % {"l": _label(period)})
            continue
        try:
            parsed[period] = _price(prices[period], _("%(l)s价格") % {"l": _label(period)})
        except ValidationError as exc:
            errors.extend(exc.messages)
    peak, flat, valley = (parsed.get(p) for p in DAY_PERIODS)
    if peak and valley and peak < PEAK_VALLEY_MIN * valley:
        errors.append(
            _("峰谷价差不足:峰段价格须不低于谷段的3倍(现为%(r)s倍)")
            % {"r": (peak / valley).quantize(Decimal("0.01"))}
        )
    if peak and flat and valley and not valley < flat < peak:
        errors.append(_("平段价格须高于谷段、低于峰段"))
    critical = parsed.get(Register.CRITICAL)
    if critical and peak and critical < CRITICAL_MIN * peak:
        errors.append(
            _("尖峰价格须不低于峰段的1.2倍(至少%(m)s元)") % {"m": money(CRITICAL_MIN * peak)}
        )
    out["prices"] = {p: _text(v) for p, v in parsed.items()}
    out["hours"] = _hours(rates.get("hours"), critical is not None, errors)
    if critical is not None:
        out["critical_months"] = _months(rates.get("critical_months"), errors)
    elif rates.get("critical_months"):
        errors.append(_("设置了尖峰月份,但未给出尖峰价格"))
    return out


def _hours(hours, with_critical, errors) -> dict:
    if not isinstance(hours, dict):
        errors.append(_("分时电价须给出各时段的时间(峰、平、谷覆盖全天24小时)"))
        return {}
    unknown = set(hours) - set(PERIODS)
    if unknown:
        errors.append(_("未知的时段:%(p)s") % {"p": "、".join(sorted(map(str, unknown)))})
    out, covered = {}, []
    for period in PERIODS:
        if period not in hours:
            if period != Register.CRITICAL:
                errors.append(_("缺少%(l)s的时间") % {"l": _label(period)})
            continue
        try:
            spans = _spans(hours[period], _label(period))
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        out[period] = [[float(a) if a % 1 else int(a) for a in span] for span in spans]
        if period != Register.CRITICAL:
            covered += _half_hours(spans)
    if Register.CRITICAL in out:
        if not with_critical:
            errors.append(_("设置了尖峰时间,但未给出尖峰价格"))
        peak = set(_half_hours(out.get(Register.PEAK, [])))
        if Register.PEAK in out and not set(_half_hours(out[Register.CRITICAL])) <= peak:
            errors.append(_("尖峰时间须在峰段时间之内"))
    elif with_critical:
        errors.append(_("缺少尖峰的时间"))
    if all(p in out for p in DAY_PERIODS):
        if len(covered) != len(set(covered)):
            errors.append(_("峰、平、谷时段有重叠"))
        missing = sorted(set(range(HALF_HOURS)) - set(covered))
        if missing:
            first = Decimal(missing[0]) / 2
            errors.append(
                _("峰、平、谷时段未覆盖全天0—24时(如%(h)s时起未定义)")
                % {"h": format(first.normalize(), "f")}
            )
    return out


def _months(months, errors) -> list[int]:
    if not isinstance(months, list | tuple) or not months:
        errors.append(_("有尖峰价格时须给出执行尖峰的月份"))
        return []
    out = []
    for month in months:
        if isinstance(month, bool) or not str(month).isdigit() or not 1 <= int(month) <= 12:
            errors.append(_("尖峰月份须为1到12:%(v)s") % {"v": month})
            return []
        out.append(int(month))
    if len(set(out)) != len(out):
        errors.append(_("尖峰月份重复"))
    return sorted(set(out))


def _tiers(tiers, errors) -> list:
    if not isinstance(tiers, list | tuple) or not tiers:
        errors.append(_("阶梯价须给出各档:[[月用量上限, 价格], …, [null, 价格]]"))
        return []
    out, last_limit, last_price = [], Decimal(0), Decimal(0)
    for n, tier in enumerate(tiers, start=1):
        label = _("第%(n)s档") % {"n": n}
        if not isinstance(tier, list | tuple) or len(tier) != 2:
            errors.append(_("%(l)s须为[月用量上限, 价格]") % {"l": label})
            return []
        limit, price = tier
        try:
            price = _price(price, _("%(l)s价格") % {"l": label})
        except ValidationError as exc:
            errors.extend(exc.messages)
            return []
        if price < last_price:
            errors.append(_("%(l)s价格低于上一档:阶梯价须逐档递增") % {"l": label})
        last_price = price
        if limit in (None, ""):
            if n != len(tiers):
                errors.append(_("只有最后一档可以不设上限"))
                return []
            out.append([None, _text(price)])
            continue
        try:
            limit = Decimal(str(limit))
        except (InvalidOperation, ValueError, TypeError):
            limit = None
        if limit is None or not limit.is_finite() or limit <= last_limit or limit > 10**9:
            errors.append(_("%(l)s的月用量上限须大于上一档且为有效数值") % {"l": label})
            return []
        last_limit = limit
        out.append([_text(limit), _text(price)])
    if out and out[-1][0] is not None:
        errors.append(_("最后一档不设上限(填null)"))
    return out


def validate_rates(structure: str, rates) -> dict:
    """The rates of `structure`, checked and normalised (prices as decimal strings): else a
    ValidationError {"rates": [the Chinese messages]}."""
    errors: list[str] = []
    out: dict = {}
    if not isinstance(rates, dict):
        raise ValidationError({"rates": [_("价格须为对象(JSON)")]})
    if structure in (Structure.SINGLE, Structure.FLAT):
        try:
            out["price"] = _text(_price(rates.get("price"), _("价格")))
        except ValidationError as exc:
            errors.extend(exc.messages)
    elif structure == Structure.TIME_OF_USE:
        out = _tou(rates, errors)
    elif structure == Structure.TWO_PART:
        if "prices" in rates:
            out = _tou(rates, errors)
        else:
            try:
                out["price"] = _text(_price(rates.get("price"), _("电度电价")))
            except ValidationError as exc:
                errors.extend(exc.messages)
        charges = [k for k in ("capacity_price", "demand_price") if rates.get(k) not in (None, "")]
        if len(charges) != 1:
            errors.append(_("两部制电价须给出容量电价(元/kVA·月)或需量电价(元/kW·月)之一"))
        else:
            label = _("容量电价") if charges[0] == "capacity_price" else _("需量电价")
            try:
                out[charges[0]] = _text(_price(rates[charges[0]], label))
            except ValidationError as exc:
                errors.extend(exc.messages)
    elif structure == Structure.TIERED:
        out["tiers"] = _tiers(rates.get("tiers"), errors)
    else:
        errors.append(_("未知的计价方式:%(s)s") % {"s": structure})
    if errors:
        raise ValidationError({"rates": errors})
    return out


# --- the version in force -----------------------------------------------------------------


def version_on(tariff, day: datetime.date):
    """The version of `tariff` in force on `day` (the latest starting on or before it), or None."""
    return tariff.versions.filter(valid_from__lte=day).order_by("-valid_from").first()


class Versions:
    """The versions of many tariffs, loaded in one query, looked up by day without queries."""

    def __init__(self, tariff_ids):
        from .models import TariffVersion

        self._by_tariff: dict[int, tuple[list, list]] = {}
        rows = TariffVersion.objects.filter(tariff_id__in=set(tariff_ids)).order_by(
            "tariff_id", "valid_from"
        )
        for version in rows:
            days, versions = self._by_tariff.setdefault(version.tariff_id, ([], []))
            days.append(version.valid_from)
            versions.append(version)

    def on(self, tariff_id: int, day: datetime.date):
        days, versions = self._by_tariff.get(tariff_id, ((), ()))
        i = bisect.bisect_right(days, day)
        return versions[i - 1] if i else None


# --- pricing ------------------------------------------------------------------------------


class Pricer:
    """The prices of one version's rates, parsed once: `amount(usage, register, day,
    month_before)` is a reading's cost in 元."""

    __slots__ = ("structure", "price", "prices", "critical_months", "tiers")

    def __init__(self, structure: str, rates: dict):
        self.structure = structure
        self.price = Decimal(rates["price"]) if "price" in rates else None
        self.prices = {k: Decimal(v) for k, v in rates.get("prices", {}).items()}
        self.critical_months = frozenset(rates.get("critical_months") or ())
        self.tiers = [
            (None if limit is None else Decimal(limit), Decimal(price))
            for limit, price in rates.get("tiers", ())
        ]

    def unit_price(self, register: str = Register.TOTAL, day: datetime.date | None = None):
        """The price a unit of `register` costs on `day` (not for tiered tariffs)."""
        if not self.prices:
            return self.price
        if register == Register.CRITICAL:
            critical = self.prices.get(Register.CRITICAL)
            if critical is not None and (day is None or day.month in self.critical_months):
                return critical
            return self.prices[Register.PEAK]
        if register in self.prices:
            return self.prices[register]
        return self.prices[Register.FLAT]  # a total register on a time-of-use tariff

    def raw(self, usage: Decimal, register=Register.TOTAL, day=None, month_before=Decimal(0)):
        """The unrounded cost of `usage`."""
        if not usage:
            return Decimal(0)
        if not self.tiers:
            return usage * self.unit_price(register, day)
        cost, done, left = Decimal(0), month_before, usage
        for limit, price in self.tiers:
            if limit is not None and done >= limit:
                continue
            part = left if limit is None else min(left, limit - done)
            cost += part * price
            done += part
            left -= part
            if left <= 0:
                break
        return cost

    def amount(self, usage: Decimal, register=Register.TOTAL, day=None, month_before=Decimal(0)):
        return money(self.raw(usage, register, day, month_before))


_pricers: dict = {}


def pricer(structure: str, version) -> Pricer:
    """The Pricer of `version` (cached by its id and the date it was created: versions are not
    edited in place, a new price is a new version)."""
    key = (structure, version.pk, str(version.rates))
    found = _pricers.get(key)
    if found is None:
        if len(_pricers) > 1000:
            _pricers.clear()
        found = _pricers[key] = Pricer(structure, version.rates)
    return found


def price(structure: str, rates: dict, usage, *, register=Register.TOTAL, day=None,
          month_before=Decimal(0)) -> Decimal:  # fmt: skip
    """The cost in 元 of `usage` under `rates` (see the module's docstring)."""
    return Pricer(structure, rates).amount(Decimal(usage), register, day, Decimal(month_before))


def monthly_charge(version, account) -> tuple[str, Decimal] | None:
    """A two-part tariff's monthly charge of `account` under `version`: ("capacity", 元) from
    its capacity (kVA) or ("demand", 元) from its demand (kW); None when it has none."""
    rates = version.rates
    if "capacity_price" in rates and account.capacity_kva:
        return "capacity", money(Decimal(rates["capacity_price"]) * account.capacity_kva)
    if "demand_price" in rates and account.demand_kw:
        return "demand", money(Decimal(rates["demand_price"]) * account.demand_kw)
    return None


def period_at(rates: dict, at: datetime.datetime) -> str:
    """The time-of-use period an hour falls in (local time), `total` without hours."""
    hours = rates.get("hours")
    if not hours:
        return Register.TOTAL
    half = at.hour * 2 + (1 if at.minute >= 30 else 0)
    months = rates.get("critical_months") or ()
    if at.month in months and half in _half_hours(hours.get(Register.CRITICAL, [])):
        return Register.CRITICAL
    for period in DAY_PERIODS:
        if half in _half_hours(hours.get(period, [])):
            return period
    return Register.FLAT
