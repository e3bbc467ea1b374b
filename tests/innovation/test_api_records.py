"""The innovation records over REST: create, list with filters, read, change, delete, annual
reports; bad input, foreign zones, enterprise users and stale versions."""

import datetime

import pytest
import time_machine

from gaoxin.core.models import AuditRecord
from gaoxin.innovation import services
from gaoxin.innovation.models import Certification, Patent, Platform, Talent

pytestmark = pytest.mark.django_db
D = datetime.date
API = "/innovation"


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        yield


def cert(world, **kw):
    data = {
        "enterprise": world.a1, "kind": "hightech", "status": "certified",
        "number": "GR202436000123", "field": "electronics", "issued_on": D(2024, 12, 3),
    } | kw  # fmt: skip
    return services.add_certification(world.staff, world.zone_a, **data)


def patent(world, zone=None, enterprise=None, **kw):
    data = {
        "enterprise": enterprise or world.a1, "number": "201710601862.3", "title": "一种显示面板",
        "applied_on": D(2017, 8, 1), "status": "pending",
    } | kw  # fmt: skip
    return services.add_patent(world.admin, zone or world.zone_a, **data)


def state():
    return (
        Certification.objects.count(),
        Patent.objects.count(),
        AuditRecord.objects.count(),
        list(Certification.objects.values_list("version", "status", "note")),
    )


