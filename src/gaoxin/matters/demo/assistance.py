"""The demo's help for enterprises (帮扶) in a zone: three support working groups with their
members and assigned enterprises, help requests from those enterprises under the six measures
(raised through `matters.services`, statuses mixed, some rated), and the help ledgers of the first
half of 2020 whose totals equal DOMAIN.md's published figures (`PUBLISHED`): awards, credit and
special guaranteed loans, online job fairs and the work resumption of above-scale enterprises and
key projects.

The ledgers are seed data written with bulk_create, each row audited; their totals are checked
against `PUBLISHED` through `assistance.summary` before returning.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Department, Membership
from gaoxin.enterprises.models import Enterprise
from gaoxin.investment.models import Project
from gaoxin.matters import assistance, catalogue, services
from gaoxin.matters.models import (
    Award,
    Channel,
    JobFair,
    JobOffer,
    Kind,
    Loan,
    Resumption,
    WorkingGroup,
)

ACTOR = "system"
AUDIT_MESSAGE = gettext_noop("演示数据")  # kept in Chinese, shown in the reader's language
D = datetime.date
START, END = D(2020, 1, 1), D(2020, 6, 30)

# DOMAIN.md's published figures for 2020 H1, as the lead fixed them (issue 5).
PUBLISHED = {
    "awards": {"enterprises": 63, "amount_wan": Decimal("1952.6")},
    "credit": {"enterprises": 23, "amount_wan": Decimal("23400")},
    "guaranteed": {"enterprises": 11, "amount_wan": Decimal("11000")},
    "positions": 5126,
    "resumption_rate": Decimal("100.0"),
}

GROUPS = (
    # (name, leading department, leader, other members without an account)
    ("第一帮扶工作组", "经济发展局", "李国华", "张立新,王海燕"),
    ("第二帮扶工作组", "企业服务局", "赵德明", "孙丽,周文"),
    ("第三帮扶工作组", "科技创新局", "钱建军", "吴敏,郑涛"),
)
POLICIES = (
    "稳岗返还补贴",
    "疫情防控物资生产奖励",
    "复工复产用工补贴",
    "技术改造奖补",
    "贷款贴息",
    "新入规企业奖励",
    "防疫物资运输补贴",
    "以工代训补贴",
)
CREDIT_BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "九江银行", "江西银行")
GUARANTEE_BANKS = ("九江银行", "江西银行", "赣州银行", "邮储银行")
FAIRS = (
    ("2020年“春风行动”网络招聘会(第一场)", D(2020, 2, 17), D(2020, 2, 23)),
    ("2020年“春风行动”网络招聘会(第二场)", D(2020, 3, 2), D(2020, 3, 8)),
    ("复工复产重点企业网络专场招聘会", D(2020, 3, 20), D(2020, 3, 26)),
    ("高校毕业生网络招聘月", D(2020, 4, 13), D(2020, 5, 10)),
    ("“民营企业招聘月”网络专场", D(2020, 5, 18), D(2020, 5, 24)),
    ("“百日千万”网络招聘专项行动", D(2020, 6, 8), D(2020, 6, 21)),
)
JOBS = ("普工", "操作工", "技术员", "质检员", "电工", "销售", "研发工程师", "仓管员", "叉车工")
# (measure code, title, description)
REQUESTS = (
    ("epidemic", "防疫物资短缺", "复工需口罩、测温枪,请协助对接供应渠道。"),
    ("return_to_work", "外省员工返岗困难", "部分员工在外省,需协调包车点对点返岗。"),
    ("recruitment", "一线普工缺口较大", "订单恢复,普工缺口约50人,希望参加网络招聘会。"),
    ("supplies", "原材料运输受阻", "上游原材料运输通行证办理缓慢,影响生产。"),
    ("funding", "流动资金紧张", "疫情期间回款延迟,申请对接银行信贷支持。"),
    ("work_safety", "复工前安全生产检查", "申请安排复工前安全生产检查指导。"),
    ("funding", "申请稳岗补贴", "咨询稳岗返还补贴申领条件与材料。"),
    ("recruitment", "技术工人招聘", "急需电工、数控操作工,请协助发布岗位。"),
)


@dataclass
class AssistanceSummary:
    zone: object
    groups: int = 0
    requests: int = 0
    awards: int = 0
    loans: int = 0
    fairs: int = 0
    offers: int = 0
    resumptions: int = 0
    totals: dict = field(default_factory=dict)

    def as_audit(self) -> dict:
        return {
            "帮扶工作组": self.groups,
            "帮扶诉求": self.requests,
            "奖补记录": self.awards,
            "融资记录": self.loans,
            "招聘会": self.fairs,
            "招聘企业": self.offers,
            "复工跟踪": self.resumptions,
        }


class CalibrationError(RuntimeError):
    """The ledgers' totals do not give the published figures."""


