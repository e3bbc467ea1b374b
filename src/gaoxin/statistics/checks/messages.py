"""The checks' messages: Chinese, saying what is wrong and what is right, with the figures.

Built only for a failure; each takes the prepared rule (`rule.ind` / `rule.other`: code, name,
unit, cumulative) and the figures involved.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core.money import plain_number
from gaoxin.core.spreadsheets.normalize import unit_scale

TEN_THOUSAND = Decimal(10000)


def _num(value) -> str:
    """A figure for a message: thousands separators, at most 4 decimals, no trailing zeros."""
    return plain_number(value, 4)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')):,f}"


def _sig(value: Decimal) -> str:
    """A ratio with four significant digits (0.0015, 5.123, 1,234)."""
    if value == 0:
        return "0"
    places = max(0, 3 - value.copy_abs().adjusted())
    return plain_number(round(value, places), min(places, 8))


def cumulative_word(ind) -> str:
    return _("累计") if ind.cumulative else ""


def msg_required(rule, value):
    return _("%(name)s未填写:此项必填(单位:%(unit)s)") % {
        "name": rule.ind.name,
        "unit": rule.ind.unit,
    }


def msg_range(rule, value, low, high):
    ind = rule.ind
    args = {"name": ind.name, "v": _num(value), "unit": ind.unit}
    if low is not None and value < low:
        args["limit"] = _num(low)
        if high is None:
            return _("%(name)s %(v)s %(unit)s小于下限:应不小于 %(limit)s %(unit)s") % args
    else:
        args["limit"] = _num(high)
        if low is None:
            return _("%(name)s %(v)s %(unit)s超过上限:应不大于 %(limit)s %(unit)s") % args
    args.update(low=_num(low), high=_num(high))
    return _("%(name)s %(v)s %(unit)s超出范围:应在 %(low)s–%(high)s %(unit)s之间") % args


def msg_decreasing(rule, value, before):
    ind = rule.ind
    args = {"name": ind.name, "v": _num(value), "b": _num(before), "unit": ind.unit}
    if ind.cumulative:
        return _("累计%(name)s %(v)s %(unit)s少于上月累计 %(b)s %(unit)s:累计值不应减少") % args
    return _("%(name)s %(v)s %(unit)s少于上月 %(b)s %(unit)s:此项不应减少") % args


def msg_swing(text_ref, rule, value, reference, change, limit, cumulative_word):
    ind = rule.ind
    args = {
        "cum": cumulative_word,
        "name": ind.name,
        "v": _num(value),
        "ref": text_ref,
        "r": _num(reference),
        "unit": ind.unit,
        "pct": _pct(abs(change)),
        "limit": _num(limit),
    }
    if change > 0:
        return (
            _(
                "%(cum)s%(name)s %(v)s %(unit)s比%(ref)s %(r)s %(unit)s增长 %(pct)s%%,"
                "超过 ±%(limit)s%% 的波动范围:请核实或说明原因"
            )
            % args
        )
    return (
        _(
            "%(cum)s%(name)s %(v)s %(unit)s比%(ref)s %(r)s %(unit)s下降 %(pct)s%%,"
            "超过 ±%(limit)s%% 的波动范围:请核实或说明原因"
        )
        % args
    )


def msg_ratio(rule, value, other, ratio, low, high):
    ind, oth = rule.ind, rule.other
    args = {
        "name": ind.name,
        "other": oth.name,
        "r": _sig(ratio),
        "v": _num(value),
        "unit": ind.unit,
        "o": _num(other),
        "ounit": oth.unit,
    }
    args.update(low=_num(low), high=_num(high))
    if low is not None and high is not None:
        message = _(
            "%(name)s与%(other)s之比为 %(r)s(%(v)s %(unit)s ÷ %(o)s %(ounit)s),"
            "超出合理范围 %(low)s–%(high)s:请核对这两项数据"
        )
    elif low is not None:
        message = _(
            "%(name)s与%(other)s之比为 %(r)s(%(v)s %(unit)s ÷ %(o)s %(ounit)s),"
            "低于合理下限 %(low)s:请核对这两项数据"
        )
    else:
        message = _(
            "%(name)s与%(other)s之比为 %(r)s(%(v)s %(unit)s ÷ %(o)s %(ounit)s),"
            "高于合理上限 %(high)s:请核对这两项数据"
        )
    return message % args


def msg_peer(rule, ratio, median, peers, division, factor):
    ind, oth = rule.ind, rule.other
    unit = f"{ind.unit}/{oth.unit}"
    args = {
        "name": ind.name,
        "other": oth.name,
        "r": _sig(ratio),
        "m": _sig(median),
        "unit": unit,
        "n": peers,
        "division": division,
        "f": _num(factor),
    }
    if ratio > median:
        args["times"] = _sig(ratio / median)
        return (
            _(
                "%(name)s与%(other)s之比 %(r)s %(unit)s是同行业(%(division)s 大类)同规模 "
                "%(n)s 家企业中位数 %(m)s %(unit)s的 %(times)s 倍(超过 %(f)s 倍):"
                "请核对%(name)s和%(other)s"
            )
            % args
        )
    args["times"] = _sig(median / ratio) if ratio > 0 else "∞"
    return (
        _(
            "%(name)s与%(other)s之比 %(r)s %(unit)s仅为同行业(%(division)s 大类)同规模 "
            "%(n)s 家企业中位数 %(m)s %(unit)s的 %(times)s 分之一(超过 %(f)s 倍):"
            "请核对%(name)s和%(other)s"
        )
        % args
    )


def peer_text(peers: int, division: str) -> str:
    """What a unit slip is compared with when the enterprise has no history: its peers."""
    return _("同行业(%(division)s 大类)同规模 %(n)s 家企业中位数") % {
        "division": division,
        "n": peers,
    }


def _slip_units(unit: str):
    """(how far one slip is off, the unit one step down, one step up) of a scaled unit:
    万元 → (10^4, 元, 亿元), 亿千瓦时 → (10^4, 万千瓦时, 万亿千瓦时), 千元 → (10^3, 元, 百万元);
    None for a unit without a scale word."""
    scale, base = unit_scale(unit)
    if scale == 1 or base == "%":
        return None
    if scale == 10**8:
        return Decimal(10**4), "万" + base, "万亿" + base
    if scale == 10**4:
        return Decimal(10**4), base, "亿" + base
    if scale == 10**3:
        return Decimal(10**3), base, "百万" + base
    return Decimal(scale), base, None


def msg_slip(rule, value, reference, ref_text):
    ind = rule.ind
    ratio = value / reference
    unit = ind.unit
    big = ratio > 1
    units = _slip_units(unit)
    step = units[0] if units else TEN_THOUSAND
    args = {
        "name": ind.name,
        "v": _num(value),
        "unit": unit,
        "ref": ref_text,
        "r": _num(reference),
        "times": _sig(ratio if big else 1 / ratio),
        "right": _num(value / step if big else value * step),
    }
    wrong = (units[1] if big else units[2]) if units else None
    if wrong:
        args["wrong"] = wrong
        if big:
            message = _(
                "%(name)s %(v)s %(unit)s是%(ref)s %(r)s %(unit)s的 %(times)s 倍,疑似按%(wrong)s"
                "填报:按%(unit)s应为 %(right)s %(unit)s"
            )
        else:
            message = _(
                "%(name)s %(v)s %(unit)s仅为%(ref)s %(r)s %(unit)s的 %(times)s 分之一,"
                "疑似按%(wrong)s填报:按%(unit)s应为 %(right)s %(unit)s"
            )
    elif big:
        message = _(
            "%(name)s %(v)s %(unit)s是%(ref)s %(r)s %(unit)s的 %(times)s 倍,疑似单位错误"
            "(相差约万倍):若多填了万倍,应为 %(right)s %(unit)s"
        )
    else:
        message = _(
            "%(name)s %(v)s %(unit)s仅为%(ref)s %(r)s %(unit)s的 %(times)s 分之一,"
            "疑似单位错误(相差约万倍):若少填了万倍,应为 %(right)s %(unit)s"
        )
    return message % args
