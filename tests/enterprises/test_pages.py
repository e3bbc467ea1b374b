import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.enterprises import services
from gaoxin.enterprises.models import Enterprise
from tests.factories import uscc_for

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def form_data(**overrides):
    data = {
        "name": "江西新登记光电有限公司",
        "uscc": uscc_for(77_000_001),
        "legal_representative": "李四",
        "registered_capital": "1200.5",
        "established_on": "2018-05-04",
        "industry": "3974",
        "address": "高新大道 1 号",
        "scale": "small",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "王五",
        "contacts-0-phone": "13800000000",
    }
    data.update(overrides)
    return data


def test_list_shows_only_the_zone_of_the_user(client, world):
    login(client, world.staff)
    html = client.get(reverse("enterprises:list")).content.decode()
    assert world.a1.name in html and world.a2.name in html
    assert world.b1.name not in html and world.c1.name not in html


def test_list_filters_by_industry_section_and_name(client, world):
    login(client, world.staff)
    html = client.get(reverse("enterprises:list"), {"industry": "17"}).content.decode()
    assert world.a2.name in html and world.a1.name not in html
    html = client.get(reverse("enterprises:list"), {"q": "甲一"}).content.decode()
    assert world.a1.name in html and world.a2.name not in html


def test_enterprise_user_sees_only_own(client, world):
    login(client, world.enterprise)
    html = client.get(reverse("enterprises:list")).content.decode()
    assert world.a1.name in html and world.a2.name not in html
    assert client.get(reverse("enterprises:detail", args=[world.a2.pk])).status_code == 404
    assert client.get(reverse("enterprises:detail", args=[world.a1.pk])).status_code == 200


def test_create_with_invalid_uscc_names_check_char_and_saves_nothing(client, world):
    login(client, world.staff)
    good = uscc_for(77_000_001)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = (Enterprise.objects.count(), AuditRecord.objects.count())
    response = client.post(reverse("enterprises:create"), form_data(uscc=bad))
    assert response.status_code == 422
    assert f"第 18 位应为 {good[17]}" in response.content.decode()
    assert (Enterprise.objects.count(), AuditRecord.objects.count()) == before


def test_create_valid_enterprise_is_saved_audited_and_listed(client, world):
    login(client, world.staff)
    response = client.post(reverse("enterprises:create"), form_data())
    assert response.status_code == 302
    e = Enterprise.objects.get(name="江西新登记光电有限公司")
    assert (e.zone, e.industry_id, str(e.registered_capital)) == (world.zone_a, "3974", "1200.5000")
    assert [c.name for c in e.contacts.all()] == ["王五"]
    rec = AuditRecord.objects.for_object(e).get()
    assert (rec.action, rec.actor_name, rec.zone_id) == ("create", "staff", world.zone_a.pk)
    assert e.name in client.get(reverse("enterprises:list")).content.decode()


def test_stale_edit_answers_409_and_keeps_the_newer_data(client, world):
    login(client, world.staff)
    url = reverse("enterprises:edit", args=[world.a1.pk])
    data = form_data(name="改名一", uscc=world.a1.uscc, version="1")
    assert client.post(url, data).status_code == 302
    data = form_data(name="改名二", uscc=world.a1.uscc, version="1")
    response = client.post(url, data)
    assert response.status_code == 409
    assert "改名二" in response.content.decode()  # the person's input is still on the form
    world.a1.refresh_from_db()
    assert (world.a1.name, world.a1.version) == ("改名一", 2)


