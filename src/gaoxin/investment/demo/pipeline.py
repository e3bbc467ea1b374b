"""One zone's pipeline: each drawn `Spec` dressed (who invests, in what, how much) and turned into
rows, a project with its stage events through `investment.stages`, then its commitment and
funds in place."""

import datetime
import math
from decimal import Decimal

from gaoxin.core.models import Tag
from gaoxin.enterprises.models import Status

from .. import stages
from ..models import ORDER, Category, Commitment, FundsEntry, Project, Stage, StageEvent
from ..services import validate, validate_commitment
from .catalogue import (
    CHAIN_ODDS,
    CHANNELS,
    FOREIGN,
    FOREIGN_SHARE,
    FUNDS_NOTES,
    INVESTMENT_DEPARTMENTS,
    LOCAL,
    NOTES,
    ORIGINS,
    OTHER,
    PRODUCTS,
    USD_RATE,
)
from .histories import Histories
from .specs import AS_OF, NOT_BEFORE, D, Spec, between, days, money, month_end, trade_and_word


class ZonePipeline(Histories):
    """One zone's pipeline, drawn from a seeded random.Random; `demo` is the demo's context."""

    def __init__(self, demo, plan, zone, rng):
        self.plan, self.zone, self.rng, self.namer = plan, zone, rng, demo.namer()
        self.departments = demo.departments[plan.code]  # name → Department of this zone
        self.chains = demo.tags[plan.code]  # chain name → its industry-chain Tag
        self.lines = demo.chains  # chain name → its industry classes
        self.officers = demo.officers(zone)  # department name → User; None → the fallback
        self.registry = registry = demo.registries[plan.code]  # [(Enterprise, chain name)]
        self.registry_as_of = demo.as_of
        # Who may be an investor's company: operating industrial enterprises of a known product.
        self.pool = [
            (e, c)
            for e, c in registry
            if e.status == Status.OPERATING
            and demo.is_industrial(e.industry_id)
            and e.industry_id in PRODUCTS
        ]
        self.used: set[int] = set()
        self.names: set[str] = set()
        for enterprise, _chain in registry:
            self.namer.trade_names.add(trade_and_word(enterprise.name, plan.regions)[0])
        self.channels: dict[str, Tag] = {}

    # -- dressing a spec: who invests, in what, how much ---------------------------------------

    def _signed_on(self, spec: Spec) -> datetime.date | None:
        dates = [on for stage, on, _n in spec.moves if stage == Stage.SIGNED]
        return dates[-1] if dates else None

    def _pick_enterprise(self, lo: datetime.date, hi: datetime.date):
        candidates = [
            (e, c) for e, c in self.pool if lo <= e.established_on <= hi and e.pk not in self.used
        ]
        if not candidates:
            return None
        weights = [3 if e.above_scale else 1 for e, _c in candidates]
        enterprise, chain = self.rng.choices(candidates, weights)[0]
        self.used.add(enterprise.pk)
        return enterprise, chain

    def _dress(self, spec: Spec) -> None:
        rng = self.rng
        signed = self._signed_on(spec)
        anchor = signed or spec.moves[0][1]
        if spec.category == Category.INDUSTRIAL and spec.enterprise is None and spec.chain is None:
            found = None
            if spec.link and signed and signed <= self.registry_as_of:
                # the investor's new company, registered around the signing
                found = self._pick_enterprise(
                    signed - days(240), min(signed + days(150), self.registry_as_of)
                )
            elif signed and spec.ending != "short_funds" and rng.random() < 0.15:
                # an enterprise of the zone expands (以商招商)
                found = self._pick_enterprise(D(1990, 1, 1), anchor - days(3 * 365))
                spec.expansion = found is not None
            if found:
                spec.enterprise, spec.chain = found
                spec.industry = spec.enterprise.industry_id
        if spec.category == Category.INDUSTRIAL and spec.chain is None:
            chains = [c for c in CHAIN_ODDS if c == OTHER or c in self.chains]
            spec.chain = rng.choices(chains, [CHAIN_ODDS[c] for c in chains])[0]
        if not spec.industry:
            lines = [ln for ln in self.lines[spec.chain] if ln.code in PRODUCTS]
            spec.industry = rng.choices(lines, [ln.weight for ln in lines])[0].code
        if not spec.product:
            template, sizes = rng.choice(PRODUCTS[spec.industry])
            spec.product = template.format(n=rng.choice(sizes)) if sizes else template
            if spec.expansion:
                spec.product = spec.product.removesuffix("项目") + rng.choice(
                    ("二期项目", "扩产项目", "技术改造项目")
                )
        if not spec.investor_word:
            words = [w for ln in self.lines.get(spec.chain, ()) if ln.code == spec.industry
                     for w in ln.words]  # fmt: skip
            spec.investor_word = rng.choice(words) if words else "科技"
        if spec.planned is None:
            median, high = (5000, 15000) if spec.quick else (18000, 300000)
            value = math.exp(rng.gauss(math.log(median), 0.8))
            low = 1500 if spec.quick else 3000
            spec.planned = money(min(high, max(low, value)), 500 if value < 20000 else 1000)

    def _investor(self, spec: Spec) -> tuple[str, str, str | None, str]:
        """(investor name, the project's short name, origin province, origin country)."""
        rng = self.rng
        if spec.expansion:
            trade, word = trade_and_word(spec.enterprise.name, self.plan.regions)
            return spec.enterprise.name, trade + word[:2], LOCAL, ""
        if spec.enterprise is not None:
            trade, word = trade_and_word(spec.enterprise.name, self.plan.regions)
        else:
            trade, word = self.namer.trade_name(rng), spec.investor_word
        if spec.origin is None and rng.random() < FOREIGN_SHARE:
            country, prefix, form = rng.choice(FOREIGN)
            return f"{prefix}{trade}{word}{form}", trade + word[:2], None, country
        province = spec.origin
        if province is None:  # funds in place are counted for investors from outside Jiangxi
            origins = [o for o in ORIGINS if spec.ending != "short_funds" or o[0] != LOCAL]
            province = rng.choices([o[0] for o in origins], [o[1] for o in origins])[0]
        cities = next(o[2] for o in ORIGINS if o[0] == province)
        form = rng.choice(("股份有限公司", "集团有限公司", "有限公司", "有限公司"))
        return f"{rng.choice(cities)}{trade}{word}{form}", trade + word[:2], province, ""

    def _channel_and_department(self, spec: Spec, country: str) -> tuple[str, str]:
        rng = self.rng
        if spec.expansion:
            channel = "以商招商"
            department = "企业服务局" if rng.random() < 0.7 else "招商局"
        elif country:
            channel = rng.choice(("驻外招商", "展会招商", "委托招商"))
            department = "招商局"
        else:
            channel = rng.choices(CHANNELS, (30, 12, 12, 18, 10, 8))[0]
            names, weights = zip(*INVESTMENT_DEPARTMENTS, strict=True)
            department = "科技创新局" if channel == "基金招商" else rng.choices(names, weights)[0]
        if department not in self.departments:
            department = "招商局"
        return channel, department

    # -- rows --------------------------------------------------------------------------------

    def project(self, spec: Spec) -> tuple[Project, list[StageEvent]]:
        rng = self.rng
        self._dress(spec)
        investor, short, province, country = self._investor(spec)
        if spec.product.startswith(short[2:]):  # 永峰服装 + 服装智能工厂项目
            short = short[:2]
        name = f"{short}{spec.product}"
        while name in self.names:
            name = f"{self.namer.trade_name(rng)}{spec.investor_word[:2]}{spec.product}"
        self.names.add(name)
        channel, department = self._channel_and_department(spec, country)
        officer = self.officers.get(department) or self.officers[None]
        planned = spec.planned
        industrial = spec.category == Category.INDUSTRIAL
        share = rng.uniform(0.6, 0.9) if industrial else rng.uniform(0.5, 0.8)
        project = Project(
            zone=self.zone,
            name=name,
            category=spec.category,
            investor_name=investor,
            investor_enterprise=spec.enterprise,
            origin_province_id=province,
            origin_country=country,
            industry_id=spec.industry,
            chain=self.chains.get(spec.chain or ""),
            channel=self.channels[channel],
            planned_investment=planned,
            fixed_asset_investment=money(float(planned) * share),
            foreign_investment_usd=(
                money(float(planned) / USD_RATE * rng.uniform(0.6, 1.0), 10) if country else None
            ),
            department=self.departments[department],
            officer=officer,
            summary=(
                f"{investor}投资建设,计划总投资{_yi(planned)}亿元,"
                f"主要建设{spec.product.removesuffix('项目')}。"
            ),
        )
        events = [
            stages.enter(
                project, spec.moves[0][0], on=spec.moves[0][1], note=spec.moves[0][2] or
                self._note(spec.moves[0][0], spec.moves[0][1], channel), actor=officer,
                today=AS_OF,
            )
        ]  # fmt: skip
        for stage, on, note in spec.moves[1:]:
            note = note or (self._note(stage, on) if stage in NOTES else "")
            events.append(
                stages.apply_move(project, stage, on=on, note=note, actor=officer, today=AS_OF)
            )
        reached = ORDER.get(project.halted_from or project.stage, 0)
        if reached >= ORDER[Stage.NEGOTIATION]:
            self._sizes(project, spec)
        validate(project)
        return project, events

    def _sizes(self, project: Project, spec: Spec) -> None:
        """Land or floor space, output, tax and jobs, as negotiated (and committed at signing)."""
        rng, planned = self.rng, float(project.planned_investment)
        if spec.quick or planned < 6000:
            project.building_area = Decimal(rng.randint(10, 60) * 500)
            project.site = f"{self.plan.address_prefix}标准厂房{rng.randint(1, 24)}栋"
        else:
            project.land_mu = Decimal(max(10, round(planned / rng.uniform(280, 520))))
            a, b = rng.sample(self.plan.roads, 2)
            project.site = f"{self.plan.address_prefix}{a}以东、{b}以北地块"
        if project.category == Category.INDUSTRIAL:
            project.expected_output = money(planned * rng.uniform(1.2, 2.5))
        else:
            project.expected_output = money(planned * rng.uniform(0.2, 0.6))
        project.expected_tax = money(float(project.expected_output) * rng.uniform(0.03, 0.06), 10)
        project.expected_jobs = max(20, min(3000, round(planned / rng.uniform(60, 200))))

    def commitment(self, project: Project, spec: Spec) -> tuple[Commitment, list[FundsEntry]]:
        """What the investor promised at signing and the funds in place so far; `spec.ending`
        decides which projects fall behind."""
        rng, ending = self.rng, spec.ending
        signed, started, production = project.signed_on, project.started_on, project.production_on
        behind = ending in ("no_start", "hold_signed")
        if started:
            start_by = started + days(rng.randint(0, 60))
            if rng.random() < 0.15:  # started, but after the deadline
                start_by = max(signed + days(30), started - days(rng.randint(20, 90)))
        elif behind or project.stage == Stage.DROPPED:
            start_by = month_end(signed + days(rng.randint(120, 200)))
        else:
            start_by = max(month_end(signed + days(rng.randint(120, 240))), NOT_BEFORE)
        if production:
            production_by = production + days(rng.randint(0, 120))
            if rng.random() < 0.15:
                production_by = production - days(rng.randint(30, 150))
            production_by = max(production_by, start_by)
        elif ending == "late_production":
            production_by = month_end(started + days(rng.randint(365, 540)))
        elif behind or project.stage == Stage.DROPPED:
            production_by = month_end(start_by + days(rng.randint(365, 720)))
        else:
            production_by = max(month_end(start_by + days(rng.randint(365, 720))), NOT_BEFORE)
        commitment = Commitment(
            zone=self.zone,
            project=project,
            investment=project.planned_investment,
            start_by=start_by,
            production_by=production_by,
            land_mu=project.land_mu,
            annual_output=project.expected_output,
            annual_tax=project.expected_tax,
            jobs=project.expected_jobs,
        )
        funds = []
        if project.origin_province_id != LOCAL:
            funds = self._funds(project, commitment, ending)
        validate_commitment(commitment)
        return commitment, funds

    def _funds(self, project, commitment, ending) -> list[FundsEntry]:
        rng, signed = self.rng, project.signed_on
        promised = money(float(project.planned_investment) * rng.uniform(0.3, 0.6))
        commitment.funds_in_place = promised
        funds_by = month_end(signed + days(rng.randint(365, 730)))
        if ending == "short_funds":
            funds_by = min(funds_by, month_end(AS_OF - days(200)))
            total, last = promised * Decimal(str(round(rng.uniform(0.4, 0.75), 2))), funds_by
        elif project.stage == Stage.DROPPED:
            total, last = promised * Decimal("0.1"), min(funds_by, project.stage_on)
        elif ending in ("no_start", "hold_signed"):
            total, last = promised * Decimal(str(round(rng.uniform(0.1, 0.4), 2))), funds_by
        elif funds_by < AS_OF:
            total, last = promised * Decimal(str(round(rng.uniform(1.0, 1.15), 2))), funds_by
        else:  # not due yet: in place pro rata
            funds_by = max(funds_by, NOT_BEFORE)
            elapsed = (AS_OF - signed).days / (funds_by - signed).days
            total, last = promised * Decimal(str(round(elapsed * rng.uniform(0.6, 1.0), 2))), AS_OF
        commitment.funds_by = funds_by
        last = min(last, AS_OF)
        if total < 10 or last <= signed:
            return []
        parts = rng.randint(1, 4) if total >= 1000 else 1
        weights = [rng.uniform(1, 3) for _ in range(parts)]
        amounts = [money(float(total) * w / sum(weights), 10) for w in weights[:-1]]
        amounts.append(total.quantize(Decimal("1")) - sum(amounts, Decimal(0)))
        dates = sorted(between(rng, signed + days(10), last) for _ in range(parts))
        source = (
            FundsEntry.Source.FOREIGN
            if project.origin_country
            else (FundsEntry.Source.OUT_OF_PROVINCE)
        )
        return [
            FundsEntry(
                zone=self.zone,
                project=project,
                on=on,
                amount=amount,
                source=source,
                note=rng.choice(FUNDS_NOTES),
                actor_name=project.officer.username,
            )
            for on, amount in zip(dates, amounts, strict=True)
            if amount > 0
        ]


def _yi(wan: Decimal) -> str:
    return format((wan / 10000).quantize(Decimal("0.01")).normalize(), "f")
