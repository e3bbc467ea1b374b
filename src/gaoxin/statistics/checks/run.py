"""Running the zone's rules over a batch of items: the constant number of queries is done first
(`rules.prepare`, `history.load_accepted`, `peers.peer_groups`), then a plain Python loop over
prepared tuples; a message is only built for a failure.

Rule kinds (`Rule.Kind`) and their params:
- required: the value is missing.
- range: {"min", "max"} (either may be absent).
- not_decreasing: a cumulative value below the previous reporting month's of the same year (the
  1–2月 return has none).
- swing_month: {"pct"}: the month's own value (cumulative minus the previous month's; the 1–2月
  value as is) against the previous month's own value; the 1–2月 value covers two months, so March
  compares with half of it. The 1–2月 return itself is not checked.
- swing_year: {"pct"}: the value against the same period last year.
- ratio: {"min", "max"}: indicator ÷ other; skipped when the other is 0 or missing.
- peer_outlier: {"factor", "min_peers"}: indicator ÷ other against the median of the other
  enterprises of the zone with the same industry division (2 digits) and scale for the period.
- unit_slip: {"factor", "min_peers", "down"}: a figure typed in 元 for 万元 (千瓦时 for 万千瓦时) or,
  unless "down" is false, in 亿元 for 万元 (far too small), judged
  against the enterprise's own history and its peers. With history: the value is ≥ factor × or
  ≤ 1/factor × its previous reporting month and the same month last year (each that exists and
  is positive); when the two references disagree, one of them is the slip, not this value; and
  when the value sits among its peers (within √factor of the median of at least min_peers
  enterprises of its industry division and scale) while its history does not, the history is the
  slip (a figure once accepted in 元 must not block the right one). Without history: the value
  is ≥ factor × or ≤ 1/factor × that peer median.

One slip is one finding: when the unit_slip rule fires on a value, the other findings of rules
on the same indicator (swings, ratios, peer outliers, not decreasing …) are left out; they are
the same mistake, and the checks run again on the corrected figure.
"""

import gc
from bisect import bisect_left
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core.periods import FIRST_MONTH

from .. import catalogue
from .history import load_accepted
from .messages import (
    cumulative_word,
    msg_decreasing,
    msg_peer,
    msg_range,
    msg_ratio,
    msg_required,
    msg_slip,
    msg_swing,
    peer_text,
)
from .peers import TWO, median_without, peer_groups, profiles, value_groups
from .rules import prepare, problem, threshold

HUNDRED = Decimal(100)
# From this many items, the cyclic garbage collector pauses while the batch is checked.
GC_PAUSE_FROM = 10_000
# The kinds that read the enterprise's own history.
HISTORY_KINDS = {"not_decreasing", "swing_month", "swing_year", "unit_slip"}


def evaluate(zone, items, *, rules=None) -> dict:
    """Run the zone's rules over `items` = [(key, enterprise, period, data)], `enterprise` an
    Enterprise or its id, `period` yyyymm, `data` {indicator code: Decimal | None}.

    Returns {key: [Problem]} with every key (an empty list when clean). `rules` defaults to
    `catalogue.rules_for(zone)` (pass them when checking many batches of one zone).
    """
    items = items if isinstance(items, list) else list(items)
    if len(items) < GC_PAUSE_FROM or not gc.isenabled():
        return _evaluate(zone, items, rules)
    # A big batch allocates hundreds of thousands of small containers: the cyclic collector's
    # passes over them cost ~20 % of the run and would find nothing to free.
    gc.disable()
    try:
        return _evaluate(zone, items, rules)
    finally:
        gc.enable()


