"""The demo's help for enterprises: on the real demo's main zone (GJ) the 2020 H1 summary gives
DOMAIN.md's published figures (`PUBLISHED`), through the service and the API; the working groups,
the help requests (raised through the services, statuses mixed, the demo enterprise's rated) and
every ledger row's audit record are there."""

import datetime
import random
from decimal import Decimal

import pytest
from django.test import Client

from gaoxin.core.models import AuditRecord, User, Zone
from gaoxin.matters import assistance
from gaoxin.matters.demo.assistance import PUBLISHED, CalibrationError, build_zone, split
from gaoxin.matters.models import Award, Kind, Matter, Resumption, Status, WorkingGroup
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def zone(demo):
    """The demo's main zone (GJ), which holds the help data."""
    return Zone.objects.get(code="GJ")


class TestPublished:
    def test_summary_gives_the_published_figures(self, zone):
        got = assistance.summary(zone, D(2020, 1, 1), D(2020, 6, 30))
        assert got["awards"]["enterprises"] == 63
        assert got["awards"]["amount_wan"] == Decimal("1952.6")
        assert got["loans"]["credit"]["enterprises"] == 23
        assert got["loans"]["credit"]["amount_wan"] == Decimal("23400")
        assert got["loans"]["guaranteed"]["enterprises"] == 11
        assert got["loans"]["guaranteed"]["amount_wan"] == Decimal("11000")
        assert got["jobs"]["positions"] == 5126
        assert got["jobs"]["fairs"] == 6
        assert got["resumption"]["enterprises"]["rate"] == Decimal("100.0")
        assert got["resumption"]["enterprises"]["tracked"] > 0
        assert got["resumption"]["overall"]["rate"] == Decimal("100.0")
        assert PUBLISHED["positions"] == 5126

    def test_the_api_answers_the_same(self, zone):
        api = Api(Client(), bearer(User.objects.get(username="leader")))
        body = api.get("/assistance/summary", start="2020-01-01", end="2020-06-30").json()
        assert body["zone"] == "GJ"
        assert body["awards"] == {"enterprises": 63, "count": body["awards"]["count"],
                                  "amount_wan": 1952.6}  # fmt: skip
        assert body["loans"]["credit"]["amount_wan"] == 23400
        assert body["loans"]["guaranteed"]["amount_wan"] == 11000
        assert body["jobs"]["positions"] == 5126
        assert body["resumption"]["overall"]["rate"] == 100.0

    def test_before_the_epidemic_nothing_had_resumed(self, zone):
        got = assistance.summary(zone, D(2020, 1, 1), D(2020, 1, 31))
        assert got["awards"]["count"] == 0
        assert got["resumption"]["overall"]["tracked"] == 0

    def test_groups_and_requests(self, zone):
        groups = list(WorkingGroup.objects.filter(zone=zone))
        assert [g.name for g in sorted(groups, key=lambda g: g.pk)] == [
            "第一帮扶工作组",
            "第二帮扶工作组",
            "第三帮扶工作组",
        ]
        for g in groups:
            assert 15 <= g.enterprises.count() <= 26 and g.department_id
        helps = Matter.objects.filter(zone=zone, kind=Kind.HELP)
        assert helps.count() >= 15
        statuses = set(helps.values_list("status", flat=True))
        assert {Status.IN_PROGRESS, Status.CLOSED} <= statuses
        assert helps.filter(rating__isnull=False).exists()
        assert not helps.filter(category__isnull=True).exists()
        assert not helps.filter(department__isnull=True).exists()
        enterprise_user = User.objects.get(username="enterprise")
        assert Matter.objects.restrict(enterprise_user).filter(kind=Kind.HELP).exists()

    def test_every_ledger_row_is_audited(self, zone):
        for model in (Award, Resumption):
            ids = set(model.objects.filter(zone=zone).values_list("pk", flat=True))
            audited = AuditRecord.objects.filter(
                content_type__model=model._meta.model_name, action=AuditRecord.Action.CREATE
            ).values_list("object_id", flat=True)
            assert {str(i) for i in ids} <= set(audited)


def test_split_is_exact():
    rng = random.Random(3)
    for total, parts, low in ((19526, 75, 20), (234, 28, 2), (5126, 150, 3)):
        out = split(rng, total, parts, low)
        assert sum(out) == total and len(out) == parts and min(out) >= low
    with pytest.raises(CalibrationError):
        split(rng, 10, 11, 1)


def test_too_small_a_zone_is_refused(world):
    with pytest.raises(CalibrationError):
        build_zone(world.zone_a, random.Random(1), D(2026, 1, 1))
