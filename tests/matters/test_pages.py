"""The matter pages: the list per role with the contract's filters and the export, raising a
matter (officer and enterprise), the detail page's actions as each role may take them, bad input
and stale versions with nothing written, the timeline's internal notes and attachments."""

import datetime
import io
import re
import zipfile

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Category, Kind, Matter, MatterEvent, Status

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def m(world):
    """Matters of zone A (a1's help request routed to dept_a, an unassigned data query of a2, an
    internal scheduling problem about a1) and one of zone B."""
    catalogue.ensure_categories(world.zone_a)
    catalogue.ensure_categories(world.zone_b)
    funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    funding.department = world.dept_a
    funding.save()
    world.funding = funding
    world.help = services.create_matter(
        world.enterprise, None, kind="help", category=funding, title="流动资金紧张",
        description="需要对接银行贷款",
    )  # fmt: skip
    world.query = services.create_matter(
        world.zone_admin, world.zone_a, kind="data_query", title="用电量核实", enterprise=world.a2,
        due_on=datetime.date(2026, 11, 3),
    )  # fmt: skip
    world.problem = services.create_matter(
        world.zone_admin, world.zone_a, kind="scheduling", title="用地指标未落实",
        enterprise=world.a1, department=world.dept_a, due_on=datetime.date(2026, 12, 31),
    )  # fmt: skip
    world.other = services.create_matter(
        world.admin, world.zone_b, kind="help", title="乙区诉求", enterprise=world.b1,
        category=Category.objects.get(zone=world.zone_b, kind=Kind.HELP, code="epidemic"),
    )  # fmt: skip
    return world


def shown(html: str, world) -> set[str]:
    table = html.split('id="matter-table"', 1)[1]
    names = {"help": world.help, "query": world.query, "problem": world.problem,
             "other": world.other}  # fmt: skip
    return {k for k, matter in names.items() if f'href="/matters/{matter.pk}/"' in table}


URL = "/matters/list/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"help", "query", "problem"}),  # the zone they work in (ZA)
        ("province", {"help", "query", "problem"}),
        ("zone_admin", {"help", "query", "problem"}),
        ("leader", {"help", "query", "problem"}),
        ("staff", {"help", "query", "problem"}),
        ("enterprise", {"help"}),  # its own, not the internal scheduling problem
    ],
)
def test_list_per_role(client, m, role, expected):
    assert reverse("matters:list") == URL
    client.force_login(m.users[role])
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert shown(html, m) == expected
    assert f'id="result-count">{len(expected)} 件' in html
    assert ("提交诉求" in html) == (role == "enterprise")


def test_list_anonymous_redirects(client, m):
    r = client.get(URL)
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=流动资金", {"help"}),
        ("q=甲二", {"query"}),
        ("kind=data_query", {"query"}),
        ("status=open", {"help", "query", "problem"}),
        ("status=assigned", set()),
        ("status=assigned&status=in_progress", set()),
        ("kind=help&status=open&status=assigned", {"help"}),
        ("light=yellow", {"query"}),
        ("light=green", {"help", "problem"}),
        ("light=red", set()),
        ("light=done", set()),
        ("department=none", {"query"}),
        ("escalated=1", set()),
        ("rated=1", set()),
        ("created_from=2026-11-02&created_to=2026-11-02", {"help", "query", "problem"}),
        ("created_from=2026-11-03", set()),
        ("closed_from=2026-11-01", set()),
    ],
)
def test_list_filters(client, m, query, expected):
    client.force_login(m.zone_admin)
    r = client.get(f"{URL}?{query}")
    assert r.status_code == 200
    assert shown(r.content.decode(), m) == expected


def test_list_filters_by_reference(client, m):
    client.force_login(m.zone_admin)
    html = client.get(f"{URL}?department={m.dept_a.pk}").content.decode()
    assert shown(html, m) == {"help", "problem"}
    html = client.get(f"{URL}?category={m.funding.pk}").content.decode()
    assert shown(html, m) == {"help"}
    html = client.get(f"{URL}?enterprise={m.a2.pk}").content.decode()
    assert shown(html, m) == {"query"}
    # a reference outside the zone is refused by the form, not a 500
    r = client.get(f"{URL}?enterprise={m.b1.pk}&light=purple&created_from=yesterday")
    assert r.status_code == 200


