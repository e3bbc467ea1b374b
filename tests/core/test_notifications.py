"""Core notifications: `notify()` (rows in the caller's transaction, e-mail after the commit, the
text never cut), the kinds' labels, `restrict()` (one's own only), the bell's count and the page
`/notifications/` (list, mark read, open what it is about when still visible)."""

import ast
import logging
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from gaoxin.core import notifications
from gaoxin.core.models import Membership, Notification, Tag
from gaoxin.core.notifications import kind_of, notify, register_kind, unread_count
from tests.factories import TagFactory, member

pytestmark = pytest.mark.django_db
KIND = "core.testing"
register_kind(KIND, "测试通知", tone="info")


@pytest.fixture
def people(world):
    world.staff.email = "staff@example.com"
    world.staff.save()
    world.gone = member("zone_staff", zone=world.zone_a)
    world.gone.is_active = False
    world.gone.save()
    world.tag = TagFactory(zone=world.zone_a, name="新材料")
    return world


def test_one_row_each_written_with_the_callers_transaction(
    people, django_capture_on_commit_callbacks
):
    w = people
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            [w.staff, w.leader, w.staff, None, w.gone], "请处理", kind=KIND, target=w.tag,
            url="/tags/", sender=w.zone_admin,
        )  # fmt: skip
    assert [n.user for n in rows] == [w.staff, w.leader]  # once each, the disabled left out
    n = Notification.objects.get(user=w.staff)
    assert (n.kind, n.text, n.url, n.sender, n.read_at) == (
        KIND,
        "请处理",
        "/tags/",
        w.zone_admin,
        None,
    )
    assert n.target == w.tag and n.kind_label == "测试通知" and n.kind_info.tone == "info"
    # e-mailed after the commit to those with an address, and marked so
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
    assert mail.outbox[0].subject.endswith("测试通知:新材料")
    assert (
        mail.outbox[0].body == f"{w.staff.display_name}:\n\n请处理\n\nhttp://127.0.0.1:8000/tags/\n"
    )
    n.refresh_from_db()
    assert n.emailed_at is not None
    assert Notification.objects.get(user=w.leader).emailed_at is None  # no address


def test_nothing_is_sent_when_the_write_rolls_back(people, django_capture_on_commit_callbacks):
    class Undo(Exception):
        pass

    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(Undo), transaction.atomic():
        notify([people.staff], "请处理", kind=KIND)
        raise Undo
    assert callbacks == [] and mail.outbox == [] and not Notification.objects.exists()


