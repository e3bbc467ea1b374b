"""催报 reaches people: `statistics.services.remind` notifies each reminded enterprise's active
enterprise users (core notifications: the bell and an e-mail after the commit), with the officer's
text or a default one naming the period, kind "statistics.reminder", from the officer."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Notification
from gaoxin.core.notifications import kind_of
from gaoxin.statistics import services
from gaoxin.statistics.models import Reminder
from tests.factories import member

pytestmark = pytest.mark.django_db
KIND = "statistics.reminder"


@pytest.fixture
def w(world):
    for enterprise in (world.a1, world.a2):
        enterprise.above_scale = True
        enterprise.above_scale_since = datetime.date(2018, 6, 1)
        enterprise.save()
    world.enterprise.email = "a1@example.com"
    world.enterprise.save()
    world.a1_second = member("enterprise_user", zone=world.zone_a, enterprise=world.a1)
    world.a1_gone = member("enterprise_user", zone=world.zone_a, enterprise=world.a1)
    world.a1_gone.is_active = False
    world.a1_gone.save()
    world.a2_user = member("enterprise_user", zone=world.zone_a, enterprise=world.a2)
    world.b1_user = member("enterprise_user", zone=world.zone_b, enterprise=world.b1)
    return world


def test_the_officers_text_reaches_the_enterprise_users(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind(w.staff, w.zone_a, "2019-02", message="请尽快报送二月报表") == 2
    notes = Notification.objects.filter(kind=KIND)
    assert {n.user for n in notes} == {w.enterprise, w.a1_second, w.a2_user}
    mine = notes.get(user=w.enterprise)
    reminder = Reminder.objects.get(enterprise=w.a1)
    assert mine.text == "请尽快报送二月报表" == reminder.message
    assert mine.target == reminder and mine.sender == w.staff
    assert mine.url == reverse("statistics:my") and mine.read_at is None
    assert notes.get(user=w.a2_user).target == Reminder.objects.get(enterprise=w.a2)
    # by e-mail after the commit, to those with an address
    assert [m.to for m in mail.outbox] == [["a1@example.com"]]
    assert "请尽快报送二月报表" in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("/statistics/my/\n")
    mine.refresh_from_db()
    assert mine.emailed_at is not None


def test_the_default_text_names_the_period_and_the_date(w):
    services.remind(w.staff, w.zone_a, "2019-02", enterprise_ids=[w.a2.pk])
    note = Notification.objects.get(kind=KIND)
    assert note.user == w.a2_user
    assert note.text == "请于 2019-03-08 前报送 2019年1–2月 统计报表。"
    assert (note.kind_label, kind_of(KIND).tone) == ("催报", "warning")


def test_nobody_else_hears_of_it(w):
    services.remind(w.staff, w.zone_a, "2019-02")
    told = set(Notification.objects.filter(kind=KIND).values_list("user__username", flat=True))
    assert w.a1_gone.username not in told and w.b1_user.username not in told
    assert not told & {"staff", "zone_admin", "leader", "admin", "province"}


def test_a_refused_reminder_notifies_nobody(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Forbidden):
        services.remind(w.leader, w.zone_a, "2019-02", message="请报送")
    assert not Notification.objects.exists() and not Reminder.objects.exists()
    assert mail.outbox == []


def test_a_rolled_back_reminder_sends_no_mail(w, django_capture_on_commit_callbacks):
    class Undo(Exception):
        pass

    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(Undo), transaction.atomic():
        services.remind(w.staff, w.zone_a, "2019-02")
        assert Notification.objects.filter(kind=KIND).count() == 3
        raise Undo
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_the_enterprise_opens_its_returns_from_the_bell(client, w):
    services.remind(w.staff, w.zone_a, "2019-02")
    note = Notification.objects.get(user=w.enterprise)
    client.force_login(w.enterprise)
    html = client.get(reverse("notifications")).content.decode()
    assert 'id="bell-count">1</span>' in html and note.text in html
    r = client.post(reverse("notifications_read"), {"id": note.pk})
    assert r.status_code == 302 and r["Location"] == reverse("statistics:my")
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_over_long_message_is_refused_not_cut(w):
    audits = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.remind(w.staff, w.zone_a, "2019-02", message="催" * 301)
    assert raised.value.message_dict == {"message": ["提醒内容不能超过 300 个字(现为 301 个字)"]}
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    assert AuditRecord.objects.count() == audits
    assert services.remind(w.staff, w.zone_a, "2019-02", message=" " + "催" * 300 + " ") == 2
    assert Reminder.objects.filter(message="催" * 300).count() == 2


@pytest.mark.parametrize("who", ["leader", "enterprise", "province"])
def test_the_refusal_says_who_reminds(w, who):
    with pytest.raises(Forbidden) as refused:
        services.remind(getattr(w, who), w.zone_a, "2019-02", message="请报送")
    assert str(refused.value) == "只有经济发展局工作人员可以催报"
    assert not Reminder.objects.exists()
