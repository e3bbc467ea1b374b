"""`gaoxin demo`: the seeded demo province (the orchestrator, gaoxin.demo), its zones and registry
calibrated to DOMAIN.md (the enterprises step), its accounts, its audit records; a seed decides
the data, not the published figures."""

import io
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from gaoxin.core.codes import uscc_problem
from gaoxin.core.models import AuditRecord, Department, Industry, Membership, Tag, User, Zone
from gaoxin.demo import figures
from gaoxin.demo.build import build_demo
from gaoxin.demo.plan import AS_OF, PASSWORD
from gaoxin.enterprises.models import Contact, Enterprise, StatusChange
from gaoxin.enterprises.services import validate
from gaoxin.investment.delivery import with_overdue
from gaoxin.investment.demo import figures as investment_figures
from gaoxin.investment.demo.calibration import EXPECTED, measured
from gaoxin.investment.demo.specs import AS_OF as INVESTMENT_AS_OF
from gaoxin.investment.models import Project

pytestmark = pytest.mark.django_db

MAIN_ACCOUNTS = {
    # username: (role, zone code, department, enterprise?, province)
    "admin": ("platform_admin", None, None, False, None),
    "zone_admin": ("zone_admin", "GJ", None, False, None),
    "staff": ("zone_staff", "GJ", "经济发展局", False, None),
    "leader": ("zone_leader", "GJ", None, False, None),
    "enterprise": ("enterprise_user", "GJ", None, True, None),
    "province": ("province_viewer", None, None, False, "360000"),
}


def registry_snapshot() -> list[tuple]:
    """Everything a seed decides about the registry, in insertion order."""
    enterprises = list(
        Enterprise.objects.order_by("pk").values_list(
            "zone__code",
            "name",
            "uscc",
            "industry_id",
            "registered_capital",
            "established_on",
            "scale",
            "above_scale_since",
            "high_tech",
            "status",
            "status_since",
            "legal_representative",
            "address",
        )
    )
    contacts = list(Contact.objects.order_by("pk").values_list("enterprise__uscc", "name", "phone"))
    return enterprises + contacts


@pytest.mark.engine("sqlite")
def test_same_seed_builds_the_same_province_and_the_command_prints_the_accounts():
    """On an empty database --if-empty builds; the same seed gives the same registry. This test
    builds its own demos (other seeds, and through the command): it runs before the session
    demo is built (tests/conftest.py). On SQLite only, the database of `make run` (a build, a
    build through the projects and one registry; the figures of the session demo are checked on both engines by every test of
    tests/demo/)."""
    out = io.StringIO()
    with transaction.atomic():
        call_command("demo", "--if-empty", "--seed", "7", stdout=out)  # empty: builds
        first = registry_snapshot()
        transaction.set_rollback(True)
    assert Zone.objects.count() == 0
    with transaction.atomic():
        # the registry and the projects: the steps after them change neither
        result = build_demo(seed=7, through="investment")
        second = registry_snapshot()
        the_figures_hold_for_another_seed(result)
        transaction.set_rollback(True)
    with transaction.atomic():
        build_demo(seed=8, through="enterprises")  # the registry is what a seed decides first
        other = registry_snapshot()
        transaction.set_rollback(True)

    assert len(first) > 810
    assert first == second
    assert [row[1:3] for row in first[:810]] != [row[1:3] for row in other[:810]]
    text = out.getvalue()
    loaded = next(line for line in text.splitlines() if line.startswith("演示数据已载入:"))
    assert loaded.startswith("演示数据已载入:3 个园区,810 家企业,") and ",15 个账号," in loaded
    assert "账号" in text and "角色" in text and "范围" in text and "初始密码" in text
    row = next(line for line in text.splitlines() if line.startswith("enterprise "))
    assert row.split() == ["enterprise", "王丽娟", "企业用户", "江西鸿泰光电科技有限公司", PASSWORD]