def test_without_email_and_without_a_target(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([people.staff], "系统维护通知", kind=KIND, email=False)
    assert callbacks == [] and mail.outbox == []
    n = Notification.objects.get()
    assert n.target is None and n.content_type_id is None and n.url == "" and n.sender is None
    # an e-mail without a page links to the notifications
    notifications.send_emails([n.pk])
    assert mail.outbox[0].body.endswith("/notifications/\n")
    assert mail.outbox[0].subject.endswith("测试通知:系统维护通知")
    assert notifications.send_emails([n.pk]) == 0  # never twice


def test_a_failed_email_is_logged_and_the_notification_stays(people, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.FailingBackend"
    with caplog.at_level(logging.WARNING, logger="gaoxin.core.notifications"):
        rows = notify([people.staff], "请处理", kind=KIND, email=False)
        assert notifications.send_emails([rows[0].pk]) == 0
    assert "staff@example.com" in caplog.text
    rows[0].refresh_from_db()
    assert rows[0].emailed_at is None


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


@pytest.mark.parametrize("length", [300, 301])
def test_text_over_300_characters_is_refused_never_cut(people, length):
    text = "字" * length
    if length == 300:
        assert notify([people.staff], text, kind=KIND)[0].text == text
        return
    with pytest.raises(ValidationError) as error:
        notify([people.staff], text, kind=KIND)
    assert error.value.message_dict == {"text": ["通知内容不能超过 300 个字(现为 301 个字)"]}
    assert not Notification.objects.exists()


def test_bad_calls_are_refused(people):
    with pytest.raises(ValidationError):
        notify([people.staff], "  ", kind=KIND)
    for kind in ("assigned", "Matters.Assigned", "matters.", "a" * 49 + ".b", "", None):
        with pytest.raises(ValueError):
            notify([people.staff], "请处理", kind=kind)
    for url in ("https://evil.example/", "//evil.example/", "tags/", "/" + "x" * 300):
        with pytest.raises(ValueError):
            notify([people.staff], "请处理", kind=KIND, url=url)
    with pytest.raises(ValueError):
        notify([people.staff], "请处理", kind=KIND, target=Tag(zone=people.zone_a, name="未保存"))
    with pytest.raises(ValueError):
        register_kind("core.other", "其他", tone="purple")
    assert not Notification.objects.exists()
    assert notify([], "请处理", kind=KIND) == []


def test_kind_labels():
    assert kind_of(KIND).label == "测试通知"
    # not registered: the module's name; an unknown module: 通知
    assert kind_of("enterprises.nothing").label == "企业库"
    assert kind_of("nomodule.nothing").label == "通知"


def test_everyone_reads_only_their_own(people):
    w = people
    notify([w.staff, w.leader], "请处理", kind=KIND)
    assert list(Notification.objects.restrict(w.staff).values_list("user", flat=True)) == [
        w.staff.pk
    ]
    assert unread_count(w.staff) == 1
    assert not Notification.objects.restrict(None).exists()
    w.leader.is_active = False
    w.leader.save()
    assert not Notification.objects.restrict(w.leader).exists()
    with pytest.raises(ValueError):
        Notification.objects.restrict(w.staff, "approve")


def test_core_imports_no_domain_module():
    root = Path(notifications.__file__).parent
    files = [
        root / "notifications.py",
        root / "models" / "notifications.py",
        root / "views" / "notifications.py",
        root / "templatetags" / "notifications.py",
    ]
    domain = ("gaoxin.enterprises", "gaoxin.investment", "gaoxin.statistics", "gaoxin.matters")
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names
                ]  # fmt: skip
                assert not any(n.startswith(domain) for n in names), (path, names)
    html = (root / "templates" / "core" / "notifications.html").read_text()
    assert "matters" not in html


# --- the page --------------------------------------------------------------------------------


def test_the_page_lists_ones_own_newest_first(client, people):
    w = people
    notify([w.staff], "第一条", kind=KIND)
    notify([w.staff], "第二条", kind="enterprises.nothing", url="/tags/")
    notify([w.leader], "别人的", kind=KIND)
    client.force_login(w.staff)
    html = client.get(reverse("notifications")).content.decode()
    assert 'id="unread-count">2 条未读' in html and 'id="bell-count">2</span>' in html
    assert html.index("第二条") < html.index("第一条") and "别人的" not in html
    assert 'text-bg-info">测试通知</span>' in html and 'text-bg-secondary">企业库</span>' in html
    assert html.count('name="id"') == 1  # only the one with a page to open is a link


def test_the_page_pins_its_queries(client, people, django_assert_num_queries):
    w = people
    client.force_login(w.staff)
    notify([w.staff], "一条", kind=KIND, target=w.tag, url="/tags/")
    client.get(reverse("notifications"))
    # session, user, the page's COUNT, the memberships (menu), the bell's unread COUNT, the
    # page's ids, its rows:
    # the same for 1 notification or 31.
    with django_assert_num_queries(7):
        client.get(reverse("notifications"))
    for i in range(30):
        notify([w.staff], f"第{i}条", kind=KIND, target=w.tag, url="/tags/")
    with django_assert_num_queries(7):
        html = client.get(reverse("notifications")).content.decode()
    assert html.count("notification list-group-item-warning unread") == 31


def test_marking_one_opens_its_page_while_visible(client, people):
    w = people
    mine = notify([w.staff], "看标签", kind=KIND, target=w.tag, url="/tags/")[0]
    theirs = notify([w.enterprise], "看标签", kind=KIND, target=w.tag, url="/tags/")[0]
    plain = notify([w.staff], "看主页", kind=KIND, url="/")[0]
    person = notify([w.staff], "账号", kind=KIND, target=w.leader, url="/people/")[0]
    client.force_login(w.staff)
    r = client.post(reverse("notifications_read"), {"id": mine.pk})
    assert r.status_code == 302 and r["Location"] == "/tags/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notifications_read"), {"id": plain.pk})["Location"] == "/"
    # a target without restrict(): its page checks access itself
    assert client.post(reverse("notifications_read"), {"id": person.pk})["Location"] == "/people/"
    # someone else's: 404 and untouched; junk ids: 404
    assert client.post(reverse("notifications_read"), {"id": theirs.pk}).status_code == 404
    for junk in ("x", "9" * 30, "-1"):
        assert client.post(reverse("notifications_read"), {"id": junk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # the enterprise user may not see the tag: back to the list, marked read
    client.force_login(w.enterprise)
    r = client.post(reverse("notifications_read"), {"id": theirs.pk})
    assert r["Location"] == reverse("notifications")
    theirs.refresh_from_db()
    assert theirs.read_at is not None
    # the target gone: back to the list
    client.force_login(w.staff)
    again = notify([w.staff], "看标签", kind=KIND, target=w.tag, url="/tags/")[0]
    Tag.objects.filter(pk=w.tag.pk).delete()
    r = client.post(reverse("notifications_read"), {"id": again.pk})
    assert r["Location"] == reverse("notifications")


def test_marking_all_read(client, people):
    w = people
    notify([w.staff, w.leader], "请处理", kind=KIND)
    notify([w.staff], "再处理", kind=KIND)
    client.force_login(w.staff)
    r = client.post(reverse("notifications_read"), {"next": "/tags/"})
    assert r.status_code == 302 and r["Location"] == "/tags/"
    assert unread_count(w.staff) == 0 and unread_count(w.leader) == 1
    r = client.post(reverse("notifications_read"), {"next": "https://evil.example/"})
    assert r["Location"] == reverse("notifications")
    html = client.get(reverse("notifications")).content.decode()
    assert 'id="bell-count"' not in html and 'id="read-all"' not in html
    assert client.get(reverse("notifications_read")).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, people):
    notify([people.staff], "请处理", kind=KIND)
    for r in (client.get(reverse("notifications")), client.post(reverse("notifications_read"))):
        assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert Notification.objects.get().read_at is None
    assert Membership.objects.exists()
