"""Economic statistics' demo step: every zone's returns written as the services leave them, the
main zone's calibrated, with its official figures, deadlines and a present period with work to
do (the planted errors of PLANTED, reporters missing, reminders sent)."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from gaoxin.core.bulk import insert
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Contact

from .. import publish, rollups, services
from ..importers.writing import RETURN_FIELDS, REVISION_FIELDS
from ..models import Finding, OfficialSource, Return, ReturnRevision, ReturnStatus
from . import figures
from .calibration import COMPUTED, CalibrationError, check_calibration
from .drawing import (
    FIRST,
    OTHER_ZONES_FIRST,
    PRESENT,
    TENTH,
    Reporter,
    calibrate,
    draw,
    plant,
    round_months,
    span,
)

# The planted errors of the present period: (enterprise, the rule that must catch it). Flagship
# enterprises of the main zone, so that the names are the same for every seed.
PLANTED = (
    ("江西仁济药业有限公司", "cumulative-revenue"),  # the month's revenue typed as 1–10月
    ("赣江恒信纺织服饰有限公司", "unit-slip-output"),  # output typed in 元, not 万元
    ("江西聚材高分子材料有限公司", "ratio-electricity-output"),  # electricity off the scale
    ("江西智衡机器人科技有限公司", "swing-month-output"),  # October's output +80%, unexplained
    ("九江晶彩电子玻璃股份有限公司", "required-employees"),  # employees left empty
)
RETURNED_REASON = "出口交货值与海关数据不一致,请核实后重新报送"
SECOND_REMINDER = "已超过报送截止日期,请今日内完成 2026 年 10 月统计报表的填报与报送。"


@dataclass
class StatisticsSummary:
    zone: object
    returns: int = 0
    values: int = 0
    periods: int = 0
    by_status: dict = field(default_factory=dict)  # present period: status → count
    missing: int = 0
    findings: int = 0
    officials: int = 0
    reminders: int = 0
    deadlines: int = 0
    planted: list = field(default_factory=list)  # [(enterprise name, uscc, rule code)]
    measured: dict = field(default_factory=dict)

    def as_audit(self) -> dict:
        """For the zone's one demo audit record."""
        return {"月度报表": self.returns, "报表数值": self.values, "官方数据": self.officials}

    def line(self) -> str:
        status = "、".join(f"{ReturnStatus(s).label}{n}" for s, n in self.by_status.items() if n)
        return (
            f"  {self.zone.name}:月度报表 {self.returns} 份({self.periods} 个报告期),"
            f"报表数值 {self.values} 条;{PRESENT.label()}:{status or '无'},"
            f"未报 {self.missing} 家,审核发现 {self.findings} 项,官方数据 {self.officials} 条"
        )


@dataclass
class ReturnsSummary:
    """What the step wrote: one StatisticsSummary per zone, in plan order."""

    zones: list[StatisticsSummary] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [s.line() for s in self.zones]

    def audit(self, zone) -> dict:
        return next((s.as_audit() for s in self.zones if s.zone == zone), {})


def build(demo) -> ReturnsSummary:
    """The demo step: each zone's statistics, in plan order. Needs the registries and the
    accounts (the enterprises step); `demo` is the demo's context."""
    return ReturnsSummary([build_zone(demo, plan) for plan in demo.plans])


def build_zone(demo, plan) -> StatisticsSummary:
    """Write one zone's statistics; the main zone's calibrated to DOMAIN.md's 2019 figures. An
    enterprise account of the zone (`demo.accounts`) gets its draft."""
    zone = demo.zones[plan.code]
    account = next(
        (
            (u, m.enterprise_id)
            for u, m in demo.accounts
            if m.enterprise_id and m.zone_id == zone.pk
        ),
        None,
    )
    return ZoneStatistics(
        zone,
        demo.rng(plan.code, "statistics"),
        registry=demo.registries[plan.code],
        officers=demo.officers(zone),
        account=account,
        calibrated=demo.calibrated(zone),
    ).build()


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _plain(data: dict) -> dict:
    return {code: None if v is None else format(v, "f") for code, v in data.items()}