def split(rng: random.Random, total: int, parts: int, low: int = 1) -> list[int]:
    """`total` (in whole units) split into `parts` positive integers ≥ `low`, randomly."""
    if parts * low > total:
        raise CalibrationError(f"cannot split {total} into {parts} parts of at least {low}")
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    rest = total - parts * low
    raw = [rest * w / sum(weights) for w in weights]
    out = [low + int(r) for r in raw]
    # largest remainders get the units lost to rounding down
    for i in sorted(range(parts), key=lambda i: raw[i] - int(raw[i]), reverse=True)[
        : total - sum(out)
    ]:
        out[i] += 1
    return out


def between(rng, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def _admin(zone):
    m = (
        Membership.objects.filter(zone=zone, role="zone_admin", user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def _ledger(zone, model, rows):
    objs = model.objects.bulk_create(rows, batch_size=500)
    AuditRecord.objects.bulk_create(
        [
            audit.build(
                ACTOR, AuditRecord.Action.CREATE, o, after=audit.snapshot(o), message=AUDIT_MESSAGE
            )
            for o in objs
        ],
        batch_size=500,
    )
    return objs


def build_zone(zone, rng: random.Random, today: datetime.date) -> AssistanceSummary:
    """Write the zone's working groups, help requests and help ledgers (calibrated to
    `PUBLISHED` for 2020 H1) and return what was written. `today` is the demo's present: no
    ledger date is later."""
    summary = AssistanceSummary(zone)
    enterprises = list(
        Enterprise.objects.filter(zone=zone, is_deleted=False).order_by("-above_scale", "pk")
    )
    need = PUBLISHED["awards"]["enterprises"]
    if len(enterprises) < need:
        raise CalibrationError(f"{zone.code}: {len(enterprises)} enterprises, {need} needed")
    end = min(END, today)
    groups = _groups(zone, rng, enterprises)
    summary.groups = len(groups)
    summary.requests = _requests(zone, rng, groups)
    summary.awards = len(_awards(zone, rng, enterprises, end))
    summary.loans = len(_loans(zone, rng, enterprises, end))
    summary.fairs, summary.offers = _fairs(zone, rng, enterprises, end)
    summary.resumptions = len(_resumption(zone, rng, enterprises))
    summary.totals = check_calibration(zone)
    return summary


def _groups(zone, rng, enterprises) -> list[WorkingGroup]:
    depts = {d.name: d for d in Department.objects.filter(zone=zone)}
    staff = {}
    for m in Membership.objects.filter(zone=zone, role="zone_staff").select_related("user"):
        staff.setdefault(m.department_id, []).append(m.user)
    pool = enterprises[:]
    rng.shuffle(pool)
    groups, at = [], 0
    for name, dept_name, leader, others in GROUPS:
        dept = depts.get(dept_name)
        size = rng.randint(15, 25)
        group = WorkingGroup.objects.create(
            zone=zone, name=name, leader_name=leader, department=dept, member_names=others
        )
        group.members.set(staff.get(dept.pk, []) if dept else [])
        group.enterprises.set(pool[at : at + size])
        at += size
        groups.append(group)
    # The demo enterprise user's company is helped by the first group (it raises and rates).
    own = Membership.objects.filter(zone=zone, role="enterprise_user").first()
    if own and not any(own.enterprise in g.enterprises.all() for g in groups):
        groups[0].enterprises.add(own.enterprise)
    AuditRecord.objects.bulk_create(
        audit.build(
            ACTOR, AuditRecord.Action.CREATE, g, after=audit.snapshot(g), message=AUDIT_MESSAGE
        )
        for g in groups
    )
    return groups


def _requests(zone, rng, groups) -> int:
    """Help requests through the matters services: raised by the zone's admin for the group's
    enterprises (the enterprise's own account raises its own), some in progress, some resolved,
    some closed with the enterprise's rating."""
    admin = _admin(zone)
    if admin is None:
        return 0
    measures = {c.code: c for c in catalogue.categories_for(zone, Kind.HELP)}
    accounts = {
        m.enterprise_id: m.user
        for m in Membership.objects.filter(zone=zone, role="enterprise_user").select_related("user")
    }
    count = 0
    for group in groups:
        members = list(group.enterprises.order_by("pk"))
        for i in range(rng.randint(5, 8)):
            enterprise = members[i % len(members)] if i else members[0]
            # The enterprise account raises the first two requests of the first group: one it
            # has rated, one still being handled (its file shows both).
            if i < 2 and group == groups[0]:
                enterprise = next((e for e in members if e.pk in accounts), enterprise)
            code, title, text = REQUESTS[(count + i) % len(REQUESTS)]
            own = accounts.get(enterprise.pk)
            if own is None or i == 1:  # the same draws as before the second one was its own
                channel, roll = rng.choice((Channel.VISIT, Channel.PHONE)), rng.random()
            matter = services.create_matter(
                own or admin,
                zone,
                kind=Kind.HELP,
                category=measures[code],
                title=title,
                description=text,
                enterprise=enterprise,
                channel=Channel.PLATFORM if own else channel,
                working_group=None if own else group,
            )
            if matter.department_id is None and group.department_id:
                matter = services.assign(
                    admin, matter, version=matter.version, department=group.department
                )
            _progress(admin, own, matter, (0.9 if i == 0 else 0.4) if own else roll)
            count += 1
    return count


def _progress(admin, own, matter, roll: float) -> None:
    if roll < 0.3:
        return  # still waiting
    matter = services.start(admin, matter, version=matter.version, note="工作组已对接企业")
    if roll < 0.55:
        return
    matter = services.resolve(
        admin, matter, version=matter.version, resolution="已协调解决,企业生产经营恢复正常。"
    )
    if own is not None:
        services.rate(own, matter, rating=5, comment="工作组响应迅速,问题解决及时。")
    elif roll > 0.8:
        services.transition(admin, matter, "closed", version=matter.version)


def _with_own(zone, firms: list) -> list:
    """`firms` with the demo enterprise user's company in the first place if it was not drawn:
    its file (一企一档) then shows help of every kind, and the count stays as published."""
    own = Membership.objects.filter(zone=zone, role="enterprise_user").first()
    if own and own.enterprise and own.enterprise not in firms:
        firms = [own.enterprise, *firms[1:]]
    return firms


def _awards(zone, rng, enterprises, end) -> list[Award]:
    target = PUBLISHED["awards"]
    firms = _with_own(zone, rng.sample(enterprises, target["enterprises"]))
    repeat = rng.sample(firms, 12)  # a dozen are paid twice (different policies)
    payees = firms + repeat
    tenths = split(rng, int(target["amount_wan"] * 10), len(payees), low=20)
    rows = []
    for enterprise, amount in zip(payees, tenths, strict=True):
        rows.append(
            Award(
                zone=zone,
                enterprise=enterprise,
                policy=rng.choice(POLICIES),
                amount=Decimal(amount) / 10,
                paid_on=between(rng, D(2020, 2, 10), end),
                created_by_name="企业服务局",
            )
        )
    return _ledger(zone, Award, rows)


def _loans(zone, rng, enterprises, end) -> list[Loan]:
    rows = []
    for kind, banks, extra in (
        (Loan.Kind.CREDIT, CREDIT_BANKS, 5),
        (Loan.Kind.GUARANTEED, GUARANTEE_BANKS, 0),
    ):
        target = PUBLISHED[kind]
        firms = _with_own(zone, rng.sample(enterprises, target["enterprises"]))
        borrowers = firms + rng.sample(firms, extra)
        hundreds = split(rng, int(target["amount_wan"] / 100), len(borrowers), low=2)
        for enterprise, amount in zip(borrowers, hundreds, strict=True):
            rows.append(
                Loan(
                    zone=zone,
                    enterprise=enterprise,
                    bank=rng.choice(banks),
                    kind=kind,
                    amount=Decimal(amount * 100),
                    granted_on=between(rng, D(2020, 2, 20), end),
                    note="政银企对接会" if kind == Loan.Kind.CREDIT else "财园信贷通",
                    created_by_name="经济发展局",
                )
            )
    return _ledger(zone, Loan, rows)


def _fairs(zone, rng, enterprises, end) -> tuple[int, int]:
    fairs = [
        JobFair(zone=zone, title=t, held_on=a, ends_on=b, online=True, note="线上招聘平台")
        for t, a, b in FAIRS
        if a <= end
    ]
    fairs = _ledger(zone, JobFair, fairs)
    plan = [
        (f, e)
        for i, f in enumerate(fairs)
        for e in (_with_own(zone, rng.sample(enterprises, rng.randint(20, 30))) if i == 0 else
                  rng.sample(enterprises, rng.randint(20, 30)))
    ]  # fmt: skip
    counts = split(rng, PUBLISHED["positions"], len(plan), low=3)
    offers = [
        JobOffer(
            zone=zone,
            fair=fair,
            enterprise=enterprise,
            positions=n,
            jobs="、".join(rng.sample(JOBS, 2)),
            created_by_name="企业服务局",
        )
        for (fair, enterprise), n in zip(plan, counts, strict=True)
    ]
    return len(fairs), len(_ledger(zone, JobOffer, offers))


def _resumption(zone, rng, enterprises) -> list[Resumption]:
    rows = []
    for e in enterprises:
        if not e.above_scale:
            continue
        total = rng.randint(50, 600)
        rows.append(
            Resumption(
                zone=zone,
                subject=Resumption.Subject.ENTERPRISE,
                enterprise=e,
                tracked_from=D(2020, 2, 3),
                resumed_on=between(rng, D(2020, 2, 10), D(2020, 3, 20)),
                workers_total=total,
                workers_back=total - rng.randint(0, total // 10),
            )
        )
    key_projects = Project.objects.filter(
        zone=zone,
        is_deleted=False,
        stage__in=("started", "production"),
        stage_on__lte=D(2020, 2, 1),
    ).order_by("pk")[:20]
    for p in key_projects:
        rows.append(
            Resumption(
                zone=zone,
                subject=Resumption.Subject.PROJECT,
                project=p,
                tracked_from=D(2020, 2, 3),
                resumed_on=between(rng, D(2020, 2, 15), D(2020, 3, 31)),
            )
        )
    return _ledger(zone, Resumption, rows)


def measured(zone) -> dict:
    return assistance.summary(zone, START, END)


def check_calibration(zone) -> dict:
    """The 2020 H1 summary, or CalibrationError naming what differs from `PUBLISHED`."""
    got = measured(zone)
    checks = {
        "awards.enterprises": (got["awards"]["enterprises"], PUBLISHED["awards"]["enterprises"]),
        "awards.amount": (got["awards"]["amount_wan"], PUBLISHED["awards"]["amount_wan"]),
        "positions": (got["jobs"]["positions"], PUBLISHED["positions"]),
    }
    for kind in ("credit", "guaranteed"):
        checks[f"{kind}.enterprises"] = (
            got["loans"][kind]["enterprises"],
            PUBLISHED[kind]["enterprises"],
        )
        checks[f"{kind}.amount"] = (got["loans"][kind]["amount_wan"], PUBLISHED[kind]["amount_wan"])
    for key in ("enterprises", "projects", "overall"):
        rate = got["resumption"][key]["rate"]
        if rate is not None or key != "projects":
            checks[f"resumption.{key}"] = (rate, PUBLISHED["resumption_rate"])
    wrong = {k: v for k, v in checks.items() if v[0] != v[1]}
    if wrong:
        raise CalibrationError(f"{zone.code}: {wrong}")
    return got
