"""The demo's certifications: every high-tech enterprise of the registry holds a certificate
valid on the registry's as-of day (issued in FIRST_VALID_YEARS) and renews it every three years
up to the story's end; others let old certificates lapse, had one revoked, or sit in today's
pipeline. Annual reports, 科技型中小企业 entries and the entered pre-assessment figures follow."""

import datetime
from decimal import Decimal

from ..models import AnnualReport, AssessmentInput, Certification, CertKind, CertStatus, TechField
from . import figures as f

# A chain's technical field (the 8 supported fields; DOMAIN.md "Innovation").
CHAIN_FIELDS = {
    "电子信息": (TechField.ELECTRONICS,),
    "纺织服装": (TechField.MATERIALS, TechField.MANUFACTURING),
    "新材料": (TechField.MATERIALS,),
    "智能制造": (TechField.MANUFACTURING, TechField.ELECTRONICS),
    "跨境电商": (TechField.SERVICES,),
    "生物医药": (TechField.BIOMEDICINE,),
    "": (TechField.SERVICES, TechField.ENERGY, TechField.ENVIRONMENT),
}
PROVINCE = "36"  # Jiangxi, in certificate numbers


def expiry(issued: datetime.date) -> datetime.date:
    """Valid three years from the issue date: the last day it holds."""
    return issued.replace(year=issued.year + 3) - datetime.timedelta(days=1)