def test_enterprise_category_filter_offers_its_own(client, m):
    """The enterprise picks among the categories of its matters, not the zone's internal ones."""
    client.force_login(m.enterprise)
    html = client.get(URL).content.decode()
    select = html.split('name="category"', 1)[1].split("</select>", 1)[0]
    assert f'value="{m.funding.pk}"' in select
    assert select.count("<option") == 2  # "---------" and 资金
    client.force_login(m.zone_admin)
    html = client.get(URL).content.decode()
    select = html.split('name="category"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 1 + Category.objects.filter(zone=m.zone_a).count()


def test_list_resolved_and_rated_filters(client, m):
    help_ = services.resolve(m.staff, m.help, version=m.help.version, resolution="已对接")
    services.rate(m.enterprise, help_, rating=4, comment="及时")
    client.force_login(m.zone_admin)
    for query in ("light=done", "rated=1", "rating=4", "closed_from=2026-11-02&closed_to=2026-11-02",
                  "status=closed"):  # fmt: skip
        assert shown(client.get(f"{URL}?{query}").content.decode(), m) == {"help"}, query
    assert shown(client.get(f"{URL}?rating=5").content.decode(), m) == set()


def test_list_sorts_and_pages(client, m):
    client.force_login(m.zone_admin)
    for sort in ("number", "-due_on", "light", "-light", "department", "officer", "subject",
                 "category", "status", "kind"):  # fmt: skip
        r = client.get(f"{URL}?sort={sort}")
        assert r.status_code == 200, sort
    html = client.get(f"{URL}?sort=light").content.decode()
    assert html.index(f"/matters/{m.query.pk}/") < html.index(f"/matters/{m.help.pk}/")


def test_list_query_count_is_constant(client, m, django_assert_max_num_queries):
    client.force_login(m.zone_admin)
    client.get(URL)
    with django_assert_max_num_queries(14):
        client.get(URL)
    for i in range(12):
        services.create_matter(
            m.zone_admin, m.zone_a, kind="help", category=m.funding, title=f"诉求{i}",
            enterprise=m.a2, officer=m.staff, helpers=[m.leader],
        )  # fmt: skip
    with django_assert_max_num_queries(14):
        r = client.get(URL + "?sort=light")
    assert 'id="result-count">15 件' in r.content.decode()


def test_export_follows_the_filter(client, m):
    client.force_login(m.zone_admin)
    before = AuditRecord.objects.filter(action="export").count()
    r = client.get(reverse("matters:export") + "?kind=help")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert [row[0] for row in rows[1:]] == [m.help.number]
    assert rows[1][3] == "流动资金紧张" and rows[1][13] == "正常"
    assert AuditRecord.objects.filter(action="export").count() == before + 1


def test_export_enterprise_only_its_own(client, m):
    client.force_login(m.enterprise)
    r = client.get(reverse("matters:export"))
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [m.help.number]


# --- raising a matter ----------------------------------------------------------------------------


def test_enterprise_raises_a_help_request(client, m):
    client.force_login(m.enterprise)
    r = client.get(reverse("matters:create"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "帮扶措施" in html and 'name="department"' not in html
    epidemic = Category.objects.get(zone=m.zone_a, kind=Kind.HELP, code="epidemic")
    r = client.post(
        reverse("matters:create"),
        {
            "category": epidemic.pk,
            "title": "防疫物资短缺",
            "description": "口罩",
            "contact": "张三",
        },
    )
    matter = Matter.objects.get(title="防疫物资短缺")
    assert r.status_code == 302 and r["Location"] == reverse("matters:detail", args=[matter.pk])
    assert (matter.zone, matter.enterprise, matter.kind) == (m.zone_a, m.a1, Kind.HELP)
    assert matter.raised_by == m.enterprise and matter.channel == "platform"


def test_enterprise_request_bad_input(client, m):
    client.force_login(m.enterprise)
    count = Matter.objects.count()
    other_zone = Category.objects.get(zone=m.zone_b, kind=Kind.HELP, code="epidemic")
    scheduling = Category.objects.filter(zone=m.zone_a, kind=Kind.SCHEDULING).first()
    for data in ({"title": "", "category": ""}, {"title": "x", "category": other_zone.pk},
                 {"title": "x", "category": scheduling.pk}):  # fmt: skip
        r = client.post(reverse("matters:create"), data)
        assert r.status_code == 422
        assert 'class="invalid-feedback d-block" id="err-' in r.content.decode()
    assert Matter.objects.count() == count


def test_officer_raises_any_kind(client, m):
    client.force_login(m.staff)
    r = client.get(reverse("matters:create") + f"?kind=visit&enterprise={m.a2.pk}")
    assert r.status_code == 200
    r = client.post(
        reverse("matters:create"),
        {
            "kind": "visit", "title": "走访发现厂房漏水", "enterprise": m.a2.pk,
            "department": m.dept_a.pk, "officer": m.staff.pk, "helpers": [m.zone_admin.pk],
            "due_on": "2026-11-20", "priority": "high", "channel": "visit",
            "service_mode": "on_site", "contact": "",
        },
    )  # fmt: skip
    assert r.status_code == 302
    matter = Matter.objects.get(title="走访发现厂房漏水")
    assert matter.status == Status.ASSIGNED and matter.officer == m.staff
    assert list(matter.helpers.all()) == [m.zone_admin]
    assert matter.due_on == datetime.date(2026, 11, 20) and matter.service_mode == "on_site"


def test_officer_create_bad_input_writes_nothing(client, m):
    client.force_login(m.staff)
    count = Matter.objects.count()
    base = {"kind": "agency", "title": "代办", "priority": "normal", "channel": "phone",
            "service_mode": "regular"}  # fmt: skip
    r = client.post(reverse("matters:create"), base)
    assert r.status_code == 422 and "项目代办须关联投资项目" in r.content.decode()
    r = client.post(reverse("matters:create"), {**base, "kind": "help", "enterprise": m.a1.pk})
    assert r.status_code == 422 and "请选择帮扶措施类别" in r.content.decode()
    r = client.post(
        reverse("matters:create"),
        {**base, "kind": "visit", "enterprise": m.a1.pk, "due_on": "2026-10-01"},
    )
    assert r.status_code == 422 and "办理期限应为今天或以后的日期" in r.content.decode()
    r = client.post(reverse("matters:create"), {**base, "kind": "visit", "enterprise": m.b1.pk})
    assert r.status_code == 422
    assert Matter.objects.count() == count


@pytest.mark.parametrize("role", ["province", "leader"])
def test_create_not_for_readers(client, m, role):
    client.force_login(m.users[role])
    assert client.get(reverse("matters:create")).status_code == 404
    assert client.post(reverse("matters:create"), {"kind": "visit"}).status_code == 404


# --- the detail page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("enterprise", "help", 200),
        ("enterprise", "problem", 404),  # internal
        ("enterprise", "query", 404),  # another enterprise's
        ("staff", "other", 404),  # another zone
        ("province", "other", 200),  # Jiangxi sees ZB
        ("leader", "problem", 200),
    ],
)
def test_detail_scope(client, m, role, key, status):
    client.force_login(m.users[role])
    matter = getattr(m, key)
    assert client.get(reverse("matters:detail", args=[matter.pk])).status_code == status


def test_detail_actions_by_role(client, m):
    url = reverse("matters:detail", args=[m.help.pk])
    client.force_login(m.staff)
    html = client.get(url).content.decode()
    for part in ('id="assign-form"', 'id="due-form"', 'id="escalate-form"', 'id="comment-form"',
                 'id="status-form-in_progress"', 'id="status-form-resolved"', 'name="internal"',
                 'id="edit-link"'):  # fmt: skip
        assert part in html, part
    assert 'id="rate-form"' not in html
    client.force_login(m.leader)
    html = client.get(url).content.decode()
    assert 'id="comment-form"' in html and 'id="assign-form"' not in html
    assert 'id="status-form-resolved"' not in html
    client.force_login(m.province)
    html = client.get(url).content.decode()
    assert 'id="matter-actions"' not in html
    client.force_login(m.enterprise)
    html = client.get(url).content.decode()
    assert 'id="status-form-withdrawn"' in html and 'id="comment-form"' in html
    assert 'name="internal"' not in html and 'id="assign-form"' not in html
    assert 'id="status-form-resolved"' not in html and 'id="edit-link"' not in html


def test_the_loop_through_the_pages(client, m):
    matter = m.help
    detail = reverse("matters:detail", args=[matter.pk])
    client.force_login(m.zone_admin)
    r = client.post(
        reverse("matters:assign", args=[matter.pk]),
        {"version": matter.version, "department": m.dept_a.pk, "officer": m.staff.pk,
         "helpers": [m.leader.pk], "note": "请尽快对接"},
    )  # fmt: skip
    assert r.status_code == 302 and r["Location"] == detail
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED and matter.officer == m.staff
    client.force_login(m.staff)
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "in_progress", "text": ""},
    )
    assert r.status_code == 302
    matter.refresh_from_db()
    r = client.post(
        reverse("matters:comment", args=[matter.pk]),
        {"text": "内部:已联系银行", "internal": "on"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "resolved", "text": "已对接工商银行贷款 500 万元"},
    )
    assert r.status_code == 302
    client.force_login(m.enterprise)
    html = client.get(detail).content.decode()
    assert "已对接工商银行贷款" in html and "内部:已联系银行" not in html
    assert 'id="rate-form"' in html and 'id="status-form-reopened"' in html
    r = client.post(reverse("matters:rate", args=[matter.pk]), {"rating": "2", "comment": ""})
    assert r.status_code == 422 and "差评请写明不满意的原因" in r.content.decode()
    r = client.post(reverse("matters:rate", args=[matter.pk]), {"rating": "5", "comment": "满意"})
    assert r.status_code == 302
    matter.refresh_from_db()
    assert matter.status == Status.CLOSED and matter.rating == 5
    html = client.get(detail).content.decode()
    assert 'id="matter-rating"' in html and 'id="rate-form"' not in html
    actions = list(
        AuditRecord.objects.for_object(matter).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update", "status", "update", "status", "status"]


def test_bad_input_and_refusals_write_nothing(client, m):
    matter = m.help
    url = reverse("matters:detail", args=[matter.pk])

    def snapshot():
        x = Matter.objects.get(pk=matter.pk)
        return (x.status, x.version, x.due_on, x.escalated_at, MatterEvent.objects.count(),
                AuditRecord.objects.count())  # fmt: skip

    before = snapshot()
    client.force_login(m.staff)
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "resolved", "text": ""},
    )
    assert r.status_code == 422 and "办结须填写办理结果" in r.content.decode()
    assert 'id="status-resolved" open' in r.content.decode()
    r = client.post(
        reverse("matters:due", args=[matter.pk]),
        {"version": matter.version, "due_on": "2026-12-01", "reason": ""},
    )
    assert r.status_code == 422 and "调整办理期限须说明原因" in r.content.decode()
    r = client.post(
        reverse("matters:due", args=[matter.pk]),
        {"version": matter.version, "due_on": "not a date", "reason": "x"},
    )
    assert r.status_code == 422
    r = client.post(reverse("matters:escalate", args=[matter.pk]), {"reason": ""})
    assert r.status_code == 422 and "升级督办须说明原因" in r.content.decode()
    r = client.post(reverse("matters:comment", args=[matter.pk]), {"text": ""})
    assert r.status_code == 422 and "请填写留言内容或上传附件" in r.content.decode()
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "closed", "text": ""},
    )
    assert r.status_code == 422 and "不能变为" in r.content.decode()
    r = client.post(
        reverse("matters:assign", args=[matter.pk]),
        {"version": matter.version, "department": "", "officer": ""},
    )
    assert r.status_code == 422
    # the enterprise may not resolve, assign, escalate or post internal notes
    client.force_login(m.enterprise)
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "resolved", "text": "自己办结"},
    )
    assert r.status_code == 404
    assert (
        client.post(reverse("matters:escalate", args=[matter.pk]), {"reason": "x"}).status_code
        == 404
    )
    r = client.post(reverse("matters:comment", args=[matter.pk]), {"text": "x", "internal": "on"})
    assert r.status_code == 200 or r.status_code == 302  # the box is not offered: a plain comment
    # readers may not act; other zones' people do not see it
    client.force_login(m.province)
    assert (
        client.post(reverse("matters:comment", args=[matter.pk]), {"text": "x"}).status_code == 404
    )
    client.force_login(m.leader)
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "resolved", "text": "领导办结"},
    )
    assert r.status_code == 404
    after = snapshot()
    assert after[:4] == before[:4]
    assert client.get(url).status_code == 200


