"""The moves of each project in a zone's pipeline: the main zone's calibrated cohorts, the years
since, the open pipeline and the non-industrial projects, or a smaller pipeline for the other
zones. `Histories` draws the `Spec`s; `pipeline.ZonePipeline` dresses and writes them."""

import datetime
import math

from ..models import Stage
from . import figures
from .catalogue import (
    BACK_TO_NEGOTIATION,
    BACK_TO_SIGNED,
    BACK_TO_VISIT,
    CLOUD_SIGNING,
    DROP_BEFORE_SIGNING,
    DROP_REASONS,
    ELECTRONICS,
    HOLD_REASONS,
    NOTES,
    RESUME_NOTES,
)
from .specs import (
    AS_OF,
    FLAGSHIP,
    LARGE_2020Q1,
    MAIN_COHORTS,
    NON_INDUSTRIAL,
    D,
    Move,
    Spec,
    between,
    days,
    later,
    money,
    month_end,
)


class Histories:
    """The specs of one zone's projects, drawn from `self.rng`; `self.registry` holds the zone's
    (enterprise, chain) pairs and `self.used` the enterprises already investing."""

    # -- histories ---------------------------------------------------------------------------

    def _note(self, stage: str, on: datetime.date, channel: str = "") -> str:
        if stage == Stage.SIGNED and D(2020, 2, 1) <= on <= D(2020, 3, 31):
            return CLOUD_SIGNING
        return self.rng.choice(NOTES[stage]).format(c=channel or "招商渠道")

    def _approach(self, until: datetime.date, *, direct=False, back=False) -> list[Move]:
        """线索 → 考察 → 洽谈 before `until`; some skip stages, a few go back once."""
        rng = self.rng
        if direct:
            path = [Stage.NEGOTIATION]
        else:
            path = rng.choices(
                (
                    [Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION],
                    [Stage.VISIT, Stage.NEGOTIATION],
                    [Stage.LEAD, Stage.NEGOTIATION],
                    [Stage.LEAD, Stage.VISIT],
                ),
                (55, 25, 12, 8),
            )[0]
        first = until - days(rng.randint(45, 400))
        dates = sorted(between(rng, first, until - days(3)) for _ in path[1:])
        moves = [(s, d, "") for s, d in zip(path, [first, *dates], strict=True)]
        if back and path[-2:] == [Stage.VISIT, Stage.NEGOTIATION]:
            lo = moves[-1][1]
            again = sorted(between(rng, lo, until - days(1)) for _ in range(2))
            moves += [
                (Stage.VISIT, again[0], rng.choice(BACK_TO_VISIT)),
                (Stage.NEGOTIATION, again[1], "重新考察后恢复洽谈"),
            ]
        return moves

    def _path(self, signed, started=None, production=None, ending="", direct=False) -> list[Move]:
        """The moves of a project signed on `signed` (then started, into production), with its
        ending: dropped, hold_signed (on hold since, never started), hold_resume, back_signed
        (signed once before, back to 洽谈), back_started (开工 corrected back to 签约), or
        no_start / late_production / short_funds (behind on a commitment, see `_commitment`)."""
        rng = self.rng
        first_signing = signed
        if ending == "back_signed":
            first_signing = signed - days(rng.randint(40, 120))
        moves = self._approach(first_signing, direct=direct, back=rng.random() < 0.15)
        moves.append((Stage.SIGNED, first_signing, ""))
        if ending == "back_signed":
            back = between(rng, first_signing + days(5), signed - days(10))
            moves += [
                (Stage.NEGOTIATION, back, rng.choice(BACK_TO_NEGOTIATION)),
                (Stage.SIGNED, signed, "重新签订投资协议"),
            ]
        if started:
            if ending == "hold_resume" and (started - signed).days > 60:
                hold = between(rng, signed + days(20), started - days(30))
                moves.append((Stage.ON_HOLD, hold, rng.choice(HOLD_REASONS)))
                moves.append((Stage.STARTED, started, rng.choice(RESUME_NOTES) + ",开工建设"))
            elif ending == "back_started" and (AS_OF - started).days > 40:
                moves.append((Stage.STARTED, started, ""))
                back = started + days(rng.randint(5, 20))
                moves.append((Stage.SIGNED, back, rng.choice(BACK_TO_SIGNED)))
                started = between(rng, back + days(10), min(back + days(90), AS_OF))
                moves.append((Stage.STARTED, started, "取得施工许可,重新登记开工"))
                if production and production <= started:
                    production = None
            else:
                moves.append((Stage.STARTED, started, ""))
        if production:
            moves.append((Stage.PRODUCTION, production, ""))
        last = moves[-1][1]
        if ending == "dropped":
            on = later(rng, last, 120, 600)
            moves.append((Stage.DROPPED, on, rng.choice(DROP_REASONS)))
        elif ending == "hold_signed":
            on = later(rng, last, 150, 400)
            moves.append((Stage.ON_HOLD, on, rng.choice(HOLD_REASONS)))
        return moves

    def _open(self, stage: str, last: datetime.date, ending: str = "") -> list[Move]:
        """A project not (yet) signed: up to `stage` by `last`, then maybe on hold or dropped."""
        rng = self.rng
        order = [Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION]
        path = order[: order.index(stage) + 1]
        if len(path) > 1 and rng.random() < 0.3:
            path = path[1:]
        first = last - days(rng.randint(20, 300)) if len(path) > 1 else last
        dates = sorted(between(rng, first, last) for _ in path[1:])
        moves = [(s, d, "") for s, d in zip(path, [first, *dates], strict=True)]
        if ending == "back" and path[-2:] == [Stage.VISIT, Stage.NEGOTIATION]:
            on = later(rng, moves[-1][1], 0, 60)
            moves.append((Stage.VISIT, on, rng.choice(BACK_TO_VISIT)))
        elif ending == "hold":
            on = later(rng, moves[-1][1], 10, 120)
            moves.append((Stage.ON_HOLD, on, rng.choice(HOLD_REASONS)))
        elif ending == "dropped":
            on = later(rng, moves[-1][1], 10, 200)
            moves.append((Stage.DROPPED, on, rng.choice(DROP_BEFORE_SIGNING)))
        return moves

    def _recent(self, signed: datetime.date, ending: str = "", quick=False) -> Spec:
        """A project signed after March 2020: started and into production when due by AS_OF."""
        rng = self.rng
        started = signed + days(rng.randint(30, 150) if quick else rng.randint(45, 300))
        started = started if started <= AS_OF - days(5) else None
        production = None
        if started:
            span = rng.randint(150, 330) if quick else rng.randint(240, 720)
            production = started + days(span)
            production = production if production <= AS_OF - days(5) else None
        if ending in ("no_start", "hold_signed", "dropped"):
            started = production = None
        if ending == "late_production":
            production = None
        if ending == "back_started" and not started:
            ending = ""
        if ending == "hold_resume" and not started:
            ending = ""
        moves = self._path(signed, started, production, ending)
        return Spec(moves=moves, ending=ending, quick=quick)

    # -- the plans ---------------------------------------------------------------------------

    def main_specs(self) -> list[Spec]:
        """The calibrated main zone: cohorts up to 2019, 2020 Q1, the years since, the open
        pipeline and the non-industrial projects."""
        rng, specs = self.rng, []
        for cohort in MAIN_COHORTS:
            for i in range(cohort.count):
                ending = cohort.endings[i] if i < len(cohort.endings) else ""
                signed = between(rng, *cohort.signed)
                started = between(rng, max(cohort.started[0], signed + days(20)), cohort.started[1])
                gap = 60 if cohort.quick else 90
                windows = [w for w in cohort.production if w[1] >= started + days(gap)]
                lo, hi = rng.choice(windows)
                production = between(rng, max(lo, started + days(gap)), hi)
                if ending in ("dropped", "hold_signed"):
                    started = production = None
                elif ending == "late_production":
                    production = None
                spec = Spec(
                    moves=self._path(signed, started, production, ending),
                    ending=ending,
                    quick=cohort.quick,
                    link=production is not None,
                )
                specs.append(spec)
        self._flagship(specs[6], "二期项目")  # a 2018 cohort project: 鸿泰光电 expands
        specs += self._specs_2020q1()
        specs += self._specs_since(
            [between(rng, D(2020, 4, 8), D(2023, 12, 22)) for _ in range(24)],
            ("dropped", "dropped", "hold_resume", "late_production", "short_funds",
             "back_signed", "back_started"),
        )  # fmt: skip
        recent = [between(rng, D(2024, 1, 8), D(2026, 8, 28)) for _ in range(18)]
        # Four signed within the 百日招商 under way on AS_OF.
        recent += [between(rng, D(2026, 9, 2), D(2026, 11, 16)) for _ in range(4)]
        tail = self._specs_since(
            sorted(recent[:18]) + recent[18:],
            ("no_start", "no_start", "hold_signed", "short_funds", "back_started", "back_signed",
             "dropped"),
        )  # fmt: skip
        # 鸿泰光电's second project: signed in 2024 or 2025 and started.
        own = next(s for s in tail[7:] if s.moves[-1][0] == Stage.STARTED and not s.ending)
        self._flagship(own, "Mini LED背光模组技改扩产项目")
        specs += tail
        specs += self._open_specs(28)
        specs += self._non_industrial()
        return specs

    def small_specs(self) -> list[Spec]:
        """A smaller, uncalibrated pipeline for the other zones."""
        rng = self.rng
        signed = sorted(between(rng, D(2020, 6, 1), D(2026, 10, 30)) for _ in range(10))
        return self._specs_since(signed, ("dropped", "short_funds")) + self._open_specs(6)

    def _specs_since(self, dates, endings) -> list[Spec]:
        specs = []
        for i, signed in enumerate(dates):
            ending = endings[i] if i < len(endings) else ""
            specs.append(self._recent(signed, ending, quick=self.rng.random() < 0.2))
        return specs

    def _specs_2020q1(self) -> list[Spec]:
        rng, specs = self.rng, []
        for i, amount in enumerate(figures.PROJECTS_SIGNED_2020Q1_AMOUNTS):
            signed = between(rng, D(2020, 1, 6), D(2020, 3, 31))
            if D(2020, 1, 22) <= signed < D(2020, 2, 10):  # 春节 and the first weeks of 疫情
                signed += days(20)
            started = between(rng, D(2020, 5, 6), D(2020, 12, 25))
            large = i < len(LARGE_2020Q1)
            last = D(2023, 6, 30) if large else D(2022, 6, 30)
            production = between(rng, started + days(300 if large else 200), last)
            ending = "dropped" if i == 5 else ""
            if ending:
                started = production = None
            spec = Spec(moves=self._path(signed, started, production, ending), planned=amount)
            spec.ending = ending
            if large:
                spec.chain, spec.industry, spec.product, spec.origin, spec.investor_word = (
                    LARGE_2020Q1[i]
                )
            specs.append(spec)
        return specs

    def _open_specs(self, count: int) -> list[Spec]:
        """Leads, visits and negotiations of 2025–2026, two on hold, some dropped earlier."""
        rng, specs = self.rng, []
        plan = (
            [(Stage.LEAD, "")] * 10
            + [(Stage.VISIT, "")] * 7
            + [(Stage.NEGOTIATION, "back")] * 2
            + [(Stage.NEGOTIATION, "")] * 5
            + [(Stage.NEGOTIATION, "hold")] * 2
            + [(Stage.VISIT, "dropped")] * 2
        )
        if count < len(plan):
            plan = rng.sample(plan, count)
        for stage, ending in plan:
            if ending == "dropped":
                last = between(rng, D(2021, 6, 1), D(2026, 6, 30))
            elif stage == Stage.LEAD:
                last = between(rng, D(2026, 1, 5), AS_OF - days(2))
            else:
                last = between(rng, D(2025, 10, 8), AS_OF - days(15))
            specs.append(Spec(moves=self._open(stage, last, ending), ending=ending))
        return specs

    def _non_industrial(self) -> list[Spec]:
        rng, specs = self.rng, []
        for category, chain, industry, product, word, moves in NON_INDUSTRIAL:
            dated, last = [], None
            for stage, year, month in moves:
                lo = D(year, month, 1) if last is None else max(D(year, month, 1), last)
                on = between(rng, lo, min(month_end(lo), AS_OF))
                dated.append((stage, on, ""))
                last = on
            planned = money(math.exp(rng.gauss(math.log(15000), 0.6)), 500)
            specs.append(
                Spec(
                    moves=dated,
                    category=category,
                    chain=chain,
                    industry=industry,
                    product=product,
                    investor_word=word,
                    planned=planned,
                )
            )
        return specs

    def _flagship(self, spec: Spec, product: str) -> None:
        enterprise = next(e for e, _c in self.registry if e.name == FLAGSHIP)
        spec.enterprise, spec.expansion, spec.link = enterprise, True, False
        spec.chain, spec.industry = ELECTRONICS, enterprise.industry_id
        spec.product = product
        if product == "二期项目":
            spec.product = "年产800万片液晶显示模组二期项目"
        self.used.add(enterprise.pk)
