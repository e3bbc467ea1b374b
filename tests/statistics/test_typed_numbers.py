"""Any number a person can type, in the return form and through the API: what can be stored is
read in the indicator's unit (1.2亿, 500万, 1,234.5, full-width digits, spaces, -0); what cannot
(too large, too many decimals, 1e30, NaN, ∞, too long) is refused at its field with a specific
Chinese message naming it, never a 500, with the figures typed kept and no row changed."""

import json

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Return
from tests.support.returns import GOOD

pytestmark = pytest.mark.django_db

P, KEY = "2019-05", 201905
# (typed, the message's text after 「typed」, shown on the output value field, in 万元)
REFUSED = [
    ("12345678901234567", "」超出可填写的范围:整数部分最多 15 位(单位:万元),请检查单位"),
    ("1000000000000000", "」超出可填写的范围:整数部分最多 15 位(单位:万元),请检查单位"),
    ("1.23456", "」的小数位数过多:最多保留 4 位小数(单位:万元)"),
    ("0.0000000123亿", "」折合 0.000123 万元,小数位数过多:最多保留 4 位小数"),
    ("1e30", "」是科学计数法,可能已被四舍五入:请写出完整的数字(单位:万元)"),
    ("1E+07", "」是科学计数法,可能已被四舍五入:请写出完整的数字(单位:万元)"),
    ("NaN", "」不是有限的数字:请填写具体数值(单位:万元)"),
    ("inf", "」不是有限的数字:请填写具体数值(单位:万元)"),
    ("-Infinity", "」不是有限的数字:请填写具体数值(单位:万元)"),
    ("∞", "」不是有限的数字:请填写具体数值(单位:万元)"),
    ("1,2亿元万", "」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
]
# (code, typed, stored): what is read, in the indicator's unit.
ACCEPTED = [
    ("output_value", "1.2亿", "12000"),
    ("output_value", "500万", "500"),
    ("output_value", "3,000,000元", "300"),
    ("output_value", "１２３", "123"),
    ("output_value", "１,２３４．５", "1234.5"),
    ("output_value", "1,234.5", "1234.5"),
    ("output_value", " 1 234.5 ", "1234.5"),
    ("output_value", "-0", "0"),
    ("output_value", "-0.00", "0"),
    ("output_value", "−12", "-12"),
    ("output_value", "123456789012345.1234", "123456789012345.1234"),
    ("industrial_electricity", "1.2亿", "12000"),
    ("industrial_electricity", "500万", "500"),
    ("industrial_electricity", "8000千瓦时", "0.8"),
    ("industrial_electricity", "1.5亿千瓦时", "15000"),
    ("employees", "1.2万", "12000"),
    ("employees", "120人", "120"),
]


def message_for(typed, tail, name="工业总产值"):
    if tail.startswith("」:请填写数字"):
        return f"{name}:无法识别的金额「{typed}{tail}"
    return f"{name}:「{typed}{tail}"


@pytest.fixture
def w(world):
    world.a1.above_scale = True
    world.a1.save()
    return world


def draft(w):
    ret = services.return_for(w.enterprise, w.a1, P, create=True)
    return services.save_draft(w.enterprise, ret, data=GOOD, version=ret.version)


def row(ret):
    ret.refresh_from_db()
    return ret.version, ret.status, dict(ret.data), ret.revision


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "tail"), REFUSED)
def test_the_service_refuses_with_the_field_named(w, typed, tail):
    from django.core.exceptions import ValidationError

    ret = draft(w)
    before, audits = row(ret), AuditRecord.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.save_draft(w.enterprise, ret, data={"output_value": typed}, version=ret.version)
    assert raised.value.message_dict == {"output_value": [message_for(typed, tail)]}
    assert (row(ret), AuditRecord.objects.count()) == (before, audits)


def test_a_figure_too_long_is_refused_not_cut(w):
    from django.core.exceptions import ValidationError

    typed = "1" * 41
    with pytest.raises(ValidationError) as raised:
        services.clean_data(w.zone_a, {"revenue": typed})
    assert raised.value.message_dict == {
        "revenue": ["营业收入:「11111111111111111111…」过长:数值最多填写 40 个字符(现为 41 个)"]
    }


@pytest.mark.parametrize(("code", "typed", "stored"), ACCEPTED)
def test_the_service_reads_figures_in_the_indicators_unit(w, code, typed, stored):
    assert services.clean_data(w.zone_a, {code: typed}) == {code: stored}


# --- the return form -----------------------------------------------------------------------------


def post(client, data, **extra):
    body = {f"v_{k}": v for k, v in data.items()}
    body.update(extra)
    return client.post(reverse("statistics:fill", args=[P]), body)


@pytest.mark.parametrize(("typed", "tail"), REFUSED)
@pytest.mark.parametrize("action", ["save", "submit"])
def test_the_form_refuses_at_the_field_and_keeps_every_figure(client, w, typed, tail, action):
    client.force_login(w.enterprise)
    typed_return = dict(GOOD, output_value=typed, revenue="1.2亿", exports="１２３")
    response = post(client, typed_return, action=action)
    html = response.content.decode()
    assert response.status_code == 422
    expected = message_for(typed, tail).split(":", 1)[1]  # at the field, beside its name
    assert f'id="err-output_value">{expected}</div>' in html
    for code, value in typed_return.items():  # every figure as typed, re-shown
        assert f'name="v_{code}" value="{value}"' in html, code
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()