def test_leader_cannot_edit_and_nothing_changes(client, world):
    login(client, world.leader)
    url = reverse("enterprises:edit", args=[world.a1.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(uscc=world.a1.uscc, version="1")).status_code == 404
    world.a1.refresh_from_db()
    assert world.a1.version == 1


def test_enterprise_user_edits_only_address(client, world):
    login(client, world.enterprise)
    url = reverse("enterprises:edit", args=[world.a1.pk])
    response = client.post(
        url,
        {
            "address": "新地址 8 号",
            "legal_representative": "赵六",
            "name": "篡改名称",
            "version": "1",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    world.a1.refresh_from_db()
    assert (world.a1.address, world.a1.name) == ("新地址 8 号", "甲一电子科技有限公司")


def test_inline_validation_returns_the_field_message(client, world):
    login(client, world.staff)
    response = client.post(
        reverse("enterprises:validate"), {**form_data(uscc=world.a2.uscc), "field": "uscc"}
    )
    assert "已被「甲二纺织有限公司」" in response.content.decode()
    response = client.post(reverse("enterprises:validate"), {**form_data(), "field": "uscc"})
    assert response.content.decode() == ""


@pytest.mark.parametrize("role", ["staff", "zone_admin", "enterprise"])
def test_inline_validation_never_names_an_enterprise_the_user_cannot_see(client, world, role):
    login(client, world.users[role])
    for holder in (world.b1, world.c1):  # another zone of the province; another province
        data = {**form_data(uscc=holder.uscc), "field": "uscc"}
        if role == "enterprise":
            data["pk"] = world.a1.pk  # their own record: the only one they may validate
        text = client.post(reverse("enterprises:validate"), data).content.decode()
        assert holder.name not in text and str(holder.zone) not in text
        if role != "enterprise":
            assert text == f"统一社会信用代码 {holder.uscc} 已在平台登记,不能重复登记"


def test_inline_validation_of_another_s_record_is_a_404(client, world):
    login(client, world.enterprise)
    data = {**form_data(uscc=world.b1.uscc), "field": "uscc", "pk": world.a2.pk}
    assert client.post(reverse("enterprises:validate"), data).status_code == 404


def test_status_change_and_soft_delete(client, world):
    login(client, world.zone_admin)
    url = reverse("enterprises:status", args=[world.a2.pk])
    client.post(
        url, {"status": "suspended", "on": "2024-03-01", "note": "停产检修", "version": "1"}
    )
    world.a2.refresh_from_db()
    assert (world.a2.status, str(world.a2.status_since)) == ("suspended", "2024-03-01")
    client.post(reverse("enterprises:delete", args=[world.a2.pk]), {"reason": "", "version": "2"})
    assert not Enterprise.objects.get(pk=world.a2.pk).is_deleted
    client.post(
        reverse("enterprises:delete", args=[world.a2.pk]), {"reason": "重复登记", "version": "2"}
    )
    world.a2.refresh_from_db()
    assert (world.a2.is_deleted, world.a2.deleted_reason) == (True, "重复登记")
    assert client.get(reverse("enterprises:detail", args=[world.a2.pk])).status_code == 404
    actions = list(AuditRecord.objects.for_object(world.a2).values_list("action", flat=True))
    assert actions == ["delete", "status"]


def test_home_and_audit_pages(client, world):
    login(client, world.zone_admin)
    html = client.get(reverse("home")).content.decode()
    assert world.zone_a.name in html
    assert client.get(reverse("audit")).status_code == 200
    client.logout()
    login(client, world.staff)
    assert client.get(reverse("audit")).status_code == 404


def test_list_query_count_is_constant(client, world, django_assert_num_queries):
    """session, user, memberships, count, tag choices, the page's ids, its rows, their tags: the
    same with 3 enterprises or 60 (the industry picker reads only a chosen code)."""
    from tests.factories import EnterpriseFactory

    login(client, world.staff)
    for n in (0, 57):
        for i in range(n):
            EnterpriseFactory(zone=world.zone_a, name=f"批量{i}有限公司").tags.add(world.tag_a)
        client.get(reverse("enterprises:list"))
        with django_assert_num_queries(9):
            client.get(reverse("enterprises:list"))


def test_edit_form_shows_dates_and_amounts_as_the_browser_needs_them(client, world):
    world.a1.established_on = "2016-07-12"
    world.a1.registered_capital = "10000.0000"
    world.a1.save()
    client.force_login(world.staff)
    html = client.get(reverse("enterprises:edit", args=[world.a1.pk])).content.decode()
    assert 'type="date" name="established_on" value="2016-07-12"' in html
    assert 'name="registered_capital" value="10000"' in html


def test_export_gives_what_the_filters_show_and_is_audited(client, world):
    import io

    import openpyxl

    login(client, world.staff)
    response = client.get(reverse("enterprises:list"), {"industry": "17", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert [r[0] for r in rows[1:]] == [world.a2.name]
    record = AuditRecord.objects.get(action="export")
    assert (record.actor_name, record.zone, record.message) == (
        "staff",
        world.zone_a,
        "导出 1 家企业;条件:industry=17&export=xlsx",
    )


def test_refused_status_changes_say_why_and_change_nothing(client, world):
    login(client, world.zone_admin)
    url = reverse("enterprises:status", args=[world.a2.pk])
    stale = {"status": "suspended", "on": "2024-03-01", "note": "停产", "version": "0"}
    future = {**stale, "on": "2999-01-01", "version": "1"}
    for body, reason in ((stale, "已被他人修改"), (future, "状态日期不能晚于今天")):
        page = client.post(url, body, follow=True).content.decode()
        assert "状态未变更:" in page and reason in page
    world.a2.refresh_from_db()
    assert (world.a2.status, world.a2.version) == ("operating", 1)
    assert not AuditRecord.objects.for_object(world.a2).exists()


def test_a_stale_deletion_is_refused_with_the_message(client, world):
    login(client, world.zone_admin)
    url = reverse("enterprises:delete", args=[world.a2.pk])
    page = client.post(url, {"reason": "重复登记", "version": "0"}, follow=True).content.decode()
    assert "未删除:" in page and "已被他人修改" in page
    assert not Enterprise.objects.get(pk=world.a2.pk).is_deleted


def test_a_status_note_too_long_is_refused_not_cut(world):
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            world.zone_admin, world.a2, "suspended", on=datetime.date(2024, 3, 1), note="停" * 201
        )
    assert refused.value.message_dict == {"note": ["说明不能超过 200 个字(现为 201 个字)"]}
    world.a2.refresh_from_db()
    assert (world.a2.status, world.a2.version) == ("operating", 1)
    done = services.change_status(
        world.zone_admin, world.a2, "suspended", on=datetime.date(2024, 3, 1), note="停" * 200
    )
    assert done.status_changes.get(status="suspended").note == "停" * 200