class Certificates:
    """One zone's certifications; `zone` carries `rng`, `scaled`, `numbers` and the lists."""

    def __init__(self, story):
        self.s = story
        self.rng = story.rng
        self.certs: list[Certification] = []
        self.valid_on_as_of = 0

    # -- numbers ---------------------------------------------------------------------------------

    def _number(self, year: int) -> str:
        while True:
            serial = self.rng.randint(1, 2400)
            number = f"GR{year}{PROVINCE}{serial:05d}"
            if number not in self.s.numbers:
                self.s.numbers.add(number)
                return number

    def _cert(self, enterprise, issued, status, field, *, applied=None, note=""):
        cert = Certification(
            zone=self.s.zone,
            enterprise=enterprise,
            kind=CertKind.HIGHTECH,
            status=status,
            number=self._number(issued.year) if issued else "",
            field=field,
            applied_on=applied or (issued and issued.replace(month=6, day=self.rng.randint(1, 28))),
            issued_on=issued,
            expires_on=issued and expiry(issued),
            year=(issued or applied).year,
            note=note,
        )
        self.certs.append(cert)
        return cert

    # -- the registry's high-tech enterprises ----------------------------------------------------

    def first_years(self, hightech: list) -> dict:
        """enterprise id → the year of the certificate valid on the as-of day: exactly the
        calibrated number in 2019, each after its enterprise's first year."""
        rng, new_2019 = self.rng, self.s.scaled(f.NEW_HIGH_TECH_2019)
        years = {}
        only_2019 = [e for e in hightech if e.established_on.year >= 2018]
        if len(only_2019) > new_2019:
            raise ValueError(f"{len(only_2019)} high-tech enterprises registered in 2018")
        rest = [e for e in hightech if e.established_on.year < 2018]
        rng.shuffle(rest)
        for e in only_2019 + rest[: new_2019 - len(only_2019)]:
            years[e.pk] = 2019
        for e in rest[new_2019 - len(only_2019) :]:
            years[e.pk] = 2018 if e.established_on.year == 2017 or rng.random() < 0.55 else 2017
        return years

    def hightech(self, hightech: list, as_of: datetime.date) -> None:
        rng = self.rng
        years = self.first_years(hightech)
        chains = [e for e in hightech if years[e.pk] == 2017]
        # Planted: one 2017 certificate nears its end on the as-of day with no renewal applied
        # for yet (applied later, in July); another chain's renewal is not applied for at all,
        # so its certificate runs out within six months of the story's end.
        late_applicant = chains[0] if chains else None
        lapsing = chains[1] if len(chains) > 1 else None
        for e in hightech:
            field = rng.choice(CHAIN_FIELDS.get(self.s.chain[e.pk], CHAIN_FIELDS[""]))
            year = years[e.pk]
            batch = rng.randrange(len(f.BATCHES[year]))
            if e is lapsing:
                batch = 1
            earlier = year - 3
            if earlier > e.established_on.year and rng.random() < 0.5:
                self._cert(e, f.BATCHES[earlier][-1], CertStatus.EXPIRED, field)
            first = f.BATCHES[year][batch]
            chain = [self._cert(e, first, CertStatus.EXPIRED, field)]
            renewal = year + 3
            while renewal in f.BATCHES:
                issued = f.BATCHES[renewal][min(batch, len(f.BATCHES[renewal]) - 1)]
                if issued > f.STORY_END or (e is lapsing and renewal == 2026):
                    break
                applied = None
                if e is late_applicant and renewal == 2020:
                    applied = datetime.date(2020, 7, 15)
                chain.append(self._cert(e, issued, CertStatus.EXPIRED, field, applied=applied))
                renewal += 3
            chain[-1].status = CertStatus.CERTIFIED
            if chain[0].issued_on <= as_of <= chain[0].expires_on:
                self.valid_on_as_of += 1
        self.hightech_ids = set(years)
        self.first_year = years
        self.late_applicant, self.lapsing = late_applicant, lapsing

    # -- the others: lapsed, revoked, the pipeline ----------------------------------------------

    def others(self, enterprises: list) -> None:
        rng, s = self.rng, self.s
        old = [e for e in enterprises if e.established_on.year <= 2012]
        rng.shuffle(old)
        lapsed, revoked = s.scaled(f.LAPSED), s.scaled(f.REVOKED)
        for e in old[:lapsed]:
            field = rng.choice(CHAIN_FIELDS.get(s.chain[e.pk], CHAIN_FIELDS[""]))
            issued = rng.choice(f.BATCHES[rng.choice((2013, 2014, 2015))])
            self._cert(e, issued, CertStatus.EXPIRED, field, note="有效期满未重新认定")
        for e in old[lapsed : lapsed + revoked]:
            field = rng.choice(CHAIN_FIELDS.get(s.chain[e.pk], CHAIN_FIELDS[""]))
            self._cert(
                e,
                f.BATCHES[2016][0],
                CertStatus.REVOKED,
                field,
                note="连续两年未报送年度发展情况报表,取消资格",
            )
        operating = [
            e
            for e in enterprises
            if e.status == "operating" and e.established_on < datetime.date(2025, 1, 1)
        ]
        operating.sort(key=lambda e: -s.tech_weight(e))
        pool = operating[: s.scaled(f.RESERVE) + s.scaled(f.APPLIED) + 10]
        rng.shuffle(pool)
        applied = s.scaled(f.APPLIED)
        for i, e in enumerate(pool[: applied + s.scaled(f.RESERVE)]):
            field = rng.choice(CHAIN_FIELDS.get(s.chain[e.pk], CHAIN_FIELDS[""]))
            if i < applied:
                day = datetime.date(2026, rng.choice((5, 6)), rng.randint(1, 28))
                self._cert(e, None, CertStatus.APPLIED, field, applied=day, note="2026 年度申报")
            else:
                day = datetime.date(rng.choice((2025, 2026)), rng.randint(1, 9), rng.randint(1, 28))
                cert = self._cert(e, None, CertStatus.CULTIVATING, field, applied=day)
                cert.applied_on = None
                cert.note = "入库培育"

    # -- what follows the certificates -----------------------------------------------------------

    def write(self) -> list[Certification]:
        return Certification.objects.bulk_create(self.certs, batch_size=500)

    def annual_reports(self) -> int:
        """A report for each year of each certificate, filed before its 31 May deadline; the
        2019 report of one certificate and the 2025 one of another were never filed."""
        rng, s = self.rng, self.s
        reports, missed_2019, missed_2025 = [], False, False
        for cert in self.certs:
            if cert.status not in (CertStatus.CERTIFIED, CertStatus.EXPIRED):
                continue
            for year in range(cert.issued_on.year, cert.issued_on.year + 3):
                due = datetime.date(year + 1, 5, 31)
                if due > f.STORY_END:
                    break
                filed = datetime.date(year + 1, rng.randint(3, 5), rng.randint(1, 28))
                if (
                    year == 2019
                    and not missed_2019
                    and cert.enterprise_id != getattr(s.account_enterprise, "pk", None)
                ):
                    filed, missed_2019 = None, True
                elif (
                    year == 2025
                    and cert.status == CertStatus.CERTIFIED
                    and not missed_2025
                    and cert.enterprise_id != getattr(s.account_enterprise, "pk", None)
                ):
                    filed, missed_2025 = None, True
                reports.append(
                    AnnualReport(
                        zone=s.zone, certification=cert, year=year, due_on=due, filed_on=filed
                    )
                )
        AnnualReport.objects.bulk_create(reports, batch_size=500)
        return len(reports)

    def tech_sme(self, enterprises: list) -> int:
        """科技型中小企业 entries, yearly, with their score."""
        rng, s, rows = self.rng, self.s, []
        small = [e for e in enterprises if e.scale in ("small", "micro", "medium")]
        small.sort(key=lambda e: -s.tech_weight(e))
        pool = small[: s.scaled(f.TECH_SME_PER_YEAR) * 2]
        for year in range(2019, f.STORY_END.year + 1):
            for e in rng.sample(pool, min(len(pool), s.scaled(f.TECH_SME_PER_YEAR))):
                rows.append(
                    Certification(
                        zone=s.zone, enterprise=e, kind=CertKind.TECH_SME,
                        status=CertStatus.CERTIFIED, year=year, score=rng.randint(60, 92),
                        applied_on=datetime.date(year, rng.randint(3, 6), rng.randint(1, 28)),
                        issued_on=datetime.date(year, 7, 15),
                    )
                )  # fmt: skip
        Certification.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def assessment_inputs(self, hightech: list, officer) -> int:
        """Entered pre-assessment figures for the as-of year and the story's year: most
        certified enterprises comfortably over 60% high-tech income, a handful near or under."""
        rng, s, rows = self.rng, self.s, []
        shares = [Decimal(x) for x in f.AT_RISK_SHARES[: max(1, s.scaled(len(f.AT_RISK_SHARES)))]]
        pool = [e for e in hightech if e is not s.account_enterprise]
        risky = {
            e.pk: share for e, share in zip(rng.sample(pool, len(shares)), shares, strict=True)
        }
        chosen = [e for e in hightech if e.pk in risky or rng.random() < 0.4]
        if s.account_enterprise is not None and s.account_enterprise.high_tech:
            chosen.append(s.account_enterprise)
        for e in dict.fromkeys(chosen):
            for year in (2020, f.STORY_END.year):
                staff = rng.randint(60, 900)
                income = Decimal(rng.randint(3000, 90000))
                share = risky.get(e.pk) or Decimal(rng.randint(68, 92))
                rows.append(
                    AssessmentInput(
                        zone=s.zone, enterprise=e, year=year, staff=staff,
                        st_staff=staff * rng.randint(12, 30) // 100,
                        total_income=income,
                        hightech_income=(income * share / 100).quantize(Decimal("0.01")),
                        rd_in_china_share=Decimal(rng.randint(85, 100)),
                        core_ip=True, no_major_incident=True,
                        conversions_1=rng.randint(1, 6), conversions_2=rng.randint(1, 6),
                        conversions_3=rng.randint(1, 6),
                        ip_advancement=rng.randint(5, 8), ip_support=rng.randint(5, 8),
                        ip_own_rd=True, leads_standard=rng.random() < 0.15,
                        rd_accounting=rng.randint(4, 6), rd_institution=rng.randint(3, 6),
                        conversion_platform=rng.randint(2, 4), talent_training=rng.randint(2, 4),
                        entered_by=officer,
                        entered_by_name=officer.full_name if officer else "",
                    )
                )  # fmt: skip
        AssessmentInput.objects.bulk_create(rows, batch_size=500)
        self.at_risk = sorted(risky)
        return len(rows)
