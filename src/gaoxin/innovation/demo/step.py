"""Innovation's demo step: every zone's certifications, IP ledger, platforms, talents, cloud
adoption and targets, the main zone's calibrated to DOMAIN.md's 2019 figures (figures.py), the
others scaled by their high-tech enterprises. The registry's high-tech flag holds on the
registry's as-of day; the certificates are drawn to match it exactly (a certificate valid that day
for each flagged enterprise, none for the others), then renewed every three years to the story's
end. The zone's 科技创新局 officer (the demo `keji` account in the main zone, else the zone's
administrator) keeps the records."""

import datetime
import math
from dataclasses import dataclass, field

from ..models import Certification, CertKind, CertStatus, CloudAdoption, Patent, Platform, Talent
from ..models.choices import CLASS_ONE_PATENTS, PROVINCIAL_PLUS
from . import figures as f
from .certificates import Certificates
from .records import Records

OFFICER_DEPARTMENT = "科技创新局"
# How likely an enterprise of a chain does R&D (owns patents, hosts platforms), against others.
CHAIN_TECH = {
    "电子信息": 3,
    "新材料": 3,
    "生物医药": 3,
    "智能制造": 3,
    "纺织服装": 1,
    "跨境电商": 1,
}


class CalibrationError(Exception):
    """The main zone's 2019 figures came out other than DOMAIN.md's."""


@dataclass
class ZoneInnovation:
    zone: object
    certifications: int = 0
    valid_on_as_of: int = 0
    high_tech: int = 0
    reports: int = 0
    patents: int = 0
    platforms: int = 0
    talents: int = 0
    cloud: int = 0
    at_risk: list = field(default_factory=list)  # enterprise ids
    expiring: object = None  # the enterprise whose certificate runs out without renewal
    late_applicant: object = None
    figures_2019: dict = field(default_factory=dict)

    def as_audit(self) -> dict:
        return {
            "资质认定": self.certifications,
            "高企年报": self.reports,
            "专利": self.patents,
            "创新平台": self.platforms,
            "科技人才": self.talents,
            "上云记录": self.cloud,
        }

    def line(self) -> str:
        m = self.figures_2019
        return (
            f"  {self.zone.name}:资质认定 {self.certifications} 条(有效高企 {self.valid_on_as_of} 家),"
            f"专利 {self.patents} 件,平台 {self.platforms} 个,人才 {self.talents} 人;"
            f"2019 年新认定高企 {m.get('new', 0)} 家、新增省级以上平台 {m.get('platforms', 0)} 个、"
            f"发明专利授权 {m.get('inventions', 0)} 件、省级以上人才 {m.get('talents', 0)} 人、"
            f"上云企业 {m.get('cloud', 0)} 家"
        )


@dataclass
class InnovationSummary:
    """What the step wrote: one ZoneInnovation per zone, in plan order."""

    zones: list[ZoneInnovation] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [z.line() for z in self.zones]

    def audit(self, zone) -> dict:
        return next((z.as_audit() for z in self.zones if z.zone == zone), {})


def build(demo) -> InnovationSummary:
    """The demo step; needs the registries and the accounts (the enterprises step)."""
    summary = InnovationSummary()
    numbers, patent_digits = set(), set()
    for plan in demo.plans:
        story = ZoneStory(demo, plan, numbers, patent_digits)
        summary.zones.append(story.build())
        demo.progress(summary.zones[-1].line())
    return summary


class ZoneStory:
    """One zone's innovation records; what Certificates and Records share."""

    def __init__(self, demo, plan, numbers: set, patent_digits: set):
        self.zone = demo.zones[plan.code]
        self.calibrated = demo.calibrated(self.zone)
        self.rng = demo.rng(self.zone.code, "innovation")
        self.as_of = demo.as_of
        self.person_name = demo.person_name
        self.ratio = plan.high_tech / demo.main.high_tech
        self.numbers, self.patent_digits = numbers, patent_digits
        registry = demo.registries[plan.code]
        self.enterprises = [e for e, _chain in registry]
        self.chain = {e.pk: chain for e, chain in registry}
        officers = demo.officers(self.zone)
        self.officer = officers.get(OFFICER_DEPARTMENT) or officers.get(None)
        self.account_enterprise = next(
            (
                e
                for u, m in demo.accounts
                if m.enterprise_id and m.zone_id == self.zone.pk
                for e in self.enterprises
                if e.pk == m.enterprise_id
            ),
            None,
        )

    def scaled(self, n: int) -> int:
        return n if self.calibrated else max(1, math.floor(n * self.ratio + 0.5))

    def tech_weight(self, enterprise) -> float:
        weight = CHAIN_TECH.get(self.chain[enterprise.pk], 1)
        return weight * (4 if enterprise.high_tech else 1)

    def build(self) -> ZoneInnovation:
        out = ZoneInnovation(self.zone)
        hightech = [e for e in self.enterprises if e.high_tech]
        others = [e for e in self.enterprises if not e.high_tech]
        certs = Certificates(self)
        certs.hightech(hightech, self.as_of)
        certs.others(others)
        certs.write()
        out.certifications = len(certs.certs) + certs.tech_sme(self.enterprises)
        out.reports = certs.annual_reports()
        certs.assessment_inputs(hightech, self.officer)
        out.valid_on_as_of, out.high_tech = certs.valid_on_as_of, len(hightech)
        out.at_risk, out.expiring = certs.at_risk, certs.lapsing
        out.late_applicant = certs.late_applicant
        owners = [e for e in self.enterprises if e.established_on.year <= 2016] or self.enterprises
        records = Records(self)
        out.patents = records.patents(owners) + records.copyrights(owners)
        out.platforms = records.platforms(hightech or owners)
        out.talents = records.talents(owners)
        records.cooperations(owners)
        out.cloud = records.cloud(self.enterprises)
        records.targets()
        out.figures_2019 = measure(self.zone, 2019)
        if self.calibrated:
            check_calibration(out)
        return out


def measure(zone, year: int) -> dict:
    """The step's own reading of a year's figures (the summary reads them the same way)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return {
        "new": Certification.objects.filter(
            zone=zone, kind=CertKind.HIGHTECH, issued_on__range=(start, end),
            status__in=(CertStatus.CERTIFIED, CertStatus.EXPIRED),
        ).values("enterprise").distinct().count(),
        "platforms": Platform.objects.filter(
            zone=zone, level__in=PROVINCIAL_PLUS, recognised_on__range=(start, end)
        ).count(),
        "inventions": Patent.objects.filter(
            zone=zone, kind__in=CLASS_ONE_PATENTS, granted_on__range=(start, end)
        ).count(),
        "talents": Talent.objects.filter(zone=zone, level__in=PROVINCIAL_PLUS, year=year).count(),
        "cloud": CloudAdoption.objects.filter(zone=zone, adopted_on__lte=end)
        .values("enterprise").distinct().count(),
    }  # fmt: skip


def check_calibration(out: ZoneInnovation) -> None:
    expected = {
        "new": f.NEW_HIGH_TECH_2019,
        "platforms": f.NEW_PROVINCIAL_PLATFORMS_2019,
        "inventions": f.INVENTION_PATENTS_2019,
        "talents": f.PROVINCIAL_TALENTS_2019,
        "cloud": f.CLOUD_BY_YEAR[2019],
    }
    wrong = {k: (out.figures_2019[k], v) for k, v in expected.items() if out.figures_2019[k] != v}
    if wrong or out.valid_on_as_of != out.high_tech:
        raise CalibrationError(f"innovation 2019 figures {wrong}, valid {out.valid_on_as_of}")