def test_stale_version_shows_409_and_keeps_input(client, m):
    matter = m.help
    client.force_login(m.staff)
    old = matter.version
    services.change_due(m.zone_admin, matter, version=old, due_on=datetime.date(2026, 11, 30),
                        reason="企业补材料")  # fmt: skip
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": old, "to": "resolved", "text": "我的办理结果"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "该记录已被他人修改" in html and "我的办理结果" in html
    assert Matter.objects.get(pk=matter.pk).status == Status.OPEN
    r = client.post(
        reverse("matters:edit", args=[matter.pk]),
        {"version": old, "title": "新标题", "category": m.funding.pk, "priority": "normal",
         "service_mode": "regular", "visible_to_enterprise": "on"},
    )  # fmt: skip
    assert r.status_code == 409 and "新标题" in r.content.decode()


def test_edit(client, m):
    matter = m.help
    url = reverse("matters:edit", args=[matter.pk])
    client.force_login(m.staff)
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {"version": matter.version, "title": "流动资金紧张(补充)", "category": m.funding.pk,
         "priority": "high", "service_mode": "regular", "visible_to_enterprise": "on",
         "enterprise": m.a1.pk},
    )  # fmt: skip
    assert r.status_code == 302
    matter.refresh_from_db()
    assert matter.title == "流动资金紧张(补充)" and matter.priority == "high"
    for role in ("enterprise", "leader", "province"):
        client.force_login(m.users[role])
        assert client.get(url).status_code == 404, role


