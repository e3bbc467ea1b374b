"""The matter's closed loop through the services: raise, route, assign, resolve, rate; the
traffic light and escalation on a controlled clock; every step audited; scopes kept."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord, Notification
from gaoxin.matters import catalogue, notify, services
from gaoxin.matters.models import Category, Kind, Light, Status

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def funding(world):
    catalogue.ensure_categories(world.zone_a)
    category = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    category.department = world.dept_a
    category.service_days = 5
    category.save()
    world.staff.email = "staff@example.com"
    world.staff.save()
    return category


def test_help_request_loop(world, funding):
    with time_machine.travel(MONDAY, tick=False):
        matter = services.create_matter(
            world.enterprise, None, kind="help", category=funding.pk, title="流动资金紧张",
            description="需要对接银行贷款",
        )  # fmt: skip
        assert matter.zone == world.zone_a and matter.enterprise == world.a1
        assert matter.department == world.dept_a and matter.status == Status.OPEN
        assert matter.due_on == datetime.date(2026, 11, 9)  # five working days
        assert matter.number == "BF-2026-0001"
        assert Notification.objects.filter(user=world.staff, matter=matter).count() == 1
        assert len(mail.outbox) == 1 and "流动资金紧张" in mail.outbox[0].subject
        assert matter.light(datetime.date(2026, 11, 2)) == Light.GREEN
    with time_machine.travel(datetime.datetime(2026, 11, 6, 9, tzinfo=datetime.UTC), tick=False):
        assert notify.run_daily() == {"due_soon": 1, "overdue": 0, "escalated": 0}
        assert notify.run_daily() == {"due_soon": 0, "overdue": 0, "escalated": 0}
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, tzinfo=datetime.UTC), tick=False):
        assert notify.run_daily()["overdue"] == 1
    with time_machine.travel(datetime.datetime(2026, 11, 12, 9, tzinfo=datetime.UTC), tick=False):
        assert notify.run_daily()["escalated"] == 1
        matter.refresh_from_db()
        assert matter.escalated_at is not None
        assert Notification.objects.filter(user=world.leader, kind="matters.escalated").count() == 1
        matter = services.start(world.staff, matter, version=matter.version)
        matter = services.resolve(world.staff, matter, version=matter.version, resolution="已对接")
        with pytest.raises(Forbidden):
            services.rate(world.staff, matter, rating=5)
        matter = services.rate(world.enterprise, matter, rating=5, comment="满意")
    assert matter.status == Status.CLOSED and matter.rating == 5
    actions = list(
        AuditRecord.objects.for_object(matter).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "status", "status", "status", "status"]


def test_stale_and_bad_input(world, funding):
    matter = services.create_matter(
        world.zone_admin, world.zone_a, kind="help", category=funding, title="招工难",
        enterprise=world.a2,
    )  # fmt: skip
    services.change_due(
        world.zone_admin, matter, version=matter.version, due_on=matter.due_on +
        datetime.timedelta(days=3), reason="企业补充材料",
    )  # fmt: skip
    with pytest.raises(StaleVersion):
        services.start(world.zone_admin, matter, version=matter.version)
    with pytest.raises(ValidationError):
        services.create_matter(world.zone_admin, world.zone_a, kind="help", title="x",
                               enterprise=world.b1, category=funding)  # fmt: skip
    with pytest.raises(ValidationError):
        services.create_matter(world.enterprise, None, kind="help", title="x")
    with pytest.raises(Forbidden):
        services.create_matter(world.enterprise, None, kind="agency", title="x")
