"""The inbox (who sees which matters to act on, red first), the notifications page (own only,
unread first marked, mark one / all read) and the bell's unread count (one query)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from gaoxin.core.models import Notification
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Category, Kind
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def box(world):
    catalogue.ensure_categories(world.zone_a)
    funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    funding.department = world.dept_a
    funding.save()
    world.dept_b = DepartmentFactory(zone=world.zone_a, name="科技局")
    world.staff_b = member("zone_staff", username="staff_b", zone=world.zone_a,
                           department=world.dept_b)  # fmt: skip
    admin = world.zone_admin

    def new(title, **kw):
        kw.setdefault("enterprise", world.a2)
        return services.create_matter(admin, world.zone_a, kind="visit", title=title, **kw)

    # dept_a's unassigned request (green, due in 10 working days)
    world.routed = services.create_matter(
        world.enterprise, None, kind="help", category=funding, title="资金诉求"
    )
    world.mine = new("我负责的", officer=world.staff, due_on=datetime.date(2026, 11, 30))
    world.helping = new(
        "我协办的", officer=world.staff_b, helpers=[world.staff], due_on=datetime.date(2026, 11, 4)
    )  # fmt: skip (yellow)
    world.nobody = new("无人分派", due_on=datetime.date(2026, 11, 20))
    world.other_dept = new("科技局的", department=world.dept_b, due_on=datetime.date(2026, 11, 20))
    world.red = new("逾期的", officer=world.staff, due_on=datetime.date(2026, 11, 2))
    world.done = new("已办结", officer=world.staff)
    services.resolve(world.staff, world.done, version=world.done.version, resolution="好了")
    world.escalated = new("督办的", officer=world.staff_b, due_on=datetime.date(2026, 11, 25))
    services.escalate(admin, world.escalated, reason="领导关注")
    return world


def titles(html: str) -> list[str]:
    table = html.split('id="inbox-table"', 1)[1].split("</table>", 1)[0]
    found = []
    for chunk in table.split('class="inbox-row"')[1:]:
        title = chunk.split('<td style="white-space: normal">', 1)[1].split("<div", 1)[0]
        found.append(title.strip())
    return found


def test_inbox_per_person(client, box):
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC), tick=False):
        client.force_login(box.staff)
        r = client.get(reverse("matters:inbox"))
        assert r.status_code == 200
        # red first, then yellow, then by due date
        assert titles(r.content.decode()) == ["逾期的", "我协办的", "资金诉求", "我负责的"]
        html = r.content.decode()
        assert 'id="inbox-red">逾期 1' in html and 'id="inbox-yellow">临期 1' in html
        client.force_login(box.staff_b)
        assert titles(client.get(reverse("matters:inbox")).content.decode()) == [
            "我协办的", "科技局的", "督办的"]  # fmt: skip
        client.force_login(box.zone_admin)
        assert set(titles(client.get(reverse("matters:inbox")).content.decode())) == {
            "资金诉求", "无人分派", "科技局的", "督办的"}  # fmt: skip
        client.force_login(box.leader)
        assert titles(client.get(reverse("matters:inbox")).content.decode()) == ["督办的"]
        client.force_login(box.province)
        assert titles(client.get(reverse("matters:inbox")).content.decode()) == []
        client.force_login(box.enterprise)
        assert titles(client.get(reverse("matters:inbox")).content.decode()) == ["资金诉求"]


def test_inbox_enterprise_sees_resolved_awaiting_rating(client, box):
    matter = services.resolve(
        box.staff, box.routed, version=box.routed.version, resolution="已对接银行"
    )
    client.force_login(box.enterprise)
    html = client.get(reverse("matters:inbox")).content.decode()
    assert titles(html) == ["资金诉求"] and "待评价" in html
    services.rate(box.enterprise, matter, rating=5)
    assert titles(client.get(reverse("matters:inbox")).content.decode()) == []


def test_inbox_anonymous_and_query_count(client, box, django_assert_max_num_queries):
    r = client.get(reverse("matters:inbox"))
    assert r.status_code == 302
    client.force_login(box.staff)
    client.get(reverse("matters:inbox"))
    with django_assert_max_num_queries(10):
        client.get(reverse("matters:inbox"))
    for i in range(10):
        services.create_matter(box.zone_admin, box.zone_a, kind="visit", title=f"走访{i}",
                               enterprise=box.a1, officer=box.staff,
                               helpers=[box.staff_b])  # fmt: skip
    with django_assert_max_num_queries(10):
        r = client.get(reverse("matters:inbox"))
    assert 'id="inbox-count">14 件' in r.content.decode()


def test_notifications_page_and_marking(client, box):
    mine = Notification.objects.filter(user=box.staff)
    assert mine.count() >= 3
    theirs = Notification.objects.exclude(user=box.staff).first()
    client.force_login(box.staff)
    r = client.get(reverse("notifications"))
    html = r.content.decode()
    assert r.status_code == 200
    assert f'id="unread-count">{mine.count()} 条未读' in html
    assert html.count("notification list-group-item-warning unread") == mine.count()
    assert theirs.text not in html or theirs.text in {n.text for n in mine}
    # newest first
    first = mine.order_by("-created_at", "-id").first()
    assert html.index(f'data-id="{first.pk}"') < html.index(f'data-id="{mine.last().pk}"')
    # one read: opens its matter
    note = mine.filter(matter=box.mine).first()
    r = client.post(reverse("notifications_read"), {"id": note.pk})
    assert r.status_code == 302 and r["Location"] == reverse("matters:detail", args=[box.mine.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    # someone else's: 404, untouched
    r = client.post(reverse("notifications_read"), {"id": theirs.pk})
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(reverse("notifications_read"), {"id": "x"}).status_code == 404
    # all read
    r = client.post(reverse("notifications_read"))
    assert r.status_code == 302
    assert not mine.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(pk=theirs.pk, read_at__isnull=True).exists()
    assert client.get(reverse("notifications_read")).status_code == 405


def test_bell(client, box, django_assert_max_num_queries):
    client.force_login(box.staff)
    unread = Notification.objects.filter(user=box.staff, read_at__isnull=True).count()
    html = client.get(reverse("notifications")).content.decode()
    assert f'id="bell-count">{unread}</span>' in html
    client.post(reverse("notifications_read"))
    html = client.get(reverse("notifications")).content.decode()
    assert 'id="bell"' in html and 'id="bell-count"' not in html
    client.logout()
    html = client.get("/accounts/login/").content.decode()
    assert 'id="bell"' not in html


def test_unread_counted_once_a_page(client, box):
    """The bell and the notifications page share one COUNT of the unread."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(box.staff)
    client.get(reverse("matters:inbox"))
    for url in (reverse("notifications"), reverse("matters:inbox")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        unread = [q["sql"] for q in queries if '"read_at" IS NULL' in q["sql"]]
        assert len(unread) == 1 and "COUNT" in unread[0], url


def test_notifications_anonymous(client, box):
    assert client.get(reverse("notifications")).status_code == 302
    assert client.post(reverse("notifications_read")).status_code == 302


def test_old_notification_addresses_are_moved_for_good(client, box):
    """The page moved to core: /matters/notifications/ answers a permanent redirect (the query
    kept), and the old form's POST is sent on with a 308 (the browser repeats the POST)."""
    client.force_login(box.staff)
    r = client.get("/matters/notifications/?page=2")
    assert r.status_code == 301 and r["Location"] == "/notifications/?page=2"
    assert reverse("matters:notifications") == "/matters/notifications/"
    r = client.post("/matters/notifications/read/")
    assert r.status_code == 308 and r["Location"] == "/notifications/read/"
    unread = Notification.objects.filter(user=box.staff, read_at__isnull=True)
    assert unread.exists()
    r = client.post("/matters/notifications/read/", follow=True)
    assert r.redirect_chain[0] == ("/notifications/read/", 308)
    assert not unread.exists()