def test_escalate_and_due_change(client, m):
    matter = m.query
    client.force_login(m.zone_admin)
    r = client.post(reverse("matters:escalate", args=[matter.pk]), {"reason": "企业多次反映"})
    assert r.status_code == 302
    matter.refresh_from_db()
    assert matter.escalated_at is not None
    html = client.get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert 'id="matter-escalated"' in html and 'id="escalate-form"' not in html
    r = client.post(
        reverse("matters:due", args=[matter.pk]),
        {"version": matter.version, "due_on": "2026-11-20", "reason": "等待电力公司数据"},
    )
    assert r.status_code == 302
    matter.refresh_from_db()
    assert matter.due_on == datetime.date(2026, 11, 20)


def test_enterprise_withdraws_and_reopens(client, m):
    matter = m.help
    client.force_login(m.enterprise)
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "withdrawn", "text": ""},
    )
    assert r.status_code == 422 and "撤回须说明原因" in r.content.decode()
    r = client.post(
        reverse("matters:status", args=[matter.pk]),
        {"version": matter.version, "to": "withdrawn", "text": "问题已自行解决"},
    )
    assert r.status_code == 302
    assert Matter.objects.get(pk=matter.pk).status == Status.WITHDRAWN


def test_light_shows_on_the_detail(client, m):
    client.force_login(m.zone_admin)
    html = client.get(reverse("matters:detail", args=[m.query.pk])).content.decode()
    assert 'data-light="yellow"' in html
    with time_machine.travel(datetime.datetime(2026, 11, 5, 9, tzinfo=datetime.UTC), tick=False):
        client.force_login(m.zone_admin)
        html = client.get(reverse("matters:detail", args=[m.query.pk])).content.decode()
        assert 'data-light="red"' in html