def test_the_form_refuses_and_the_saved_draft_is_unchanged(client, w):
    ret = draft(w)
    client.force_login(w.enterprise)
    before, audits = row(ret), AuditRecord.objects.count()
    response = post(client, dict(GOOD, revenue="1e30", profit="NaN"), version=ret.version)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="err-revenue">「1e30」是科学计数法' in html
    assert 'id="err-profit">「NaN」不是有限的数字' in html
    assert (row(ret), AuditRecord.objects.count()) == (before, audits)


def test_the_live_check_names_every_bad_field(client, w):
    client.force_login(w.enterprise)
    body = {f"v_{k}": v for k, v in dict(GOOD, revenue="∞", profit="1.23456").items()}
    html = client.post(reverse("statistics:check", args=[P]), body).content.decode()
    assert "营业收入:「∞」不是有限的数字:请填写具体数值(单位:万元)" in html
    assert "利润总额:「1.23456」的小数位数过多:最多保留 4 位小数(单位:万元)" in html


def test_the_form_reads_figures_in_the_indicators_unit(client, w):
    client.force_login(w.enterprise)
    for code, value, stored in ACCEPTED:
        response = post(client, dict(GOOD, **{code: value}), action="save", version=_version(w))
        assert response.status_code == 302, (code, value)
        ret = Return.objects.get(enterprise=w.a1, period=KEY)
        assert ret.data[code] == stored, (code, value)


def _version(w):
    ret = Return.objects.filter(enterprise=w.a1, period=KEY).first()
    return ret.version if ret else 0


def test_the_input_has_no_maxlength_to_cut_a_long_paste(client, w):
    client.force_login(w.enterprise)
    html = client.get(reverse("statistics:fill", args=[P])).content.decode()
    field = html.split('name="v_output_value"', 1)[1].split(">", 1)[0]
    assert "maxlength" not in field
    long = "9" * 60
    html = post(client, dict(GOOD, output_value=long), action="save").content.decode()
    assert f'value="{long}"' in html  # shown whole, refused with the reason
    assert 'id="err-output_value">「99999999999999999999…」过长' in html


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "tail"), REFUSED)
def test_the_api_refuses_a_new_return_and_writes_nothing(w, api_as, typed, tail):
    count, audits = Return.objects.count(), AuditRecord.objects.count()
    body = {"period": P, "data": dict(GOOD, output_value=typed)}
    r = api_as("enterprise").post("/statistics/returns", body)
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [
        {"field": "data.output_value", "message": message_for(typed, tail)}
    ]
    assert (Return.objects.count(), AuditRecord.objects.count()) == (count, audits)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # JSON numbers: the API's own forms of the same mistakes
        ('{"output_value": 1e30}', "工业总产值:「1e+30」超出可填写的范围"),
        ('{"output_value": 12345678901234567890}', "工业总产值:「12345678901234567890」超出可填写"),
        ('{"output_value": 0.123456}', "工业总产值:「0.123456」的小数位数过多"),
        ('{"output_value": NaN}', "工业总产值:「nan」不是有限的数字"),
        ('{"output_value": Infinity}', "工业总产值:「inf」不是有限的数字"),
        ('{"output_value": -Infinity}', "工业总产值:「-inf」不是有限的数字"),
    ],
)
def test_the_api_refuses_json_numbers_it_cannot_store(w, api_as, raw, message):
    ret = draft(w)
    before, audits = row(ret), AuditRecord.objects.count()
    body = f'{{"version": {ret.version}, "data": {raw}}}'
    r = api_as("enterprise").patch(f"/statistics/returns/{ret.pk}", raw=body)
    assert r.status_code == 422, r.content
    [error] = r.json()["errors"]
    assert error["field"] == "data.output_value" and error["message"].startswith(message)
    assert (row(ret), AuditRecord.objects.count()) == (before, audits)


@pytest.mark.parametrize("value", [True, [1], {"v": 1}, "1\x00"])
def test_the_api_refuses_what_is_not_a_figure_at_all(w, api_as, value):
    ret = draft(w)
    before = row(ret)
    body = {"version": ret.version, "data": {"output_value": value}}
    r = api_as("enterprise").patch(f"/statistics/returns/{ret.pk}", body)
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == ["data.output_value"]
    assert row(ret) == before


def test_the_api_reads_figures_in_the_indicators_unit(w, api_as):
    ret = draft(w)
    client = api_as("enterprise")
    for code, typed, stored in ACCEPTED:
        current = Return.objects.get(pk=ret.pk)
        body = {"version": current.version, "data": {code: typed}}
        r = client.patch(f"/statistics/returns/{ret.pk}", body)
        assert r.status_code == 200, (code, typed, r.content)
        assert Return.objects.get(pk=ret.pk).data[code] == stored, (code, typed)
    r = client.patch(
        f"/statistics/returns/{ret.pk}",
        raw=json.dumps({"version": Return.objects.get(pk=ret.pk).version,
                        "data": {"output_value": -0.0, "revenue": 1234.5}}),
    )  # fmt: skip
    assert r.status_code == 200
    assert r.json()["data"]["output_value"] == 0 and r.json()["data"]["revenue"] == 1234.5
