"""`gaoxin remind`: the daily job sends due-soon and overdue reminders once, escalates matters
long overdue, prints the counts, and refuses a malformed date."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core.models import Notification
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Kind, Matter

pytestmark = pytest.mark.django_db


def remind(*args) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def late(world):
    """Three help requests of ZA due on 2026-11-10, 2026-11-20 and 2026-12-31."""
    category = catalogue.standard(world.zone_a, Kind.HELP, "funding")
    matters = []
    for title, due in (("a", "2026-11-10"), ("b", "2026-11-20"), ("c", "2026-12-31")):
        m = services.create_matter(
            world.zone_admin, world.zone_a, kind="help", category=category, title=title,
            enterprise=world.a1, officer=world.staff,
        )  # fmt: skip
        Matter.objects.filter(pk=m.pk).update(due_on=datetime.date.fromisoformat(due))
        matters.append(m)
    return matters


def test_remind_on_a_date(world, late):
    # 2026-11-18: a is 8 days late (reminded and escalated), b due within 3 days, c green.
    out = remind("--date", "2026-11-18")
    assert "临期 1 件" in out and "逾期 1 件" in out and "升级督办 1 件" in out
    a = Matter.objects.get(pk=late[0].pk)
    assert a.escalated_at is not None and a.overdue_notified_on == datetime.date(2026, 11, 18)
    assert Notification.objects.filter(
        user=world.leader, matter=a, kind="matters.escalated"
    ).exists()
    assert Notification.objects.filter(user=world.staff, kind="matters.due_soon").count() == 1
    # Once each: a second run the same day sends nothing.
    assert "临期 0 件,逾期 0 件;升级督办 0 件" in remind("--date", "2026-11-18")


def test_remind_today_with_nothing_to_do(world):
    assert "临期 0 件,逾期 0 件;升级督办 0 件" in remind()


def test_bad_date_is_refused(world, late):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        remind("--date", "2026-13-01")
    assert not Notification.objects.filter(
        kind__in=("matters.due_soon", "matters.overdue")
    ).exists()
