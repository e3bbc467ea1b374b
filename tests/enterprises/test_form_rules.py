"""The registry's form rules, in the service (so pages, API and importer obey them alike):
入规日期 not before 成立日期, contacts' phone numbers, money as the importer reads it, the
industry picker, and every error of a form shown at once."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaoxin.core.codes import normalize_phone, phone_problem
from gaoxin.enterprises import services
from gaoxin.enterprises.importers import import_enterprises
from gaoxin.enterprises.models import Contact, Enterprise
from tests.factories import uscc_for
from tests.support.enterprise_import import HEADERS, row, workbook
from tests.support.spreadsheets import errors

pytestmark = pytest.mark.django_db

SINCE_BEFORE = "入规日期(2017-12-31)不能早于成立日期(2018-05-04)"


def data(**extra):
    return {
        "name": "江西规则光电有限公司",
        "uscc": uscc_for(66_000_001),
        "industry": "3974",
    } | extra


def form_data(**overrides):
    base = {
        "name": "江西新登记光电有限公司",
        "uscc": uscc_for(77_000_001),
        "registered_capital": "1200.5",
        "established_on": "2018-05-04",
        "industry": "3974",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "王五",
        "contacts-0-phone": "13800000000",
    }
    return base | overrides


def field_errors(html: str, name: str) -> str:
    match = re.search(rf'id="err-{name}">(.*?)</div>', html, re.S)
    assert match, f"no error block for {name}"
    return match.group(1).strip()


def post_create(client, user, **overrides):
    client.force_login(user)
    return client.post(reverse("enterprises:create"), form_data(**overrides))


# --- 入规日期 not before 成立日期 ---------------------------------------------------------------


def test_service_refuses_above_scale_before_establishment_and_writes_nothing(world):
    before = Enterprise.objects.count()
    fields = data(
        established_on=dt.date(2018, 5, 4),
        above_scale=True,
        above_scale_since=dt.date(2017, 12, 31),
    )
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(world.staff, world.zone_a, **fields)
    assert exc.value.message_dict == {"above_scale_since": [SINCE_BEFORE]}
    assert Enterprise.objects.count() == before


def test_service_accepts_above_scale_on_the_day_of_establishment(world):
    fields = data(
        established_on=dt.date(2018, 5, 4), above_scale=True, above_scale_since=dt.date(2018, 5, 4)
    )
    e = services.create_enterprise(world.staff, world.zone_a, **fields)
    assert (e.established_on, e.above_scale_since) == (dt.date(2018, 5, 4), dt.date(2018, 5, 4))


def test_service_update_checks_the_dates_against_the_stored_ones(world):
    services.update_enterprise(
        world.staff, world.a1, {"established_on": dt.date(2018, 5, 4)}, version=1
    )
    with pytest.raises(ValidationError) as exc:
        services.update_enterprise(
            world.staff,
            world.a1,
            {"above_scale": True, "above_scale_since": dt.date(2017, 12, 31)},
            version=2,
        )
    assert exc.value.message_dict == {"above_scale_since": [SINCE_BEFORE]}
    world.a1.refresh_from_db()
    assert (world.a1.version, world.a1.above_scale_since) == (2, None)


def test_page_shows_the_date_rule_on_its_field(client, world):
    r = post_create(
        client,
        world.staff,
        above_scale="on",
        above_scale_since="2017-12-31",
        established_on="2018-05-04",
    )
    assert r.status_code == 422
    assert field_errors(r.content.decode(), "above_scale_since") == SINCE_BEFORE
    assert not Enterprise.objects.filter(name="江西新登记光电有限公司").exists()


def test_api_refuses_the_date_rule_on_its_field(world, api_as):
    body = {
        "name": "江西新锐光电有限公司",
        "uscc": uscc_for(55_000_001),
        "industry_code": "3974",
        "established_on": "2018-05-04",
        "above_scale": True,
        "above_scale_since": "2017-12-31",
    }
    r = api_as("zone_admin").post("/enterprises", body)
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "above_scale_since", "message": SINCE_BEFORE}]
    assert not Enterprise.objects.filter(name="江西新锐光电有限公司").exists()


def test_importer_refuses_the_date_rule_on_its_cell(world, tmp_path):
    path = workbook(
        tmp_path,
        [row(1, 成立日期="2018-05-04", 规上企业="是", 入规日期="2017-12-31")],
        headers=HEADERS,
    )
    result = import_enterprises(world.staff, world.zone_a, path)
    assert errors(result) == [(2, "入规日期", "2017-12-31", SINCE_BEFORE)]


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("+86 139 1234 5678", "+8613912345678"),
        ("0791-88888888", "0791-88888888"),
        ("079188888888", "079188888888"),
        ("０７９１－８８８８８８８８", "0791-88888888"),
        ("0791—88888888", "0791-88888888"),
        ("(0791)8888888", "(0791)8888888"),
        ("010-62345678", "010-62345678"),
        ("0791-88888888-123", "0791-88888888-123"),
        ("0791-88888888转123", "0791-88888888转123"),
    ],
)
def test_valid_phones_are_kept_normalised(typed, stored):
    assert normalize_phone(typed) == stored
    assert phone_problem(stored) is None
    assert services.clean_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "1391234567",
        "139123456789",
        "12912345678",
        "88888888",
        "0791-888",
        "电话",
        "0791-88888888-",
    ],
)
def test_wrong_phones_are_refused_with_what_is_right(typed):
    with pytest.raises(ValidationError) as exc:
        services.clean_phone(typed)
    (message,) = exc.value.message_dict["phone"]
    assert message.startswith(f"电话号码「{normalize_phone(typed)}」格式不正确")
    assert "13912345678" in message and "0791-88888888" in message


def test_service_refuses_a_contact_with_a_wrong_phone_and_writes_nothing(world):
    before = (Enterprise.objects.count(), Contact.objects.count())
    contacts = [{"name": "王五", "phone": "13800000000"}, {"name": "赵六", "phone": "12345"}]
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(world.staff, world.zone_a, contacts=contacts, **data())
    assert list(exc.value.message_dict) == ["contacts[1].phone"]
    assert (Enterprise.objects.count(), Contact.objects.count()) == before


def test_service_stores_the_phone_normalised(world):
    contacts = [{"name": "王五", "phone": "０７９１ 8812 3456"}]
    e = services.create_enterprise(world.staff, world.zone_a, contacts=contacts, **data())
    assert list(e.contacts.values_list("phone", flat=True)) == ["079188123456"]


def test_page_shows_a_wrong_phone_beside_it(client, world):
    r = post_create(client, world.staff, **{"contacts-0-phone": "12345"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "电话号码「12345」格式不正确" in html
    assert not Enterprise.objects.filter(name="江西新登记光电有限公司").exists()


def test_api_refuses_a_wrong_phone(world, api_as):
    body = {
        "name": "江西新锐光电有限公司",
        "uscc": uscc_for(55_000_001),
        "industry_code": "3974",
        "contacts": [{"name": "王五", "phone": "0791-888"}],
    }
    r = api_as("zone_admin").post("/enterprises", body)
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == ["contacts[0].phone"]
    assert not Enterprise.objects.filter(name="江西新锐光电有限公司").exists()


def test_importer_refuses_a_wrong_phone_on_its_cell(world, tmp_path):
    path = workbook(tmp_path, [row(1, 联系人="王五", 联系电话="0791-888")], headers=HEADERS)
    result = import_enterprises(world.staff, world.zone_a, path)
    ((line, column, value, reason),) = errors(result)
    assert (line, column, value) == (2, "联系电话", "0791-888")
    assert reason.startswith("电话号码「0791-888」格式不正确")


# --- money as the importer reads it, and the industry picker -----------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.2亿", Decimal("12000")), ("500万", Decimal("500")), ("1,234.5", Decimal("1234.5")),
     ("１２３４．５", Decimal("1234.5")), (" 3,000,000元 ", Decimal("300"))],
)  # fmt: skip
def test_page_reads_registered_capital_like_the_importer(client, world, typed, stored):
    r = post_create(client, world.staff, registered_capital=typed)
    assert r.status_code == 302, r.content.decode()
    assert Enterprise.objects.get(name="江西新登记光电有限公司").registered_capital == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "无法识别的金额「1e30」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("NaN", "无法识别的金额「NaN」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("-5", "金额不能为负数"),
        ("9" * 13, "金额过大:不能超过 12 位整数(单位:万元),请确认单位"),
        ("1.23456", "金额最多保留 4 位小数(单位:万元)"),
    ],
)
def test_page_refuses_a_wrong_amount_with_a_message(client, world, typed, message):
    r = post_create(client, world.staff, registered_capital=typed)
    assert r.status_code == 422
    assert field_errors(r.content.decode(), "registered_capital") == message
    assert not Enterprise.objects.filter(name="江西新登记光电有限公司").exists()


def test_edit_form_shows_the_amount_as_typed_and_the_industry_picker(client, world):
    services.update_enterprise(world.staff, world.a1, {"registered_capital": Decimal("12000")})
    client.force_login(world.staff)
    html = client.get(reverse("enterprises:edit", args=[world.a1.pk])).content.decode()
    assert re.search(
        r'name="registered_capital" value="12000"[^>]* required|name="registered_capital" value="12000"',
        html,
    )
    picker = re.search(r'<select name="industry"[^>]*>', html).group(0)
    assert 'data-picker="1"' in picker and "required" in picker
    assert '<option value="3974" selected>3974 显示器件制造</option>' in html


def test_required_fields_are_marked(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("enterprises:create")).content.decode()
    label = re.search(r'<label[^>]*for="id_name">(.*?)</label>', html).group(1)
    assert label == '企业名称 <span class="text-danger">*</span>'
    assert re.search(r'<input type="text" name="name"[^>]*required', html)
    label = re.search(r'<label[^>]*for="id_address">(.*?)</label>', html).group(1)
    assert label == "地址"


# --- every error at once -----------------------------------------------------------------------


def test_form_and_rule_errors_show_together(client, world):
    r = post_create(
        client,
        world.staff,
        registered_capital="很多",
        uscc="91360100MA35XXXXX1",
        above_scale="on",
        above_scale_since="2017-12-31",
        established_on="2018-05-04",
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert field_errors(html, "registered_capital").startswith("无法识别的金额「很多」")
    assert field_errors(html, "uscc").startswith("组织机构代码校验位错误")
    assert field_errors(html, "above_scale_since") == SINCE_BEFORE


def test_rule_errors_show_when_only_a_contact_is_wrong(client, world):
    r = post_create(
        client,
        world.staff,
        above_scale="on",
        above_scale_since="2017-12-31",
        **{"contacts-0-phone": "12345"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert field_errors(html, "above_scale_since") == SINCE_BEFORE
    assert "电话号码「12345」格式不正确" in html


def test_list_filter_picks_an_industry_of_any_level(client, world):
    client.force_login(world.staff)
    r = client.get(reverse("enterprises:list"), {"industry": "17"})
    html = r.content.decode()
    picker = re.search(r'<select name="industry"[^>]*>', html).group(0)
    assert 'data-picker="1"' in picker
    assert 'data-search="/api/v1/industries"' in picker  # the other codes as one types
    assert '<option value="17" selected>17 纺织业</option>' in html
    assert '<option value="3974">' not in html
    assert world.a2.name in html and world.a1.name not in html


def test_api_filter_takes_any_code(world, api_as):
    r = api_as("staff").get("/enterprises?industry=C")
    assert r.status_code == 200
    assert {e["name"] for e in r.json()["items"]} == {world.a1.name, world.a2.name}