class ZoneStatistics:
    """One zone's statistics; `officers` by department name (demo.officers), `account` the
    enterprise demo user (the main zone's) or None."""

    def __init__(self, zone, rng, *, registry, officers, account=None, calibrated=False):
        self.zone, self.rng, self.calibrated = zone, rng, calibrated
        self.officer = officers.get("经济发展局") or officers.get(None)
        self.account, own = account or (None, None)
        self.first = FIRST if calibrated else OTHER_ZONES_FIRST
        self.reporters = []
        for enterprise, chain in registry:
            periods = span(enterprise, self.first)
            if periods:
                self.reporters.append(Reporter(enterprise, chain, *periods))
        self.own = next((r for r in self.reporters if r.enterprise.pk == own), None)
        self.summary = StatisticsSummary(zone)

    def build(self) -> StatisticsSummary:
        for reporter in self.reporters:
            draw(self.rng, reporter)
        if self.calibrated:
            calibrate(self.reporters)
        else:
            round_months(self.reporters)
        present = self._present_roles() if self.calibrated else {}
        self._deadlines()
        self._write_history(present)
        rollups.refresh_all(self.zone.pk)
        if self.calibrated:
            check_calibration(self.zone, COMPUTED)
            self._write_present(present)
            self._write_officials()
            self.summary.measured = check_calibration(self.zone)
        self._count()
        return self.summary

    # -- the present period's roles ------------------------------------------------------------

    def _present_roles(self) -> dict:
        """{enterprise id: role} for the present period; enterprises not named are accepted."""
        by_name = {r.enterprise.name: r for r in self.reporters}
        roles = {}
        for name, rule in PLANTED:
            reporter = by_name.get(name)
            if reporter is None or not reporter.reports(PRESENT.key):
                raise CalibrationError(f"planted error on {name}: not a reporter of {PRESENT}")
            roles[reporter.enterprise.pk] = ("planted", rule)
        if self.own is not None:
            roles[self.own.enterprise.pk] = ("draft", None)
        pool = [
            r
            for r in self.reporters
            if r.reports(PRESENT.key) and r.enterprise.pk not in roles and r.reports(202510)
        ]
        counts = (
            ("missing", figures.PRESENT_NOT_STARTED),
            ("submitted", figures.PRESENT_SUBMITTED_CLEAN),
            ("returned", figures.PRESENT_RETURNED),
        )
        chosen = self.rng.sample(pool, sum(n for _role, n in counts))
        for role, n in counts:
            for reporter in chosen[:n]:
                roles[reporter.enterprise.pk] = (role, None)
            chosen = chosen[n:]
        return roles

    # -- history: bulk, as the services leave it -----------------------------------------------

    def _deadlines(self) -> None:
        self.deadlines = dict(figures.STATISTICS_DEADLINES) if self.calibrated else {}
        for period, due in self.deadlines.items():
            services.set_deadline(self.officer, self.zone, period, due)
        self.summary.deadlines = len(self.deadlines)

    def _due(self, period: Period) -> datetime.date:
        return self.deadlines.get(period.key) or services.default_due_on(period.key)

    def _write_history(self, present: dict) -> None:
        """Every accepted return, with its submission and acceptance snapshots, then its values
        (`publish.publish_many`); rows as the services leave them, inserted as plain tuples."""
        rng, zone, ops = self.rng, self.zone, connection.ops
        names = self._reporters_names()
        account_pk = self.own.enterprise.pk if self.own else None
        account_id = self.account.pk if self.account else None
        officer = self.officer
        rows, snapshots = [], []
        for reporter in self.reporters:
            e = reporter.enterprise
            submitter = (account_id, self.account.username) if e.pk == account_pk else None
            for period in reporter.periods():
                if period == PRESENT and e.pk in present:
                    continue
                due = self._due(period)
                submitted = _aware(
                    due - datetime.timedelta(days=rng.randint(0, 5)),
                    rng.randint(8, 17),
                    rng.randint(0, 59),
                )
                reviewed = submitted + datetime.timedelta(
                    days=rng.randint(1, 3), hours=rng.randint(0, 3)
                )
                at, done = (
                    ops.adapt_datetimefield_value(submitted),
                    ops.adapt_datetimefield_value(reviewed),
                )
                data = json.dumps(_plain(reporter.data(period)))
                rows.append(
                    (zone.pk, e.pk, period.key, ReturnStatus.ACCEPTED, data, "{}",
                     ops.adapt_datefield_value(due), at, submitter and submitter[0], done,
                     officer.pk, "", 0, 4, at, done)
                )  # fmt: skip
                who = submitter or (None, names.get(e.pk, ""))
                snapshots.append((e.pk, period.key, data, at, done, who))
        insert(Return, RETURN_FIELDS, rows)
        pks = {
            (enterprise, period): pk
            for enterprise, period, pk in Return.objects.filter(zone=zone).values_list(
                "enterprise_id", "period", "pk"
            )
        }
        revisions = []
        for enterprise, period, data, at, done, (actor_id, actor_name) in snapshots:
            pk = pks[(enterprise, period)]
            revisions.append(
                (zone.pk, pk, 0, ReturnStatus.SUBMITTED, data, "", actor_id, actor_name, at)
            )
            revisions.append(
                (zone.pk, pk, 0, ReturnStatus.ACCEPTED, data, "", officer.pk, officer.username,
                 done)
            )  # fmt: skip
        insert(ReturnRevision, REVISION_FIELDS, revisions)
        returns = [
            Return(pk=pks[(row[1], row[2])], zone_id=zone.pk, enterprise_id=row[1],
                   period=row[2], data=json.loads(row[4]))
            for row in rows
        ]  # fmt: skip
        self.summary.values = publish.publish_many(zone, returns, refresh=False)
        self.summary.returns = len(returns)
        self.summary.periods = len({r.period for r in returns})

    def _reporters_names(self) -> dict:
        """Who files each enterprise's returns: its 统计员, else its primary contact."""
        names = {}
        contacts = Contact.objects.filter(
            zone=self.zone, enterprise_id__in=[r.enterprise.pk for r in self.reporters]
        ).order_by("enterprise_id", "-is_primary", "id")
        for c in contacts:
            if c.title == "统计员" or c.enterprise_id not in names:
                names[c.enterprise_id] = c.name
        return names

    # -- the present period: through the services ----------------------------------------------

    def _write_present(self, present: dict) -> None:
        officer = self.officer
        by_pk = {r.enterprise.pk: r for r in self.reporters}
        for pk, (role, rule) in sorted(present.items()):
            reporter = by_pk[pk]
            e = reporter.enterprise
            data = reporter.data(PRESENT)
            if role == "missing":
                continue
            if role == "draft":
                user = self.account
                ret = services.return_for(user, e, PRESENT.key, create=True)
                partial = {c: data[c] for c in ("output_value", "revenue", "employees")}
                services.save_draft(user, ret, data=partial, version=ret.version)
                continue
            if role == "planted":
                data = plant(reporter, rule, data)
                self.summary.planted.append((e.name, e.uscc, rule))
            ret = services.return_for(officer, e, PRESENT.key, create=True)
            ret = services.save_draft(officer, ret, data=data, version=ret.version)
            ret = services.submit(officer, ret, version=ret.version)
            if role == "returned":
                services.send_back(officer, ret, reason=RETURNED_REASON, version=ret.version)
        self.summary.reminders = services.remind(officer, self.zone, PRESENT.key)
        not_started = [pk for pk, (role, _r) in present.items() if role == "missing"]
        self.summary.reminders += services.remind(
            officer, self.zone, PRESENT.key, enterprise_ids=not_started, message=SECOND_REMINDER
        )

    def _write_officials(self) -> None:
        officer, zone = self.officer, self.zone
        statistics, tax = OfficialSource.STATISTICS, OfficialSource.TAX
        rows = []
        for period, (value, pct) in figures.VALUE_ADDED.items():
            rows.append(("industrial_value_added", period, value, pct, statistics))
        for period, share in figures.HIGH_TECH_SHARE.items():
            rows.append(("hightech_share", period, share, None, statistics))
            added = Decimal(figures.VALUE_ADDED[period][0]) * Decimal(share) / 100
            rows.append(
                ("hightech_value_added", period, added.quantize(TENTH, ROUND_HALF_UP), None,
                 statistics)
            )  # fmt: skip
        for period, (value, pct) in figures.OFFICIAL_TAX.items():
            rows.append(("official_tax", period, value, pct, tax))
        for period, (value, pct) in figures.GDP.items():
            rows.append(("gdp", period, value, pct, statistics))
        for period, value in figures.RD_INTENSITY.items():
            rows.append(("rd_intensity", period, value, None, statistics))
        for code, period, value, pct, source in rows:
            services.save_official(
                officer, zone, indicator=code, period=period, value=value, yoy_pct=pct,
                source=source, source_note=_source_note(code, period),
            )  # fmt: skip
        self.summary.officials = len(rows)

    def _count(self) -> None:
        key = PRESENT.key
        statuses = Return.objects.filter(zone=self.zone, period=key).values_list(
            "status", flat=True
        )
        counts = {s: 0 for s in ReturnStatus.values}
        for status in statuses:
            counts[status] += 1
        self.summary.by_status = counts
        self.summary.missing = services.missing_reporters(self.zone, key).count()
        self.summary.findings = Finding.objects.filter(zone=self.zone, period=key).count()


def _source_note(code: str, period: int) -> str:
    label = Period.of(period).ytd_label()
    if code == "official_tax":
        return f"县税务局提供,{label}"
    return f"县统计局月报,{label}"