def test_attachments(client, m, settings):
    matter = m.help
    client.force_login(m.staff)
    upload = SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf")
    r = client.post(
        reverse("matters:comment", args=[matter.pk]), {"text": "", "attachment": upload}
    )
    assert r.status_code == 302
    public = MatterEvent.objects.get(matter=matter, type="attachment")
    upload = SimpleUploadedFile("内部.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("matters:comment", args=[matter.pk]),
        {"text": "内部材料", "internal": "on", "attachment": upload},
    )
    internal = MatterEvent.objects.get(matter=matter, internal=True)
    r = client.get(reverse("matters:attachment", args=[public.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert "attachment" in r["Content-Disposition"]
    client.force_login(m.enterprise)
    assert client.get(reverse("matters:attachment", args=[public.pk])).status_code == 200
    assert client.get(reverse("matters:attachment", args=[internal.pk])).status_code == 404
    html = client.get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert "批复.pdf" in html and "内部.pdf" not in html
    # a bad file is refused with a message, nothing written
    client.force_login(m.staff)
    count = MatterEvent.objects.count()
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    r = client.post(reverse("matters:comment", args=[matter.pk]), {"text": "", "attachment": fake})
    assert r.status_code == 422 and 'id="err-attachment">' in r.content.decode()
    assert MatterEvent.objects.count() == count
    # another zone's user sees nothing
    client.force_login(m.users["admin"])
    assert client.get(reverse("matters:attachment", args=[public.pk])).status_code == 200


def test_detail_links_to_project_and_meeting(client, m):
    from decimal import Decimal

    from gaoxin.investment.models import Project
    from gaoxin.matters import meetings

    project = Project.objects.create(
        zone=m.zone_a, name="重点项目甲", investor_name="某投资方",
        planned_investment=Decimal("10000"), stage="started", stage_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    meeting = meetings.create_meeting(
        m.zone_admin, m.zone_a, title="十一月调度会", held_on=datetime.date(2026, 11, 2),
        chair="主任", projects=[project],
    )  # fmt: skip
    matter = services.create_matter(
        m.zone_admin, m.zone_a, kind="scheduling", title="施工用电未接入", project=project,
        enterprise=m.a1, meeting=meeting, channel="meeting",
    )  # fmt: skip
    client.force_login(m.staff)
    html = client.get(reverse("matters:detail", args=[matter.pk])).content.decode()
    assert reverse("investment:project_detail", args=[project.pk]) in html
    assert reverse("matters:meeting_detail", args=[meeting.pk]) in html
    assert reverse("enterprises:detail", args=[m.a1.pk]) in html
    assert "仅内部可见" in html  # scheduling problems are internal
    client.force_login(m.enterprise)
    assert client.get(reverse("matters:detail", args=[matter.pk])).status_code == 404
    html = client.get(f"{URL}?project={project.pk}").content.decode()
    assert 'id="result-count">0 件' in html
    client.force_login(m.zone_admin)
    for query in (f"project={project.pk}", f"meeting={meeting.pk}"):
        html = client.get(f"{URL}?{query}").content.decode()
        assert 'id="result-count">1 件' in html, query
        assert f'name="{query.split("=")[0]}" value=' in html  # kept when the form is resent


def test_a_plain_zip_named_docx_or_xlsx_is_no_attachment(client, m):
    """Issue 11, item 9: the content must be the Word or Excel file the name says."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not an office document")
    comment = reverse("matters:comment", args=[m.help.pk])
    client.force_login(m.staff)
    count = MatterEvent.objects.count()
    for name, message in (
        ("方案.docx", "文件内容与扩展名 .docx 不符:压缩包中没有 [Content_Types].xml,不是有效的 Word 文档"),
        ("台账.xlsx", "文件内容与扩展名 .xlsx 不符:压缩包中没有 [Content_Types].xml,不是有效的 Excel 工作簿"),
    ):  # fmt: skip
        fake = SimpleUploadedFile(name, buffer.getvalue())
        r = client.post(comment, {"text": "", "attachment": fake})
        assert r.status_code == 422
        shown = re.search(r'id="err-attachment">(.*?)</div>', r.content.decode(), re.S)
        assert shown and shown.group(1).strip() == message
    assert MatterEvent.objects.count() == count
    real = io.BytesIO()
    docx.Document().save(real)
    r = client.post(
        comment, {"text": "", "attachment": SimpleUploadedFile("方案.docx", real.getvalue())}
    )
    assert r.status_code == 302
    assert MatterEvent.objects.get(matter=m.help, type="attachment").attachment_name == "方案.docx"
