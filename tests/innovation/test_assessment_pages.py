"""The pre-assessment page, its input form, the API (GET the assessment, PUT the inputs) and the
input service: who may read and write, what is shown with its source, every bad input refused
with a specific message and nothing written."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.enterprises.models import Enterprise
from gaoxin.innovation.assessment_services import save_assessment_input
from gaoxin.innovation.models import AssessmentInput
from tests.support.api import Api, bearer
from tests.support.returns import put_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
W = Decimal


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2019, 6, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def firm(world):
    world.a1.established_on = datetime.date(2010, 1, 1)
    world.a1.save(update_fields=["established_on"])
    put_values(world.a1, 201812, {"revenue": 1000, "rd_spending": 60, "employees": 100})
    return world


def counts():
    return AssessmentInput.objects.count(), AuditRecord.objects.count()


def edit_url(world, enterprise=None, year=2019):
    pk = (enterprise or world.a1).pk
    return reverse("innovation:assessment_edit", args=[pk]) + f"?year={year}"


# --- the page -----------------------------------------------------------------------------------


def test_page_shows_each_criterion_with_its_figures_and_source(
    firm, client, django_assert_max_num_queries
):
    client.force_login(firm.staff)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("innovation:assessment", args=[firm.a1.pk]), {"year": "2019"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="criterion-rd_ratio"' in html
    assert r.context["result"].criterion("rd_ratio").status == "pass"
    rd_row = html.split('id="criterion-rd_ratio"')[1].split("</tr>")[0]
    assert 'data-status="pass"' in rd_row
    assert "月报 · 2018年12月" in rd_row
    assert "6.00%" in rd_row
    assert 'id="item-ip_quantity"' in html and 'id="part-growth"' in html
    assert 'id="edit-link"' in html


def test_page_for_a_reader_has_no_edit_link_and_a_bad_year_falls_back(firm, client):
    client.force_login(firm.leader)
    r = client.get(reverse("innovation:assessment", args=[firm.a1.pk]), {"year": "abc"})
    assert r.status_code == 200
    assert r.context["year"] == 2019
    assert 'id="edit-link"' not in r.content.decode()


def test_enterprise_user_sees_only_its_own(firm, client):
    client.force_login(firm.enterprise)
    assert client.get(reverse("innovation:assessment", args=[firm.a1.pk])).status_code == 200
    assert client.get(reverse("innovation:assessment", args=[firm.a2.pk])).status_code == 404
    assert client.get(edit_url(firm, firm.a2)).status_code == 404


# --- the form -----------------------------------------------------------------------------------

FORM = {"st_staff": "12", "staff": "100", "total_income": "1000", "hightech_income": "700",
        "rd_in_china_share": "95.5", "core_ip": "true", "no_major_incident": "true",
        "ip_advancement": "6"}  # fmt: skip


def test_enterprise_fills_its_own(firm, client):
    client.force_login(firm.enterprise)
    r = client.post(edit_url(firm), FORM)
    assert r.status_code == 302
    assert r.url == reverse("innovation:assessment", args=[firm.a1.pk]) + "?year=2019"
    saved = AssessmentInput.objects.get(enterprise=firm.a1, year=2019)
    assert (saved.st_staff, saved.total_income, saved.rd_in_china_share, saved.core_ip) == (
        12, W(1000), W("95.5"), True)  # fmt: skip
    assert saved.ip_support is None and saved.leads_standard is None
    assert saved.entered_by == firm.enterprise
    assert AuditRecord.objects.filter(action="create", object_id=str(saved.pk)).count() == 1
    # the page now judges on what was entered
    r = client.get(reverse("innovation:assessment", args=[firm.a1.pk]), {"year": "2019"})
    assert r.context["result"].criterion("st_staff").status == "pass"
    assert r.context["result"].criterion("hightech_share").status == "pass"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"st_staff": "120"}, "st_staff", "科技人员数不能超过职工总数"),
        ({"hightech_income": "1000.5"}, "hightech_income", "高新技术产品(服务)收入不能超过总收入"),
        ({"total_income": "1e30"}, "total_income", "金额过大,请确认单位为万元"),
        ({"total_income": "NaN"}, "total_income", "请填写金额(万元),如 12.5"),
        ({"total_income": "-1"}, "total_income", "金额不能为负数"),
        ({"staff": "abc"}, "staff", "职工总数应为整数"),
        ({"ip_advancement": "9"}, "ip_advancement", "知识产权技术先进程度(0–8)应在 0 至 8 之间"),
        ({"rd_in_china_share": "100.01"}, "rd_in_china_share",
         "境内研发费用占比应为 0 至 100 之间的百分数"),
    ],
)  # fmt: skip
def test_bad_inputs_are_refused_on_the_form(firm, client, change, field, message):
    client.force_login(firm.staff)
    before = counts()
    r = client.post(edit_url(firm), {**FORM, **change})
    assert r.status_code == 422
    assert r.context["form"].errors[field] == [message]
    assert counts() == before


def test_a_stale_save_answers_409_and_loses_nothing(firm, client):
    saved = save_assessment_input(firm.staff, firm.a1, 2019, st_staff=10)
    save_assessment_input(firm.enterprise, firm.a1, 2019, version=saved.version, st_staff=11)
    client.force_login(firm.staff)
    before = counts()
    r = client.post(edit_url(firm), {**FORM, "version": str(saved.version)})
    assert r.status_code == 409
    assert AssessmentInput.objects.get(pk=saved.pk).st_staff == 11
    assert counts() == before


def test_readers_cannot_open_the_form(firm, client):
    for user in (firm.leader, firm.province):
        client.force_login(user)
        assert client.get(edit_url(firm)).status_code == 404
        assert client.post(edit_url(firm), FORM).status_code == 404
    assert AssessmentInput.objects.count() == 0


# --- the service ----------------------------------------------------------------------------


def test_service_refusals(firm):
    with pytest.raises(Forbidden, match="无权填报该企业的高企自评"):
        save_assessment_input(firm.leader, firm.a1, 2019, st_staff=1)
    with pytest.raises(Enterprise.DoesNotExist):
        save_assessment_input(firm.enterprise, firm.a2, 2019, st_staff=1)
    with pytest.raises(Enterprise.DoesNotExist):
        save_assessment_input(firm.staff, firm.c1, 2019, st_staff=1)
    with pytest.raises(ValidationError) as e:
        save_assessment_input(firm.staff, firm.a1, 1800, st_staff=1)
    assert e.value.message_dict == {"year": ["申报年度应在 1990 至 2020 之间"]}
    with pytest.raises(ValidationError) as e:
        save_assessment_input(firm.staff, firm.a1, 2019, enterprise_id=2)
    assert e.value.message_dict == {"enterprise_id": ["不可修改的字段"]}
    with pytest.raises(ValidationError) as e:
        save_assessment_input(firm.staff, firm.a1, 2019, core_ip="yes")
    assert e.value.message_dict == {"core_ip": ["拥有支撑主要产品的核心知识产权应为是或否"]}
    assert counts() == (0, 0)


def test_service_changes_only_what_is_given_and_audits_changes_only(firm):
    first = save_assessment_input(firm.staff, firm.a1, 2019, st_staff=10, staff=100)
    audits = AuditRecord.objects.count()
    same = save_assessment_input(firm.enterprise, firm.a1, 2019, version=first.version, st_staff=10)
    assert (same.version, same.entered_by, AuditRecord.objects.count()) == (1, firm.staff, audits)
    changed = save_assessment_input(firm.enterprise, firm.a1, 2019, version=1, staff=None)
    assert (changed.version, changed.st_staff, changed.staff) == (2, 10, None)
    assert changed.entered_by_name == firm.enterprise.display_name or firm.enterprise.username
    assert AuditRecord.objects.count() == audits + 1
    with pytest.raises(StaleVersion):
        save_assessment_input(firm.staff, firm.a1, 2019, version=1, staff=5)


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture
def as_(firm, client):
    return lambda role: Api(client, bearer(firm.users[role]))


def test_api_get_gives_the_whole_assessment(firm, as_):
    r = as_("enterprise").get(f"/innovation/assessment/{firm.a1.pk}", year="2019")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["enterprise_id"], body["year"], body["status"]) == (firm.a1.pk, 2019, "unknown")
    rd = next(c for c in body["criteria"] if c["key"] == "rd_ratio")
    assert rd["status"] == "pass"
    assert rd["figures"][0] == {"label": "销售收入合计(万元)", "value": "1000.0000",
                                "source": "returns", "detail": "2018年12月"}  # fmt: skip
    assert [p["key"] for p in body["parts"]] == ["ip", "conversion", "management", "growth"]
    assert body["inputs"] == {}
    assert body["tech_sme"]["parts"]["rd"] == 50
    assert as_("enterprise").get(f"/innovation/assessment/{firm.a2.pk}").status_code == 404
    r = as_("staff").get(f"/innovation/assessment/{firm.a1.pk}", year="abc")
    assert r.status_code == 422


def test_api_put_enters_and_answers_the_assessment(firm, as_):
    api = as_("staff")
    r = api.call("put", f"/innovation/assessment/{firm.a1.pk}/inputs",
                 {"st_staff": 12, "staff": 100, "total_income": "1000"}, year="2019")  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["inputs"]["st_staff"] == 12 and body["inputs"]["version"] == 1
    assert body["inputs"]["total_income"] == "1000.0000"
    assert next(c for c in body["criteria"] if c["key"] == "st_staff")["status"] == "pass"
    before = counts()
    stale = api.call("put", f"/innovation/assessment/{firm.a1.pk}/inputs",
                     {"version": 7, "st_staff": 1}, year="2019")  # fmt: skip
    assert stale.status_code == 409
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"total_income": "1e30"}, 422, "total_income"),
        ({"st_staff": 20, "staff": 10}, 422, "st_staff"),
        ({"ip_support": 9}, 422, "ip_support"),
        ({"rd_in_china_share": "NaN"}, 422, "rd_in_china_share"),
    ],
)
def test_api_put_refuses_bad_input(firm, as_, body, status, field):
    before = counts()
    r = as_("staff").call("put", f"/innovation/assessment/{firm.a1.pk}/inputs", body, year="2019")
    assert r.status_code == status, r.content
    assert field in {e["field"] for e in r.json()["errors"]}
    assert counts() == before


def test_api_put_by_readers_is_refused(firm, as_):
    r = as_("leader").call("put", f"/innovation/assessment/{firm.a1.pk}/inputs", {"st_staff": 1})
    assert (r.status_code, r.json()["detail"]) == (403, "无权填报该企业的高企自评")
    r = as_("enterprise").call("put", f"/innovation/assessment/{firm.a2.pk}/inputs", {"staff": 1})
    assert r.status_code == 404
    assert counts() == (0, 0)
