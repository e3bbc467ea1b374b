"""Checking every row of a returns import: the credit code (check digit, an enterprise of this
zone's registry), the name against the registry, the period (January is exempt, no future
months), one row per enterprise and period, and what becomes of a return that is already there.

What the rules would look up row by row (the enterprises, the existing returns) is read once for
the file, so 100,000 rows validate without a query each.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.bulk import chunks, max_in_params
from gaoxin.core.codes import normalize_uscc, uscc_problem
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import halfwidth
from gaoxin.enterprises.models import Enterprise

from ..models import Return, ReturnStatus

TOO_BIG = Decimal(10) ** 15  # what the stored amounts hold (20 digits, 4 after the point)


@dataclass(slots=True)
class Entry:
    """One valid row: what to write for it."""

    row: int
    enterprise: Enterprise
    period: int
    data: dict  # {code: "decimal" | None}, as stored in Return.data
    numbers: dict  # {code: Decimal | None}, for the checks
    ret: Return | None = None  # the existing return it overwrites or revises
    revise: bool = False  # an accepted return becomes a revision
    ret_pk: int | None = None  # the return's id once written
    data_json: str = ""  # data as JSON text, dumped once for the return, revision and audit


@dataclass
class Plan:
    creates: list[Entry] = field(default_factory=list)
    updates: list[Entry] = field(default_factory=list)
    errors: list = field(default_factory=list)


def name_key(name: str) -> str:
    """Names compare half-width, without spaces: （ and ( are the same bracket."""
    return "".join(halfwidth(name or "").split())


def stored(number: Decimal | None) -> str | None:
    """As services.clean_data stores it: plain digits, no trailing zeros ("12000", "0.5")."""
    if number is None:
        return None
    text = str(number)
    if "E" in text or ("." in text and text[-1] == "0"):
        return format(number.normalize(), "f")
    return text


class Validator:
    """Checks every row; collects errors and what to write. No query per row."""

    def __init__(self, zone, parsed, texts, indicators, *, period, update_existing, progress):
        self.zone, self.parsed, self.layout, self.texts = zone, parsed, parsed.layout, texts
        self.codes = [i.code for i in indicators if i.code in self.layout.columns]
        self.all_codes = [i.code for i in indicators]
        self.failed_codes = set(self.codes)
        self.complete = len(self.codes) == len(self.all_codes)
        self.integer_codes = [i.code for i in indicators if i.decimal_places == 0]
        self.period = period  # the period given with the import (None: the file's column)
        self.update_existing, self.progress = update_existing, progress
        self.plan = Plan()
        self._seen: dict[tuple, tuple] = {}  # (uscc, name) as typed → (enterprise, errors)
        self._codes: dict[str, tuple] = {}  # uscc as typed → (normalised, problem)
        today = clock.today()
        self.latest = today.year * 100 + today.month

    def error(self, record, field_name, reason, value=None):
        if value is None and field_name:
            value = record.raw.get(field_name)
        self.plan.errors.append(self.layout.error(record.row, field_name, value, reason))

    def run(self) -> Plan:
        records = self.parsed.records
        if self.period is None and "period" not in self.layout.columns:
            self.plan.errors.append(
                self.layout.error(
                    None, None, "",
                    _("表中没有「报告期」列:请加上「报告期」列,或在导入时指定报告期"
                      "(页面上的「报告期」,命令行 --period YYYY-MM)"),
                )
            )  # fmt: skip
            return self.plan
        enterprises = self._enterprises(records)
        rows = []  # (record, enterprise, period)
        first_row: dict[tuple[int, int], int] = {}
        for i, record in enumerate(records):
            if self.progress and i % 2000 == 0:
                self.progress(i, len(records))
            enterprise = self._enterprise(record, enterprises)
            period = self._period(record)
            if enterprise is None or period is None:
                continue
            key = (enterprise.pk, period)
            if key in first_row:
                self.error(
                    record, "uscc",
                    _("与第 %(r)d 行重复:同一企业同一报告期(%(p)s)只能有一行")
                    % {"r": first_row[key], "p": Period.of(period).label()},
                )  # fmt: skip
                continue
            first_row[key] = record.row
            rows.append((record, enterprise, period))
        existing = self._existing(rows)
        texts = dict(zip((r.row for r in records), self.texts, strict=True))
        for record, enterprise, period in rows:
            ret = existing.get((enterprise.pk, period)) if existing else None
            self._plan(record, texts[record.row], enterprise, period, ret)
        if self.progress:
            self.progress(len(records), len(records))
        return self.plan

    # -- lookups done once for the whole file

    def _enterprises(self, records) -> dict[str, list[Enterprise]]:
        """Every enterprise registered under the file's credit codes, in any zone."""
        typed = {r.values["uscc"] for r in records if r.values.get("uscc")}
        usccs = sorted({normalize_uscc(u) for u in typed})
        found: dict[str, list[Enterprise]] = {}
        for chunk in chunks(usccs, max_in_params()):
            rows = Enterprise.objects.filter(uscc__in=chunk).select_related("zone")
            for e in rows.order_by("is_deleted", "-pk"):
                found.setdefault(e.uscc, []).append(e)
        return found

    def _existing(self, rows) -> dict[tuple[int, int], Return]:
        if not rows:
            return {}
        periods = sorted({period for _r, _e, period in rows})
        ids = sorted({e.pk for _r, e, _p in rows})
        found = {}
        size = max(100, max_in_params() - len(periods))
        for chunk in chunks(ids, size):
            for ret in Return.objects.filter(enterprise_id__in=chunk, period__in=periods):
                found[(ret.enterprise_id, ret.period)] = ret
        return found

    # -- one row

    def _enterprise(self, record, enterprises) -> Enterprise | None:
        if "uscc" in record.failed or not record.values.get("uscc"):
            return None
        key = (record.values["uscc"], record.values.get("name"))
        found = self._seen.get(key)
        if found is None:
            errors = len(self.plan.errors)
            enterprise = self._lookup(record, enterprises)
            found = self._seen[key] = (enterprise, self.plan.errors[errors:])
            return enterprise
        enterprise, problems = found
        for problem in problems:  # the same code (and name) failed on an earlier row
            self.plan.errors.append(self.layout.error(
                record.row, problem_field(problem, self.layout), record.raw.get(
                    problem_field(problem, self.layout)), problem.reason))  # fmt: skip
        return enterprise

    def _lookup(self, record, enterprises) -> Enterprise | None:
        typed = record.values["uscc"]
        if typed not in self._codes:
            uscc = normalize_uscc(typed)
            self._codes[typed] = (uscc, uscc_problem(uscc))
        uscc, problem = self._codes[typed]
        if problem:
            self.error(record, "uscc", problem)
            return None
        candidates = enterprises.get(uscc, [])
        mine = [e for e in candidates if e.zone_id == self.zone.pk]
        active = [e for e in mine if not e.is_deleted]
        if not active:
            if any(not e.is_deleted for e in candidates):
                other = next(e for e in candidates if not e.is_deleted)
                reason = _("「%(n)s」属于%(z)s,不是本园区的企业,不能在本园区导入其报表") % {
                    "n": other.name, "z": other.zone.name,
                }  # fmt: skip
            elif mine:
                reason = _("「%(n)s」已从本园区企业库删除,不能导入其报表") % {"n": mine[0].name}
            else:
                reason = _(
                    "统一社会信用代码 %(u)s 不在本园区企业库中:请先在企业库登记该企业,再导入报表"
                ) % {"u": uscc}
            self.error(record, "uscc", reason)
            return None
        enterprise = active[0]
        name = record.values.get("name")
        if name and name_key(name) != name_key(enterprise.name):
            self.error(
                record, "name",
                _("企业名称「%(n)s」与企业库不一致:统一社会信用代码 %(u)s 登记的企业是「%(r)s」")
                % {"n": name, "u": uscc, "r": enterprise.name},
            )  # fmt: skip
            return None
        return enterprise

    def _period(self, record) -> int | None:
        if "period" in record.failed:
            return None
        period = record.values.get("period")
        if period is None:
            if self.period is None:
                self.error(record, "period", _("必填项不能为空(导入时没有指定报告期)"))
            return self.period
        if self.period is not None and period != self.period:
            self.error(
                record, "period",
                _("报告期 %(p)s 与导入时指定的报告期 %(g)s 不一致")
                % {"p": Period.of(period).label(), "g": Period.of(self.period).label()},
            )  # fmt: skip
            return None
        if period > self.latest:
            self.error(record, "period", _("不能导入未来月份(%(p)s)的报表") % {
                "p": Period.of(period).label()})  # fmt: skip
            return None
        return period

    def _plan(self, record, texts, enterprise, period, ret):
        if not record.failed.isdisjoint(self.failed_codes):
            return
        values = record.values
        if ret is None:
            if self.complete:  # every indicator has its column: no copies (100,000 rows)
                numbers, data = values, texts
            else:
                numbers = {code: values.get(code) for code in self.all_codes}
                data = {code: texts.get(code) for code in self.all_codes}
            for code in self.integer_codes:
                data[code] = stored(numbers[code])
            self.plan.creates.append(Entry(record.row, enterprise, period, data, numbers))
            return
        if ret.status == ReturnStatus.ACCEPTED and not self.update_existing:
            self.error(
                record, "uscc",
                _("「%(n)s」%(p)s的报表已审核通过,不能覆盖;如需更正,请勾选「作为修订更新已审核"
                  "通过的报表」(命令行加 --update),将作为修订重新报送并保留历史")
                % {"n": enterprise.name, "p": Period.of(period).label()},
                enterprise.uscc,
            )  # fmt: skip
            return
        numbers = {code: values.get(code) for code in self.codes}
        data = {code: texts.get(code) for code in self.codes}
        for code in self.integer_codes:
            if code in data:
                data[code] = stored(numbers[code])
        old = ret.data or {}
        kept = {code: _number(v) for code, v in old.items() if code not in data}
        entry = Entry(record.row, enterprise, period, {**old, **data}, {**kept, **numbers}, ret)
        entry.revise = ret.status == ReturnStatus.ACCEPTED
        self.plan.updates.append(entry)


def problem_field(problem, layout) -> str | None:
    """The field of the column an earlier error was at."""
    for field_name, col in layout.columns.items():
        if col == problem.col:
            return field_name
    return None


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None
