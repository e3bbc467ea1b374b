"""Checking every row of a ledger import by the services' own rules.

A row becomes a Project through `references.resolve` + `services.validate` (the record's rules)
and `services._check_department` (a department officer keeps to their own department); its
stage history is built with `stages.enter` at the earliest dated stage among 线索..签约, then
`stages.apply_move` for each later dated stage in order, then the hold or drop — so every stage
rule gives the same message as on the page, here located at the cell that breaks it. The
commitment goes through `services.validate_commitment`.

What those rules would look up row by row (industries, provinces, the zone's tags, departments,
the people who may be a project's officer, and project names) is read once for the file:
validating makes no query per row.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.models import Department, Division, Industry, Tag, User
from gaoxin.core.spreadsheets import parse_text

from .. import references, services, stages
from ..models import Category, Commitment, Project, Stage
from .columns import COMMITMENT_COLUMNS, PLAIN_FIELDS, STAGE_DATES
from .places import Origins

# A model field → the import column that fills it (where they differ).
FIELD_COLUMN = {"origin_province": "origin", "origin_country": "origin"}
STAGE_COLUMN = dict(STAGE_DATES)
ENTRY_STAGES = set(stages.ENTRY_STAGES)


def name_key(name: str) -> str:
    """How project names are compared for duplicates: spaces tidied, half-width, case-folded."""
    return " ".join(parse_text(name or "").split()).casefold()


class Plan:
    """What a valid file writes: projects with their unsaved events and commitments."""

    def __init__(self):
        self.projects: list[Project] = []
        self.rows: list[int] = []  # the Excel row of each project
        self.events: list = []
        self.commitments: list[Commitment] = []
        self.errors = []


class Validator:
    """Checks every row; collects errors and what to write. No query per row."""

    def __init__(self, actor, zone, parsed, progress=None):
        self.actor, self.zone, self.parsed = actor, zone, parsed
        self.layout = parsed.layout
        self.progress = progress
        self.plan = Plan()
        self.today = clock.today()
        self.staff_only = services.is_staff_only(actor)
        self._load()

    # -- lookups done once for the whole file

    def _load(self):
        zone = self.zone
        self.industries = {i.code: i for i in Industry.objects.all()}
        self.industry_names: dict[str, list[str]] = {}
        for code, industry in self.industries.items():
            self.industry_names.setdefault(industry.name, []).append(code)
        divisions = Division.objects.values_list("code", "name", "level")
        provinces, lower = [], []
        for code, name, level in divisions:
            if level == Division.Level.PROVINCE:
                provinces.append(Division(code=code, name=name, level=level))
            else:
                lower.append((name, code[:2] + "0000"))
        self.origins = Origins(provinces, lower)
        self.tags: dict[str, dict[str, Tag]] = {}
        for tag in Tag.objects.filter(zone=zone):
            self.tags.setdefault(tag.category, {})[tag.name] = tag
        self.departments: dict[str, Department] = {}
        departments = list(Department.objects.filter(zone=zone))
        for d in departments:  # full names first, then the short names nobody else uses
            self.departments[d.name] = d
        for d in departments:
            if d.short_name:
                self.departments.setdefault(d.short_name, d)
        self.department_names = sorted(d.name for d in departments)
        self.own = sorted(
            (d for d in departments if d.pk in services.own_departments(self.actor, zone)),
            key=lambda d: d.name,
        )
        # Officers are matched among those the service lets be named; the zone's other accounts
        # are known only to say why one of them cannot be (an enterprise user, a disabled one).
        self.by_username: dict[str, User] = {}
        self.by_full_name: dict[str, list[User]] = {}
        for user in references.officers_of(zone):
            self.by_username[user.username] = user
            if user.full_name:
                self.by_full_name.setdefault(user.full_name, []).append(user)
        self.members = {
            name
            for pair in User.objects.filter(memberships__zone=zone).values_list(
                "username", "full_name"
            )
            for name in pair
            if name
        }
        active = Project.objects.active().filter(zone=zone)
        self.existing = {name_key(n): (n, s) for n, s in active.values_list("name", "stage")}

    # -- errors

    def error(self, record, field_name, reason, value=None):
        if field_name is not None and field_name not in self.layout.columns:
            field_name = None  # the column is not in the file: mark the row
        if value is None and field_name:
            value = record.raw.get(field_name)
        self.plan.errors.append(self.layout.error(record.row, field_name, value, reason))

    def report(self, record, exc: ValidationError, columns: dict[str, str]) -> None:
        """A service's ValidationError, each message at the column of its field."""
        for key, messages in exc.message_dict.items():
            column = columns.get(key, FIELD_COLUMN.get(key, key))
            if key == NON_FIELD_ERRORS:
                column = None
            if column in record.failed:
                continue  # already reported when the cell was read
            for message in messages:
                self.error(record, column, message)

    # -- the file

    def run(self) -> Plan:
        records = self.parsed.records
        first_row: dict[str, int] = {}
        for i, record in enumerate(records):
            if self.progress and i % 500 == 0:
                self.progress(i, len(records))
            before = len(self.plan.errors)
            self._names(record, first_row)
            project = self._project(record)
            events = self._stages(record, project) if project is not None else []
            commitment = self._commitment(record, project)
            if project is not None and len(self.plan.errors) == before:
                self.plan.projects.append(project)
                self.plan.rows.append(record.row)
                self.plan.events.extend(events)
                if commitment is not None:
                    self.plan.commitments.append(commitment)
        if self.progress:
            self.progress(len(records), len(records))
        return self.plan

    def _names(self, record, first_row):
        name = record.values.get("name")
        if not name:
            return
        key = name_key(name)
        if key in first_row:
            self.error(record, "name", _("与第 %(r)d 行的项目名称相同") % {"r": first_row[key]})
        else:
            first_row[key] = record.row
        if key in self.existing:
            existing, stage = self.existing[key]
            self.error(
                record,
                "name",
                _("本园区已有同名项目「%(n)s」(当前阶段:%(s)s),请勿重复导入")
                % {"n": existing, "s": stages.label(stage)},
            )

    # -- one row: the record

    def _project(self, record) -> Project | None:
        values = record.values
        data = {f: values[f] for f in PLAIN_FIELDS if values.get(f) is not None}
        data["category"] = values.get("category") or Category.INDUSTRIAL
        refs = {
            "industry": self._industry(record),
            "chain": self._tag(record, "chain", Tag.Category.INDUSTRY_CHAIN, _("产业链")),
            "channel": self._tag(record, "channel", Tag.Category.SOURCE_CHANNEL, _("招商渠道")),
            "department": self._department(record),
        }
        province, country = self._origin(record)
        refs["origin_province"] = province
        officer = self._officer(record)
        try:
            # The references are objects read once above: resolve() checks they belong to the
            # zone without a query. (The officer was found among `references.officers_of`.)
            data.update(references.resolve(self.zone, refs))
        except ValidationError as exc:
            self.report(record, exc, {})
            return None
        project = Project(zone=self.zone, officer=officer, origin_country=country, **data)
        if self.staff_only and project.department is None and "department" not in record.failed:
            project.department = self.own[0] if self.own else None
        try:
            services.validate(project)
        except ValidationError as exc:
            self.report(record, exc, {})
        if self.staff_only and "department" not in record.failed:
            try:
                services._check_department(self.actor, project)
            except ValidationError as exc:
                own = "、".join(d.name for d in self.own) or _("无")
                message = exc.message_dict["department"][0]
                self.error(
                    record,
                    "department",
                    _("%(m)s(您的部门:%(d)s)") % {"m": message, "d": own},
                    value=record.raw.get("department") or "",
                )
        return project

    def _industry(self, record):
        ref = record.values.get("industry")
        if ref is None:
            return None
        code, name = ref
        if code:
            found = self.industries.get(code)
            if found is None and len(code) == 3 and isinstance(record.raw["industry"], int | float):
                found = self.industries.get(code.zfill(4))  # Excel dropped the 0 of 0111
            if found is None:
                return self._bad(
                    record, "industry", _("行业代码 %(c)s 不存在于 GB/T 4754-2017") % {"c": code}
                )
            if name and name not in found.name and found.name not in name:
                return self._bad(
                    record,
                    "industry",
                    _("行业代码 %(c)s 是「%(k)s」,与填写的名称「%(n)s」不符")
                    % {"c": found.code, "k": found.name, "n": name},
                )
            return found
        # A name shared by several levels (a 中类 with a single 小类 of the same name) means the
        # most specific one.
        codes = sorted(self.industry_names.get(name, []), key=len, reverse=True)
        if codes and (len(codes) == 1 or len(codes[0]) > len(codes[1])):
            return self.industries[codes[0]]
        return self._bad(
            record,
            "industry",
            _("找不到名称为「%(n)s」的行业,请填写行业代码,如 3974") % {"n": name},
        )

    def _bad(self, record, field_name, reason):
        """Report a cell whose reference cannot be resolved; the row's value becomes None."""
        record.failed.add(field_name)
        self.error(record, field_name, reason)
        return None

    def _tag(self, record, field_name, category, what):
        name = record.values.get(field_name)
        if name is None:
            return None
        tag = self.tags.get(category, {}).get(name)
        if tag is not None:
            return tag
        reason = _("本园区没有%(w)s「%(v)s」") % {"w": what, "v": name}
        other = next((c for c, tags in self.tags.items() if name in tags), None)
        if other is not None:
            reason += _(",它是「%(c)s」类标签") % {"c": Tag.Category(other).label}
        known = "、".join(sorted(self.tags.get(category, {}))) or _("无")
        return self._bad(record, field_name, reason + _("(可选:%(k)s)") % {"k": known})

    def _department(self, record):
        name = record.values.get("department")
        if name is None:
            return None
        department = self.departments.get(name)
        if department is not None:
            return department
        reason = _("本园区没有部门「%(v)s」") % {"v": name}
        known = "、".join(self.department_names) or _("无")
        return self._bad(record, "department", reason + _("(可选:%(k)s)") % {"k": known})

    def _origin(self, record):
        text = record.values.get("origin")
        if text is None:
            return None, ""
        try:
            return self.origins.resolve(text)
        except ValueError as exc:
            self._bad(record, "origin", str(exc))
            return None, ""

    def _officer(self, record):
        text = record.values.get("officer")
        if text is None:
            return None
        user = self.by_username.get(text)
        if user is not None:
            return user
        same = self.by_full_name.get(text, [])
        if len(same) == 1:
            return same[0]
        if same:
            accounts = "、".join(sorted(u.username for u in same))
            return self._bad(
                record,
                "officer",
                _("本园区有 %(n)d 位名为「%(v)s」的工作人员(账号:%(a)s),请填写账号")
                % {"n": len(same), "v": text, "a": accounts},
            )
        member = text in self.members
        return self._bad(record, "officer", references.not_officer(text, member=member))

    # -- one row: the stage history

    def _stages(self, record, project) -> list:
        values = record.values
        if any(f in record.failed for _s, f in STAGE_DATES):
            return []  # an unreadable date was reported already
        dated = [(stage, values[f]) for stage, f in STAGE_DATES if values.get(f) is not None]
        if not dated:
            first = next((f for _s, f in STAGE_DATES if f in self.layout.columns), None)
            self.error(
                record,
                first,
                _("至少填写一个阶段日期(线索、考察、洽谈、签约、开工或投产日期)"),
                value="",
            )
            return []
        if dated[0][0] not in ENTRY_STAGES:
            stage = dated[0][0]
            self.error(
                record,
                STAGE_COLUMN[stage],
                _("「%(t)s」只能从「%(n)s」推进,请先填写签约日期")
                % {"t": stages.label(stage), "n": stages.label(Stage.SIGNED)},
            )
            return []
        events = []
        stage, on = dated[0]
        try:
            events.append(stages.enter(project, stage, on=on, actor=self.actor, today=self.today))
            for stage, on in dated[1:]:
                events.append(
                    stages.apply_move(project, stage, on=on, actor=self.actor, today=self.today)
                )
        except ValidationError as exc:
            column = STAGE_COLUMN[stage]
            self.report(record, exc, {"stage": column, "on": column, "note": column})
            return []
        halt = self._halt(record, project)
        return events + ([halt] if halt is not None else [])

    def _halt(self, record, project):
        values = record.values
        target, on, reason = values.get("halt"), values.get("halt_on"), values.get("halt_reason")
        if {"halt", "halt_on"} & record.failed:
            return None
        if target is None:
            if on is not None:
                self.error(
                    record, "halt_on", _("填写了暂缓/终止日期,请在「暂缓/终止」列填写暂缓或终止")
                )
            elif reason is not None:
                self.error(record, "halt_reason", _("填写了原因,请在「暂缓/终止」列填写暂缓或终止"))
            return None
        if on is None:
            what = stages.label(target)
            self.error(record, "halt_on", _("请填写%(s)s日期") % {"s": what}, value="")
            return None
        try:
            return stages.apply_move(
                project, target, on=on, note=reason or "", actor=self.actor, today=self.today
            )
        except ValidationError as exc:
            self.report(record, exc, {"stage": "halt", "on": "halt_on", "note": "halt_reason"})
            return None

    # -- one row: the commitment

    def _commitment(self, record, project) -> Commitment | None:
        values = record.values
        filled = [f for f in COMMITMENT_COLUMNS if values.get(f) is not None]
        if not filled:
            return None
        if values.get("signed_on") is None:
            if "signed_on" not in record.failed:
                self.error(
                    record,
                    filled[0],
                    _("项目签约后才能登记投资承诺:本行没有签约日期,请填写签约日期或清空承诺各列"),
                )
            return None
        commitment = Commitment(
            zone=self.zone, **{COMMITMENT_COLUMNS[f]: values.get(f) for f in COMMITMENT_COLUMNS}
        )
        try:
            services.validate_commitment(commitment, signed_on=values.get("signed_on"))
        except ValidationError as exc:
            back = {model: column for column, model in COMMITMENT_COLUMNS.items()}
            self.report(record, exc, back)
            return None
        if project is not None:
            commitment.project = project
        return commitment
