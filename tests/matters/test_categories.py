"""The categories page (分类与时限): everyone of the zone's officers reads it, zone admins change
a category's service level and department and add their own (audited); bad input is refused in
Chinese and writes nothing; enterprise users get 404."""

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Category, Kind
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("matters:categories")
NEW = reverse("matters:category_create")


@pytest.fixture
def cats(world):
    catalogue.ensure_categories(world.zone_a)
    world.funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    world.edit = reverse("matters:category_edit", args=[world.funding.pk])
    return world


def as_(client, user):
    client.force_login(user)
    return client


def page(r) -> str:
    return r.content.decode()


@pytest.mark.parametrize("role", ["admin", "province", "zone_admin", "leader", "staff"])
def test_readers(cats, client, role):
    r = as_(client, cats.users[role]).get(LIST)
    assert r.status_code == 200
    text = page(r)
    assert "施工许可" in text and "资金" in text and "统计数据核实" in text
    editable = role in ("admin", "zone_admin")
    assert ('id="category-add"' in text) is editable
    assert (cats.edit in text) is editable


def test_enterprise_and_anonymous(cats, client):
    for url in (LIST, NEW, cats.edit):
        r = client.get(url)
        assert r.status_code == 302 and "login" in r["Location"]
    as_(client, cats.enterprise)
    for url in (LIST, NEW, cats.edit):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["province", "leader", "staff"])
def test_readers_may_not_edit(cats, client, role):
    as_(client, cats.users[role])
    before = (Category.objects.count(), AuditRecord.objects.count())
    assert client.get(cats.edit).status_code == 404
    assert client.post(cats.edit, {"name": "x", "service_days": 3}).status_code == 404
    assert client.post(NEW, {"kind": "help", "name": "x", "service_days": 3}).status_code == 404
    assert (Category.objects.count(), AuditRecord.objects.count()) == before
    assert Category.objects.get(pk=cats.funding.pk).service_days == 15


def test_admin_edits_a_category(cats, client):
    as_(client, cats.zone_admin)
    r = client.get(cats.edit)
    assert r.status_code == 200 and 'value="15"' in page(r)
    data = {"name": "资金", "service_days": 5, "department": cats.dept_a.pk, "order": 4,
            "is_active": "on"}  # fmt: skip
    r = client.post(cats.edit, data)
    assert r.status_code == 302 and r["Location"] == LIST
    funding = Category.objects.get(pk=cats.funding.pk)
    assert (funding.service_days, funding.department) == (5, cats.dept_a)
    record = AuditRecord.objects.for_object(funding).get(action="update")
    assert record.before["service_days"] == 15 and record.after["service_days"] == 5
    assert "经济发展局" in page(client.get(LIST))
    # New help requests under it go to that department with the new service level.
    matter = services.create_matter(
        cats.enterprise, None, kind="help", category=funding.pk, title="流动资金"
    )
    assert matter.department == cats.dept_a
    assert matter.due_on == services.default_due("help", funding)


def test_admin_switches_a_category_off(cats, client):
    as_(client, cats.zone_admin)
    r = client.post(cats.edit, {"name": "资金", "service_days": 15, "order": 4})
    assert r.status_code == 302
    assert Category.objects.get(pk=cats.funding.pk).is_active is False
    assert 'class="text-muted"' in page(client.get(LIST))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "资金", "service_days": 0}, "service_days", "1 到 365"),
        ({"name": "资金", "service_days": 366}, "service_days", "1 到 365"),
        ({"name": "资金", "service_days": "x"}, "service_days", "整数"),
        ({"name": "", "service_days": 5}, "name", ""),
        ({"name": "防疫", "service_days": 5}, "name", "同名"),
        ({"name": "资金", "service_days": 5, "department": "other"}, "department", ""),
    ],
)
def test_bad_edits_write_nothing(cats, client, data, field, message):
    other = DepartmentFactory(zone=cats.zone_b, name="乙区经发局")
    if data.get("department") == "other":
        data = {**data, "department": other.pk}
    as_(client, cats.zone_admin)
    before = (Category.objects.get(pk=cats.funding.pk).service_days, AuditRecord.objects.count())
    r = client.post(cats.edit, {"order": 0, **data})
    assert r.status_code == 400
    error = page(r).split(f'id="err-{field}">')[1].split("</div>")[0]
    assert error.strip() and message in error
    funding = Category.objects.get(pk=cats.funding.pk)
    assert (funding.service_days, AuditRecord.objects.count()) == before
    assert funding.name == "资金"


def test_admin_adds_a_category(cats, client):
    as_(client, cats.zone_admin)
    assert client.get(NEW, {"kind": "agency"}).status_code == 200
    data = {"kind": "agency", "name": "水土保持方案审批", "service_days": 12,
            "department": cats.dept_a.pk, "order": 20, "is_active": "on"}  # fmt: skip
    r = client.post(NEW, data)
    assert r.status_code == 302
    new = Category.objects.get(zone=cats.zone_a, name="水土保持方案审批")
    assert (new.kind, new.code, new.service_days, new.department) == (
        "agency", "zone-1", 12, cats.dept_a,
    )  # fmt: skip
    assert AuditRecord.objects.for_object(new).filter(action="create").count() == 1
    r = client.post(NEW, {**data, "name": "另一项"})
    assert Category.objects.get(zone=cats.zone_a, name="另一项").code == "zone-2"
    # The same name again in the kind is refused.
    count = Category.objects.count()
    r = client.post(NEW, data)
    assert r.status_code == 400 and "同名" in page(r)
    r = client.post(NEW, {**data, "name": "x", "kind": "nope"})
    assert r.status_code == 400
    assert Category.objects.count() == count


def test_platform_admin_edits_in_the_chosen_zone(cats, client):
    from gaoxin.core.zones import SESSION_KEY

    as_(client, cats.admin)
    session = client.session
    session[SESSION_KEY] = cats.zone_a.pk
    session.save()
    r = client.post(cats.edit, {"name": "资金扶持", "service_days": 7, "order": 4,
                                "is_active": "on"})  # fmt: skip
    assert r.status_code == 302
    assert Category.objects.get(pk=cats.funding.pk).name == "资金扶持"
    # A category of another zone is not found from this one.
    catalogue.ensure_categories(cats.zone_b)
    other = Category.objects.filter(zone=cats.zone_b).first()
    assert client.get(reverse("matters:category_edit", args=[other.pk])).status_code == 404


def test_list_query_count(cats, client, django_assert_max_num_queries):
    as_(client, cats.staff)
    client.get(LIST)
    with django_assert_max_num_queries(10):
        assert client.get(LIST).status_code == 200
