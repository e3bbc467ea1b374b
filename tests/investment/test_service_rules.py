"""What the investment services decide, whichever door asks: who may be a project's officer
(service, API, importer), missing against forbidden (404, or 403 with the reason), and text too
long refused rather than cut. A refused write changes nothing."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.investment import plans, references, services
from gaoxin.investment.importers import import_projects
from gaoxin.investment.importers.columns import OFFICER_LIST, template_lists
from gaoxin.investment.models import Campaign, Document, FundsEntry, Project, StageEvent
from tests.factories import member
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db

D = datetime.date
W = Decimal
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_OFFICER = (
    "「%s」不能担任项目责任人:责任人须为本园区的管理员、领导或工作人员,"
    "企业用户和已停用的账号不能担任"
)


def counts():
    return (
        Project.objects.count(),
        StageEvent.objects.count(),
        AuditRecord.objects.exclude(action="import_rejected").count(),
    )


def create(actor, zone, **data):
    data.setdefault("name", "新能源电池项目")
    data.setdefault("investor_name", "某新能源公司")
    data.setdefault("planned_investment", W("20000"))
    return services.create_project(actor, zone, on=D(2019, 5, 6), **data)


# --- a project's officer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("enterprise", NOT_OFFICER % "enterprise"),  # an enterprise account of the zone
        ("b_staff", "「b_staff」不是本园区的工作人员"),  # another zone's officer
        ("gone", NOT_OFFICER % "gone"),  # a disabled account of the zone
        ("nobody", "「nobody」不是本园区的工作人员"),
    ],
)
def test_the_service_names_only_the_zones_officers(world, name, message):
    member("zone_staff", username="b_staff", zone=world.zone_b)
    gone = member("zone_staff", username="gone", zone=world.zone_a, department=world.dept_a)
    gone.is_active = False
    gone.save()
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        create(world.zone_admin, world.zone_a, officer=name)
    assert excinfo.value.message_dict == {"officer": [message]}
    assert counts() == before


def test_an_enterprise_user_given_as_an_account_object_is_refused_too(world):
    world.enterprise.full_name = "李企业"
    world.enterprise.save()
    before = counts()
    for value, shown in ((world.enterprise, "enterprise"), ("李企业", "李企业")):
        with pytest.raises(ValidationError) as excinfo:
            create(world.zone_admin, world.zone_a, officer=value)
        assert excinfo.value.message_dict == {"officer": [NOT_OFFICER % shown]}
    assert counts() == before


@pytest.mark.parametrize("role", ["zone_admin", "leader", "staff"])
def test_admins_leaders_and_staff_may_be_named(world, role):
    project = create(world.zone_admin, world.zone_a, officer=world.users[role].username)
    assert project.officer == world.users[role]
    assert set(references.officers_of(world.zone_a).values_list("username", flat=True)) == {
        "zone_admin",
        "leader",
        "staff",
    }


def test_an_update_cannot_name_an_enterprise_user(world):
    project = create(world.zone_admin, world.zone_a, officer="staff")
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(world.zone_admin, project, {"officer": "enterprise"}, version=1)
    assert excinfo.value.message_dict == {"officer": [NOT_OFFICER % "enterprise"]}
    project.refresh_from_db()
    assert (project.officer, project.version) == (world.staff, 1)


def test_the_current_officer_stays_when_named_again(world):
    """An edit page posts the officer already named: one who left still saves the other fields."""
    project = create(world.zone_admin, world.zone_a, officer="staff")
    world.staff.is_active = False
    world.staff.save()
    services.update_project(
        world.zone_admin, project, {"officer": world.staff, "name": "改名项目"}, version=1
    )
    services.update_project(world.zone_admin, project, {"officer": "staff"}, version=2)
    project.refresh_from_db()
    assert (project.name, project.officer, project.version) == ("改名项目", world.staff, 2)
    with pytest.raises(ValidationError):  # but nobody else who may not be named
        services.update_project(world.zone_admin, project, {"officer": "enterprise"}, version=2)


def test_the_api_answers_422_and_writes_nothing(world, api_as):
    api = api_as("zone_admin")
    before = counts()
    r = api.post(
        "/investment/projects",
        {"name": "某项目", "investor_name": "某公司", "planned_investment": "100",
         "officer": "enterprise"},
    )  # fmt: skip
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["errors"] == [{"field": "officer", "message": NOT_OFFICER % "enterprise"}]
    assert body["detail"] == "officer:" + NOT_OFFICER % "enterprise"
    assert counts() == before

    project = create(world.zone_admin, world.zone_a, officer="staff")
    before = counts()
    r = api.patch(f"/investment/projects/{project.pk}", {"version": 1, "officer": "enterprise"})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "officer", "message": NOT_OFFICER % "enterprise"}]
    project.refresh_from_db()
    assert (project.officer, project.version, counts()) == (world.staff, 1, before)


def ledger(tmp_path, officer):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "投资方", "计划总投资(万元)", "责任人", "线索日期"])
    ws.append(["某新材料项目", "某投资方有限公司", 20000, "staff", "2019-01-05"])
    ws.append(["某光电项目", "某光电有限公司", 30000, officer, "2019-01-06"])
    path = tmp_path / "台账.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("officer", ["enterprise", "李企业"])
def test_the_importer_names_the_cell_and_writes_nothing(world, tmp_path, officer):
    world.enterprise.full_name = "李企业"
    world.enterprise.save()
    before = counts()
    result = import_projects(world.zone_admin, world.zone_a, ledger(tmp_path, officer))
    assert not result.ok
    assert [(e.row, e.column, e.value, e.reason) for e in result.sorted_errors()] == [
        (3, "责任人", officer, NOT_OFFICER % officer)
    ]
    assert counts() == before
    # The template offers only those who may be named.
    offered = template_lists(world.zone_a)[OFFICER_LIST]
    assert offered == [world.users[r].full_name for r in ("leader", "staff", "zone_admin")]
    assert "李企业" not in offered


# --- missing (404) against forbidden (403, with the reason) -----------------------------------


def test_a_zone_the_actor_cannot_see_is_missing_one_they_see_is_forbidden(world):
    with pytest.raises(Zone.DoesNotExist):
        create(world.staff, world.zone_b)
    with pytest.raises(Forbidden, match="无权在该园区登记招商项目"):
        create(world.leader, world.zone_a)
    with pytest.raises(Zone.DoesNotExist):
        plans.create_campaign(world.zone_admin, world.zone_b, name="百日招商")
    with pytest.raises(Forbidden, match="只有园区管理员可以设立招商活动"):
        plans.create_campaign(world.staff, world.zone_a, name="百日招商")
    with pytest.raises(Zone.DoesNotExist):
        plans.save_thresholds(world.staff, world.zone_b, large=W("1"), class_5020=W("2"))
    assert not Project.objects.exists() and not Campaign.objects.exists()


@pytest.fixture
def records(pipeline):
    """A funds entry and a document of the signed project (dept_a)."""
    admin, project = pipeline.world.admin, pipeline.p_signed
    entry = services.add_funds(admin, project, on=D(2019, 5, 1), amount=W("10"))
    document = services.add_document(
        admin, project, kind="agreement", upload=SimpleUploadedFile("协议.pdf", PDF)
    )
    return entry, document


def test_funds_and_documents_missing_or_forbidden(pipeline, records):
    w = pipeline.world
    entry, document = records
    outsider = member("zone_staff", username="b_staff", zone=w.zone_b)
    before = AuditRecord.objects.count()
    with pytest.raises(Forbidden, match="无权删除该到位资金记录"):
        services.delete_funds(w.leader, entry.pk, reason="重复")
    with pytest.raises(FundsEntry.DoesNotExist):
        services.delete_funds(outsider, entry.pk, reason="重复")
    with pytest.raises(Forbidden, match="无权删除该材料"):
        services.delete_document(w.leader, document.pk, reason="重复")
    with pytest.raises(Document.DoesNotExist):
        services.delete_document(outsider, document.pk, reason="重复")
    with pytest.raises(Forbidden, match="无权修改该招商项目"):
        services.add_funds(w.leader, pipeline.p_signed, on=D(2019, 5, 2), amount=W("1"))
    with pytest.raises(Project.DoesNotExist):
        services.add_funds(outsider, pipeline.p_signed, on=D(2019, 5, 2), amount=W("1"))
    assert FundsEntry.objects.count() == 1
    assert not Document.objects.get(pk=document.pk).is_deleted
    assert AuditRecord.objects.count() == before


def test_the_api_tells_missing_from_forbidden_on_deletes(pipeline, records, api_as):
    entry, document = records
    outsider = member("zone_staff", username="b_staff", zone=pipeline.world.zone_b)
    for path, refused in (
        (f"/investment/funds/{entry.pk}", "无权删除该到位资金记录"),
        (f"/investment/documents/{document.pk}", "无权删除该材料"),
    ):
        r = api_as("leader").delete(path, reason="重复")
        assert (r.status_code, r.json()["detail"]) == (403, refused)
        r = Api(Client(), bearer(outsider)).delete(path, reason="重复")
        assert r.status_code == 404, r.content
    assert FundsEntry.objects.count() == 1
    assert not Document.objects.get(pk=document.pk).is_deleted


# --- text too long is refused, never cut ------------------------------------------------------


def test_a_long_deletion_reason_is_refused(pipeline, records):
    w = pipeline.world
    entry, document = records
    long = "因" * 201
    message = {"reason": ["理由不能超过 200 个字(现为 201 个字)"]}
    before = AuditRecord.objects.count()
    for delete, target in (
        (services.delete_project, pipeline.p_lead.pk),
        (services.delete_funds, entry.pk),
        (services.delete_document, document.pk),
    ):
        with pytest.raises(ValidationError) as excinfo:
            delete(w.admin, target, reason=long)
        assert excinfo.value.message_dict == message
    assert Project.objects.active().filter(pk=pipeline.p_lead.pk).exists()
    assert FundsEntry.objects.count() == 1
    assert not Document.objects.get(pk=document.pk).is_deleted
    assert AuditRecord.objects.count() == before
    services.delete_project(w.admin, pipeline.p_lead.pk, reason="因" * 200)
    assert Project.objects.get(pk=pipeline.p_lead.pk).deleted_reason == "因" * 200


def test_a_long_entry_note_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        create(world.zone_admin, world.zone_a, note="说" * 501)
    assert excinfo.value.message_dict == {"note": ["说明不超过 500 个字"]}
    assert counts() == before
    project = create(world.zone_admin, world.zone_a, note="说" * 500)
    assert project.events.get().note == "说" * 500


def test_the_document_page_refuses_a_long_reason(client, pipeline, records):
    _entry, document = records
    client.force_login(pipeline.world.admin)
    url = reverse("investment:document_delete", args=[document.pk])
    response = client.post(url, {"reason": "因" * 201})
    assert response.status_code == 422
    assert "理由不能超过 200 个字(现为 201 个字)" in response.content.decode()
    assert not Document.objects.get(pk=document.pk).is_deleted
    response = client.post(url, {"reason": "重复上传"})
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).is_deleted