def _evaluate(zone, items, rules) -> dict:
    result = {key: [] for key, _e, _p, _d in items}
    if not items:
        return result
    zone_id = getattr(zone, "pk", zone)
    if rules is None:
        rules = catalogue.rules_for(zone)
    prepared, ids = prepare(zone_id, rules)
    if not prepared:
        return result
    code_of = {pk: code for code, pks in ids.items() for pk in pks}

    by_kind = defaultdict(list)
    for rule in prepared:
        by_kind[rule.kind].append(rule)
    required = [(r, r.ind.code) for r in by_kind["required"]]
    ranges = [
        (r, r.ind.code, threshold(r.params.get("min")), threshold(r.params.get("max")))
        for r in by_kind["range"]
    ]
    ratios = [
        (
            r,
            r.ind.code,
            r.other.code,
            threshold(r.params.get("min")),
            threshold(r.params.get("max")),
        )
        for r in by_kind["ratio"]
    ]
    decreasing = [(r, r.ind.code) for r in by_kind["not_decreasing"]]
    # Rules whose threshold is not a number are left out.
    swing_month = [
        (r, pct)
        for r in by_kind["swing_month"]
        if (pct := threshold(r.params.get("pct", 50))) is not None
    ]
    swing_year = [
        (r, r.ind.code, pct)
        for r in by_kind["swing_year"]
        if (pct := threshold(r.params.get("pct", 50))) is not None
    ]
    before_texts = {True: _("上月累计"), False: _("上月")}
    slips = [
        (
            r,
            r.ind.code,
            factor,
            factor.sqrt(),
            before_texts[r.ind.cumulative],
            max(int(least), 1),
            r.params.get("down") is not False,
        )
        for r in by_kind["unit_slip"]
        if (factor := threshold(r.params.get("factor", 1000)))
        and factor > 1
        and (least := threshold(r.params.get("min_peers", 5))) is not None
    ]
    # The indicators each rule looks at: a slipped value's other findings are left out.
    touches = {r.code: {r.ind.code} | ({r.other.code} if r.other else set()) for r in prepared}
    peer_params = []
    for r in by_kind["peer_outlier"]:
        factor, min_peers = (
            threshold(r.params.get("factor", 10)),
            threshold(r.params.get("min_peers", 5)),
        )
        if factor and factor > 1 and min_peers is not None:
            peer_params.append((r, factor, max(int(min_peers), 1)))
    peer_rules = [r for r, _f, _m in peer_params]

    # The batch by (enterprise, period), later items replacing earlier ones.
    batch = {}
    for _key, enterprise, period, data in items:
        batch[(getattr(enterprise, "pk", enterprise), period)] = data

    history_rules = [r for r in prepared if r.kind in HISTORY_KINDS]
    values, months = {}, {}
    if history_rules:
        # The (enterprise, period) pairs the batch refers to and does not hold itself.
        wanted, wanted_months = set(), set()
        for enterprise, period in batch:
            month = period % 100
            if month > FIRST_MONTH:
                before = (enterprise, period - 1)
                if before not in batch:
                    wanted.add(before)
                    if swing_month:
                        wanted_months.add(before)
                elif (
                    swing_month
                    and month > FIRST_MONTH + 1
                    and (enterprise, period - 2) not in batch
                ):
                    wanted.add((enterprise, period - 2))
            if (enterprise, period - 100) not in batch:
                wanted.add((enterprise, period - 100))
        indicator_ids = sorted({pk for r in history_rules for pk in ids[r.ind.code]})
        periods = {period for _e, period in wanted}
        values = load_accepted(zone_id, "value", periods, indicator_ids, code_of, wanted)
        if wanted_months:
            month_ids = sorted({pk for r, _limit in swing_month for pk in ids[r.ind.code]})
            periods = {period for _e, period in wanted_months}
            months = load_accepted(
                zone_id, "month_value", periods, month_ids, code_of, wanted_months
            )

    groups, profile = ({}, {})
    if peer_rules or slips:
        profile = profiles(zone_id, items)
    if peer_rules:
        groups = peer_groups(zone_id, peer_rules, items, ids, code_of, profile)
    slip_peers = None  # the peers' values, read on the first slip that needs them

    def peer_median(code, enterprise_id, period, value, least):
        """(median, peers, division) of the enterprise's peers' values of `code`, or None."""
        nonlocal slip_peers
        if enterprise_id not in profile:
            return None
        if slip_peers is None:
            codes = sorted({c for _r, c, *_rest in slips})
            slip_peers = value_groups(zone_id, codes, items, ids, code_of, profile)
        division, scale = profile[enterprise_id]
        values = slip_peers[code].get((period, division, scale))
        if not values or len(values) - 1 < least:
            return None
        return median_without(values, bisect_left(values, value)), len(values) - 1, division

    last_month = before_texts[False]
    last_year = _("去年同期")
    half_of_first = _("1–2月月均")

    empty = {}
    batch_get, values_get, months_get = batch.get, values.get, months.get
    for key, enterprise, period, data in items:
        out = result[key]
        get = data.get
        for rule, code in required:
            if get(code) is None:
                out.append(problem(rule, msg_required(rule, None)))
        for rule, code, low, high in ranges:
            value = get(code)
            if value is not None and (
                (low is not None and value < low) or (high is not None and value > high)
            ):
                out.append(problem(rule, msg_range(rule, value, low, high)))
        for rule, code, other_code, low, high in ratios:
            value, other = get(code), get(other_code)
            if value is None or not other:
                continue
            ratio = value / other
            if (low is not None and ratio < low) or (high is not None and ratio > high):
                out.append(problem(rule, msg_ratio(rule, value, other, ratio, low, high)))
        if not history_rules and not peer_params:
            continue
        enterprise_id = getattr(enterprise, "pk", enterprise)
        month = period % 100
        # The previous reporting month of the year (none for the 1–2月 return) and the same
        # period last year: the batch's item, else the accepted values.
        previous = period - 1 if month > FIRST_MONTH else None
        if previous is None:
            before_row, before_in_batch = empty, False
        else:
            before_row = batch_get((enterprise_id, previous))
            before_in_batch = before_row is not None
            if not before_in_batch:
                before_row = values_get((enterprise_id, previous), empty)
        last_row = batch_get((enterprise_id, period - 100))
        if last_row is None:
            last_row = values_get((enterprise_id, period - 100), empty)
        for rule, code in decreasing:
            if previous is None:
                break
            value = get(code)
            if value is None:
                continue
            before = before_row.get(code)
            if before is not None and value < before:
                out.append(problem(rule, msg_decreasing(rule, value, before)))
        for rule, limit in swing_month:
            if previous is None:
                break
            ind = rule.ind
            code = ind.code
            current = get(code)
            if current is None:
                continue
            if not ind.cumulative:
                reference = before_row.get(code)
            else:
                before = before_row.get(code)
                if before is None:
                    continue
                current = current - before  # the month's own value
                if not before_in_batch:
                    reference = months_get((enterprise_id, previous), empty).get(code)
                elif previous % 100 == FIRST_MONTH:
                    reference = before
                else:
                    older = batch_get((enterprise_id, previous - 1))
                    if older is None:
                        older = values_get((enterprise_id, previous - 1), empty)
                    older = older.get(code)
                    reference = None if older is None else before - older
            ref_text = last_month
            if reference is not None and ind.cumulative and previous % 100 == FIRST_MONTH:
                reference, ref_text = reference / TWO, half_of_first
            if not reference:
                continue
            change = (current - reference) / abs(reference) * HUNDRED
            if abs(change) > limit:
                word = _("当月") if ind.cumulative else ""
                out.append(
                    problem(
                        rule, msg_swing(ref_text, rule, current, reference, change, limit, word)
                    )
                )
        for rule, code, limit in swing_year:
            value = get(code)
            if value is None:
                continue
            reference = last_row.get(code)
            if not reference:
                continue
            change = (value - reference) / abs(reference) * HUNDRED
            if abs(change) > limit:
                out.append(
                    problem(
                        rule,
                        msg_swing(
                            last_year,
                            rule,
                            value,
                            reference,
                            change,
                            limit,
                            cumulative_word(rule.ind),
                        ),
                    )
                )
        slipped = None
        for rule, code, factor, window, before_text, least, down in slips:
            value = get(code)
            if value is None or value <= 0:
                continue
            # Off by the factor against every reference there is: a reference that disagrees
            # with the other is itself suspect (last month's slip must not block this month).
            first, history = None, False
            for row, ref_text in ((before_row, before_text), (last_row, last_year)):
                reference = row.get(code)
                if reference is None or reference <= 0:
                    continue
                history = True
                if value < reference * factor and (value * factor > reference or not down):
                    first = None
                    break
                if first is None:
                    first = (reference, ref_text)
            if history and first is None:
                continue
            peers = peer_median(code, enterprise_id, period, value, least)
            if first is not None:
                # The history says slip; a value among its peers says the history is the slip.
                if peers is not None and value < peers[0] * window and value * window > peers[0]:
                    continue
            elif peers is None or (
                value < peers[0] * factor and (value * factor > peers[0] or not down)
            ):
                continue
            else:
                first = (peers[0], peer_text(*peers[1:]))
            out.append(problem(rule, msg_slip(rule, value, first[0], first[1])))
            slipped = (slipped or set()) | {code}
        for rule, factor, min_peers in peer_params:
            value, other = get(rule.ind.code), get(rule.other.code)
            if value is None or not other or enterprise_id not in profile:
                continue
            division, scale = profile[enterprise_id]
            ratios_of_group = groups[rule.code].get((period, division, scale))
            if not ratios_of_group or len(ratios_of_group) - 1 < min_peers:
                continue
            ratio = value / other
            index = bisect_left(ratios_of_group, ratio)
            median = median_without(ratios_of_group, index)
            if median <= 0:
                continue
            if ratio > median * factor or ratio * factor < median:
                peers = len(ratios_of_group) - 1
                out.append(problem(rule, msg_peer(rule, ratio, median, peers, division, factor)))
        if slipped:  # one slip, one finding
            out[:] = [p for p in out if p.kind == "unit_slip" or not touches[p.rule_code] & slipped]
    return result