def test_create_a_certificate_answers_it_with_the_computed_expiry(world, api_as):
    r = api_as("staff").post(
        f"{API}/certifications",
        {"enterprise": world.a1.pk, "kind": "hightech", "status": "certified",
         "number": "gr202436000123", "field": "electronics", "issued_on": "2024-12-03"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert {k: body[k] for k in ("number", "expires_on", "year", "kind_name", "status_name")} == {
        "number": "GR202436000123",
        "expires_on": "2027-12-02",
        "year": 2024,
        "kind_name": "高新技术企业",
        "status_name": "已认定",
    }
    assert body["enterprise"] == {"id": world.a1.pk, "name": "甲一电子科技有限公司"}
    world.a1.refresh_from_db()
    assert world.a1.high_tech is True


def test_a_wrong_check_digit_is_422_naming_the_digit_and_nothing_is_written(world, api_as):
    before = state()
    r = api_as("staff").post(
        f"{API}/patents",
        {"enterprise": world.a1.pk, "number": "ZL201710601862.4", "title": "一种显示面板",
         "applied_on": "2017-08-01", "status": "pending"},
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "number", "message": "专利申请号校验位错误:应为 3"}]
    assert state() == before


def test_a_patent_is_created_with_its_kind_from_the_number(world, api_as):
    r = api_as("staff").post(
        f"{API}/patents",
        {"enterprise": world.a1.pk, "number": "2017 2060 1862 9", "title": "一种支架",
         "applied_on": "2017-08-01", "status": "granted", "granted_on": "2018-02-01"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert (r.json()["number"], r.json()["kind"]) == ("201720601862.9", "utility")


def test_a_foreign_zones_enterprise_is_refused(world, api_as):
    before = state()
    r = api_as("staff").post(
        f"{API}/certifications",
        {"enterprise": world.c1.pk, "kind": "hightech", "status": "cultivating"},
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "enterprise", "message": "企业不存在或不属于本园区"}]
    assert state() == before


def test_a_foreign_zones_record_answers_404_for_read_change_and_delete(world, api_as):
    foreign = patent(world, zone=world.zone_c, enterprise=world.c1)
    client = api_as("zone_admin")
    assert client.get(f"{API}/patents/{foreign.pk}").status_code == 404
    r = client.patch(f"{API}/patents/{foreign.pk}", {"title": "改", "version": 1})
    assert r.status_code == 404
    assert client.delete(f"{API}/patents/{foreign.pk}", reason="x").status_code == 404
    foreign.refresh_from_db()
    assert (foreign.title, foreign.version) == ("一种显示面板", 1)


def test_enterprise_users_read_their_own_and_may_not_write(world, api_as):
    own, other = cert(world), cert(world, enterprise=world.a2, number="GR202436000124")
    client = api_as("enterprise")
    r = client.get(f"{API}/certifications")
    assert [i["id"] for i in r.json()["items"]] == [own.pk]
    assert client.get(f"{API}/certifications/{other.pk}").status_code == 404
    before = state()
    r = client.post(
        f"{API}/certifications",
        {"enterprise": world.a1.pk, "kind": "hightech", "status": "cultivating"},
    )
    assert r.status_code == 403
    assert (
        client.patch(f"{API}/certifications/{own.pk}", {"note": "x", "version": 1}).status_code
        == 403
    )
    assert client.delete(f"{API}/certifications/{own.pk}", reason="x").status_code == 403
    r = client.post(
        f"{API}/certifications/{own.pk}/reports", {"year": 2025, "filed_on": "2026-05-01"}
    )
    assert r.status_code == 403
    assert state() == before


def test_patch_needs_the_version_and_a_stale_one_is_409(world, api_as):
    c = cert(world, status="applied", number="", field="", issued_on=None)
    client = api_as("staff")
    r = client.patch(f"{API}/certifications/{c.pk}", {"note": "材料已交"})
    assert r.status_code == 422
    r = client.patch(f"{API}/certifications/{c.pk}", {"note": "材料已交", "version": 1})
    assert (r.status_code, r.json()["version"], r.json()["note"]) == (200, 2, "材料已交")
    before = state()
    r = client.patch(f"{API}/certifications/{c.pk}", {"note": "再改", "version": 1})
    assert r.status_code == 409
    assert r.json()["current_version"] == 2
    assert state() == before
    r = client.patch(
        f"{API}/certifications/{c.pk}",
        {"status": "certified", "number": "GR202436000123", "field": "electronics",
         "issued_on": "2024-12-03"},
        headers={"If-Match": '"2"'},
    )  # fmt: skip
    assert (r.status_code, r.json()["expires_on"]) == (200, "2027-12-02")


def test_patch_refuses_an_unknown_field(world, api_as):
    c = cert(world)
    r = api_as("staff").patch(f"{API}/certifications/{c.pk}", {"kind": "tech_sme", "version": 1})
    assert r.status_code == 422
    assert Certification.objects.get().kind == "hightech"


def test_delete_needs_an_admin_and_a_reason(world, api_as):
    c = cert(world)
    assert api_as("staff").delete(f"{API}/certifications/{c.pk}", reason="x").status_code == 403
    r = api_as("zone_admin").delete(f"{API}/certifications/{c.pk}")
    assert (r.status_code, r.json()["errors"]) == (
        422, [{"field": "reason", "message": "删除须说明原因"}])  # fmt: skip
    r = api_as("zone_admin").delete(f"{API}/certifications/{c.pk}", reason="重复录入")
    assert r.status_code == 204
    assert not Certification.objects.exists()
    world.a1.refresh_from_db()
    assert world.a1.high_tech is False


def test_file_an_annual_report(world, api_as):
    c = cert(world, number="GR202336000123", issued_on=D(2023, 11, 1))
    client = api_as("staff")
    r = client.post(
        f"{API}/certifications/{c.pk}/reports", {"year": 2024, "filed_on": "2025-05-20"}
    )
    assert (r.status_code, r.json()) == (
        201, {"year": 2024, "due_on": "2025-05-31", "filed_on": "2025-05-20"})  # fmt: skip
    r = client.post(
        f"{API}/certifications/{c.pk}/reports", {"year": 2024, "filed_on": "2025-05-21"}
    )
    assert r.status_code == 422
    assert client.get(f"{API}/certifications/{c.pk}").json()["reports"] == [
        {"year": 2024, "due_on": "2025-05-31", "filed_on": "2025-05-20"}
    ]


def test_lists_filter_and_paginate(world, api_as):
    services.add_platform(
        world.staff, world.zone_a, enterprise=world.a1, name="重点实验室", kind="key_lab",
        level="provincial", recognised_on=D(2019, 6, 1),
    )  # fmt: skip
    services.add_platform(
        world.staff, world.zone_a, enterprise=world.a2, name="技术中心", kind="enterprise_center",
        level="municipal", recognised_on=D(2020, 6, 1),
    )  # fmt: skip
    client = api_as("leader")
    names = lambda **q: [i["name"] for i in client.get(f"{API}/platforms", **q).json()["items"]]  # noqa: E731
    assert names() == ["技术中心", "重点实验室"]
    assert names(level="provincial") == ["重点实验室"]
    assert names(year=2020) == ["技术中心"]
    assert names(enterprise=world.a1.pk) == ["重点实验室"]
    assert names(kind="enterprise_center") == ["技术中心"]
    body = client.get(f"{API}/platforms", page_size=1, page=2).json()
    assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (2, 2, 1, 1)
    assert client.get(f"{API}/platforms", zone="ZC").status_code == 422
    assert client.get(f"{API}/platforms", year=-5).status_code == 422  # no date has that year
    r = client.get(f"{API}/talents", level="county")
    assert (r.status_code, r.json()["errors"]) == (
        422, [{"field": "level", "message": "可选值:national(国家级)、provincial(省级)、municipal(市级)"}])  # fmt: skip
    assert Platform.objects.count() == 2


def test_cooperation_amounts_are_bounded_over_the_api(world, api_as):
    client = api_as("staff")
    data = {"enterprise": world.a1.pk, "partner": "南昌大学", "project": "材料",
            "starts_on": "2025-01-01"}  # fmt: skip
    r = client.post(f"{API}/cooperations", data | {"amount_wan": "1e30"})
    assert r.json()["errors"] == [{"field": "amount_wan", "message": "金额过大,请确认单位为万元"}]
    r = client.post(f"{API}/cooperations", data | {"amount_wan": "12.5"})
    assert (r.status_code, r.json()["amount_wan"]) == (201, 12.5)


def test_talents_cloud_and_copyrights_round_trip(world, api_as):
    client = api_as("staff")
    r = client.post(
        f"{API}/talents",
        {"enterprise": world.a1.pk, "name": "王博士", "programme": "双千计划",
         "level": "provincial", "year": 2019},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    t = r.json()["id"]
    r = client.patch(f"{API}/talents/{t}", {"level": "national"})
    assert (r.status_code, r.json()["level_name"]) == (200, "国家级")
    assert Talent.objects.get().level == "national"
    r = client.post(
        f"{API}/cloud", {"enterprise": world.a1.pk, "level": "deep", "adopted_on": "2019-05-01"}
    )
    assert (r.status_code, r.json()["level_name"]) == (201, "深度用云")
    r = client.post(
        f"{API}/copyrights",
        {"enterprise": world.a1.pk, "number": "2019SR0123456", "title": "软件",
         "registered_on": "2019-04-02"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