def the_figures_hold_for_another_seed(result):
    """The cohorts' windows, not luck, make the figures: another seed, other projects, the same
    published figures and the same number behind on their commitments."""
    zone = Zone.objects.get(code="GJ")
    projects = Project.objects.filter(zone=zone, is_deleted=False)
    assert measured(zone) == {"all": EXPECTED, "industrial": EXPECTED}
    assert with_overdue(projects, INVESTMENT_AS_OF).count() == investment_figures.OVERDUE_PROJECTS
    summary = result.summaries["investment"]
    assert next(s for s in summary.zones if s.zone.code == "GJ").projects == projects.count()


@pytest.mark.usefixtures("demo")
class TestDemoProvince:
    def main_zone(self):
        return Zone.objects.get(code="GJ")

    def test_zones_departments_and_chain_tags(self):
        zones = {z.code: z for z in Zone.objects.all()}
        assert set(zones) == {"GJ", "LH", "XJ"}
        assert {z.province_id for z in zones.values()} == {"360000"}
        assert zones["GJ"].level == "national" and zones["GJ"].division_id == "360425"
        assert {zones["LH"].level, zones["XJ"].level} == {"provincial"}
        main = zones["GJ"]
        assert set(Department.objects.filter(zone=main).values_list("name", flat=True)) == {
            "招商局",
            "经济发展局",
            "科技创新局",
            "政务服务中心",
            "企业服务局",
            "党政办公室",
        }
        tags = Tag.objects.filter(zone=main, category="industry_chain")
        assert set(tags.values_list("name", flat=True)) == {
            "电子信息",
            "纺织服装",
            "新材料",
            "跨境电商",
            "智能制造",
            "生物医药",
        }
        # the other tags are the investment demo's source channels (招商渠道)
        others = Tag.objects.filter(zone=main).exclude(category="industry_chain")
        assert set(others.values_list("category", flat=True)) == {"source_channel"}

    def test_main_zone_is_calibrated_to_the_published_figures(self):
        registry = Enterprise.objects.filter(zone=self.main_zone())
        assert registry.count() == figures.MAIN_ZONE_ENTERPRISES == 600
        above = registry.filter(above_scale=True)
        assert above.count() == figures.ABOVE_SCALE_TOTAL == 165
        assert above.filter(above_scale_since__year=2019).count() == 39
        assert figures.NEW_ABOVE_SCALE_2019 == 39
        assert not registry.filter(above_scale_since__year__gt=2019).exists()
        assert registry.filter(high_tech=True).count() == figures.HIGH_TECH_TOTAL == 112
        assert Counter(registry.values_list("status", flat=True)) == {
            "operating": 556,
            "suspended": 18,
            "moved_out": 12,
            "deregistered": 14,
        }
        for e in above:  # industrial, operating, above scale after it was founded
            assert 6 <= int(e.industry_id[:2]) <= 46, e.name
            assert e.status == "operating" and e.scale in {"large", "medium", "small"}
            assert e.above_scale_since > e.established_on
        tagged = Counter(registry.values_list("tags__name", flat=True))
        assert tagged["电子信息"] == 180 and tagged["生物医药"] == 25 and tagged[None] == 35
        other_zones = Enterprise.objects.exclude(zone=self.main_zone())
        assert sorted(Counter(other_zones.values_list("zone__code", flat=True)).values()) == [
            90,
            120,
        ]

    def test_every_enterprise_passes_the_registry_validation(self):
        enterprises = list(Enterprise.objects.all())
        assert len(enterprises) == 810
        for enterprise in enterprises:
            validate(enterprise, check_unique=False)
        names = [e.name for e in enterprises]
        assert len(set(names)) == len(names)
        assert all(n.endswith("有限公司") for n in names)

    def test_codes_are_valid_unique_and_registered_in_the_zone(self):
        rows = list(Enterprise.objects.values_list("uscc", "zone__division_id"))
        usccs = [u for u, _d in rows]
        assert len(set(usccs)) == len(usccs) == 810
        assert len({u[8:17] for u in usccs}) == 810  # organisation codes unique too
        cities = {"360425": "360400", "360921": "360900", "361123": "361100"}
        for uscc, division in rows:
            assert uscc_problem(uscc) is None, uscc
            assert uscc[:2] == "91"
            assert uscc[2:8] in {division, cities[division]}

    def test_industries_are_existing_four_digit_classes(self):
        used = set(Enterprise.objects.values_list("industry_id", flat=True))
        classes = set(Industry.objects.filter(level="class").values_list("code", flat=True))
        assert used <= classes
        assert all(len(code) == 4 for code in used)
        main = Enterprise.objects.filter(zone__code="GJ", tags__name="电子信息")
        assert {"3974", "3051"} <= set(main.values_list("industry_id", flat=True))

    def test_status_history_and_contacts(self):
        history = {}
        for change in StatusChange.objects.order_by("on", "id"):
            history.setdefault(change.enterprise_id, []).append(change)
        contacts = Counter()
        primaries = Counter()
        for contact in Contact.objects.all():
            contacts[contact.enterprise_id] += 1
            primaries[contact.enterprise_id] += contact.is_primary
            assert re.fullmatch(r"1[3-9]\d{9}", contact.phone), contact.phone
        for e in Enterprise.objects.all():
            changes = history[e.pk]
            assert (changes[0].status, changes[0].on) == ("operating", e.established_on)
            assert (changes[-1].status, changes[-1].on) == (e.status, e.status_since)
            assert all(c.on <= AS_OF and c.zone_id == e.zone_id for c in changes)
            assert 1 <= contacts[e.pk] <= 2 and primaries[e.pk] == 1
            assert 1995 <= e.established_on.year <= 2020 and e.registered_capital > 0

    def test_demo_accounts_hold_one_membership_and_log_in(self):
        request = RequestFactory().post("/login/")
        for username, (role, zone, department, has_enterprise, province) in MAIN_ACCOUNTS.items():
            user = User.objects.get(username=username)
            memberships = list(Membership.objects.filter(user=user))
            assert len(memberships) == 1, username
            m = memberships[0]
            assert m.role == role
            assert (m.zone.code if m.zone else None) == zone
            assert (m.department.name if m.department else None) == department
            assert (m.enterprise_id is not None) == has_enterprise
            assert m.province_id == province
            m.full_clean()
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.full_name)
            # The demo password meets the rules for a new account like this one (the history
            # rule refuses it for the account itself: it is its current password).
            validate_password(PASSWORD, User(username=username, full_name=user.full_name))
            assert authenticate(request=request, username=username, password=PASSWORD) == user
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()
        own = Membership.objects.get(user__username="enterprise").enterprise
        assert own.name == "江西鸿泰光电科技有限公司"
        assert own.status == "operating" and own.above_scale and own.industry_id == "3974"
        assert list(own.tags.values_list("name", flat=True)) == ["电子信息"]
        assert own.contacts.filter(name="王丽娟").exists()

    def test_one_audit_record_per_zone(self):
        records = list(AuditRecord.objects.filter(action="import").order_by("zone__code"))
        assert [(r.zone.code, r.message, r.actor_name) for r in records] == [
            ("GJ", "演示数据", "system"),
            ("LH", "演示数据", "system"),
            ("XJ", "演示数据", "system"),
        ]
        assert records[0].after["企业"] == 600
        assert records[0].after["其中2019年新入规"] == 39

    def test_if_empty_leaves_a_populated_database_alone(self):
        before = (Zone.objects.count(), Enterprise.objects.count(), User.objects.count())
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        after = (Zone.objects.count(), Enterprise.objects.count(), User.objects.count())
        assert after == before == (3, 810, 15)
        assert "演示数据已存在" in out.getvalue()
        assert "gaoxin-demo-2026" in out.getvalue()  # the accounts are shown again for make run

    def test_refuses_to_load_twice(self):
        with pytest.raises(CommandError, match="数据库中已有 3 个园区,拒绝载入演示数据"):
            call_command("demo", stdout=io.StringIO())
        assert Enterprise.objects.count() == 810
