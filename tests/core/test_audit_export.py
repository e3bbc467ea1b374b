"""Exporting the audit trail to .xlsx: who may, what it holds, the cap, and that it is audited."""

import io
import zipfile

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gaoxin.core import audit, audit_export
from gaoxin.core.models import AuditRecord

pytestmark = pytest.mark.django_db
API = "/api/v1/audit/export"


@pytest.fixture
def trail(world):
    """One record in each zone, by the staff member (zone A) and the platform admin."""
    audit.record(
        world.staff,
        AuditRecord.Action.UPDATE,
        world.a1,
        before={"scale": "small"},
        after={"scale": "medium"},
    )
    audit.record(world.admin, AuditRecord.Action.UPDATE, world.b1, message="乙区")
    audit.record(world.admin, AuditRecord.Action.UPDATE, world.c1, message="丙区")
    return world


def _rows(response):
    assert response["Content-Type"] == audit_export.XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [row for row in sheet.values][1:]


def _exports():
    return list(
        AuditRecord.objects.filter(action="export")
        .order_by("id")
        .values_list("actor_name", "zone__code", "object_repr", "message")
    )


def test_zone_admin_exports_their_zone_with_the_page_filters(client, trail):
    client.force_login(trail.zone_admin)
    response = client.get(reverse("audit_export"), {"actor": "staff", "action": "update"})
    rows = _rows(response)
    assert [(r[1], r[2], r[4], r[5], r[10]) for r in rows] == [
        ("staff", "修改", trail.a1.name, "企业规模: 小型 → 中型", str(trail.a1.pk))
    ]
    assert _exports() == [
        ("zone_admin", "ZA", "审计日志导出", "导出审计记录 1 条;条件:actor=staff&action=update")
    ]


def test_zone_admin_cannot_reach_another_zone(client, trail):
    client.force_login(trail.zone_admin)
    rows = _rows(client.get(reverse("audit_export"), {"zone": "ZB"}))
    assert sorted((r[1], r[2], r[3]) for r in rows) == [
        ("staff", "修改", str(trail.zone_a)),
        ("zone_admin", "登录成功", str(trail.zone_a)),
    ]


def test_platform_admin_exports_all_zones_or_the_chosen_one(client, trail):
    client.force_login(trail.admin)
    everything = _rows(client.get(reverse("audit_export")))
    assert {"乙区", "丙区"} <= {r[6] for r in everything}
    chosen = _rows(client.get(reverse("audit_export"), {"zone": "ZB"}))
    assert [(r[3], r[6]) for r in chosen] == [(str(trail.zone_b), "乙区")]
    assert [(e[1], e[3]) for e in _exports()] == [
        (None, f"导出审计记录 {len(everything)} 条;条件:全部"),
        ("ZB", "导出审计记录 1 条;条件:zone=ZB"),
    ]


def test_the_page_offers_the_zone_only_to_those_who_see_several(client, trail):
    client.force_login(trail.admin)
    page = client.get(reverse("audit"), {"actor": "admin", "page": "1"}).content.decode()
    assert 'name="zone"' in page
    assert f'href="{reverse("audit_export")}?actor=admin"' in page
    client.force_login(trail.zone_admin)
    assert 'name="zone"' not in client.get(reverse("audit")).content.decode()


@pytest.mark.parametrize("role", ["province", "leader", "staff", "enterprise"])
def test_other_roles_get_404_and_nothing_is_written(client, trail, role):
    client.force_login(trail.users[role])
    before = AuditRecord.objects.count()
    assert client.get(reverse("audit_export")).status_code == 404
    assert client.get(reverse("audit"), {"export": "xlsx"}).status_code == 404
    assert client.get(API).status_code == 403
    assert AuditRecord.objects.count() == before


def test_values_that_look_like_formulas_stay_text(client, world):
    tricky = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]
    for text in tricky:
        audit.record(world.staff, AuditRecord.Action.UPDATE, world.a1, repr_=text, message=text)
    client.force_login(world.zone_admin)
    response = client.get(reverse("audit_export"), {"action": "update"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [(row[4], row[6]) for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c, _m in cells) == sorted(tricky)
    assert {(c.data_type, m.data_type) for c, m in cells} == {("s", "s")}
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()


def test_above_the_cap_nothing_is_exported_and_the_reason_is_shown(client, trail, monkeypatch):
    monkeypatch.setattr(audit_export, "EXPORT_LIMIT", 2)
    client.force_login(trail.admin)
    response = client.get(reverse("audit_export"), {"action": "update"})
    assert response.status_code == 302
    assert response.url == reverse("audit") + "?action=update"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "符合条件的审计记录有 3 条,超过单次导出上限 2 条,请缩小日期范围或增加筛选条件后再导出"
    )
    api = client.get(API, {"action": "update"})
    assert api.status_code == 422
    assert api.json() == {"detail": message, "errors": []}
    assert _exports() == []


def test_bad_conditions_export_nothing(client, trail):
    client.force_login(trail.admin)
    response = client.get(reverse("audit_export"), {"since": "昨天"})
    assert (response.status_code, response.url) == (
        302,
        reverse("audit") + "?since=%E6%98%A8%E5%A4%A9",
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["筛选条件有误,请改正后再导出"]
    api = client.get(API, {"zone": "NOPE"})
    assert (api.status_code, api.json()["errors"]) == (
        422,
        [{"field": "zone", "message": "未找到园区代码 NOPE"}],
    )
    assert _exports() == []


def test_the_former_export_link_is_audited_too(client, trail):
    client.force_login(trail.zone_admin)
    rows = _rows(client.get(reverse("audit"), {"export": "xlsx", "actor": "staff"}))
    assert len(rows) == 1
    assert _exports() == [
        ("zone_admin", "ZA", "审计日志导出", "导出审计记录 1 条;条件:actor=staff")
    ]


def test_api_export_with_the_api_filters(client, trail):
    client.force_login(trail.admin)
    response = client.get(API, {"zone": "ZC", "actor": "admin"})
    assert response["Content-Disposition"].startswith("attachment; filename=audit-ZC-")
    assert [(r[1], r[3], r[6]) for r in _rows(response)] == [("admin", str(trail.zone_c), "丙区")]
    assert _exports() == [
        ("admin", "ZC", "审计日志导出", "导出审计记录 1 条;条件:zone=ZC&actor=admin")
    ]
