"""A commitment's rules, in the service (so pages, API and importer obey them alike): no deadline
before the project's signing date, no empty commitment; money typed as the importer reads it; the
form's own errors and the rules' shown together."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from gaoxin.investment import services
from gaoxin.investment.importers import import_projects
from gaoxin.investment.models import Commitment
from tests.support.api import Api, bearer
from tests.support.ledger_import import row, workbook
from tests.support.spreadsheets import errors

pytestmark = pytest.mark.django_db
D = datetime.date
EMPTY = "投资承诺为空:请至少填写一项承诺的金额、期限、用地、用工或备注"


def before_signing(what: str, due: str, signed: str = "2019-03-10") -> str:
    return f"{what}({due})不能早于项目签约日期({signed})"


def stored(project):
    c = Commitment.objects.filter(project=project).first()
    return None if c is None else (c.version, c.investment, c.funds_by, c.start_by, c.note)


def field_error(html, name) -> str:
    match = re.search(rf'id="err-{name}">(.*?)</div>', html, re.S)
    assert match, f"no error block for {name}"
    return match.group(1).strip()


def post(client, user, project, data):
    client.force_login(user)
    return client.post(reverse("investment:project_commitment", args=[project.pk]), data)


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "what"),
    [("funds_by", "资金到位期限"), ("start_by", "开工期限"), ("production_by", "投产期限")],
)
def test_no_deadline_before_the_signing_date(pipeline, field, what):
    p = pipeline.p_ent  # signed 2018-05-01, no commitment yet
    with pytest.raises(ValidationError) as exc:
        services.save_commitment(pipeline.world.admin, p, {"jobs": 100, field: D(2018, 4, 30)})
    assert exc.value.message_dict == {field: [before_signing(what, "2018-04-30", "2018-05-01")]}
    assert stored(p) is None


def test_deadlines_on_the_signing_date_are_accepted(pipeline):
    p = pipeline.p_ent
    day = D(2018, 5, 1)
    c = services.save_commitment(
        pipeline.world.admin, p, {"funds_by": day, "start_by": day, "production_by": day}
    )
    assert (c.funds_by, c.start_by, c.production_by) == (day, day, day)


def test_every_deadline_before_signing_is_reported_at_once(pipeline):
    p = pipeline.p_signed  # signed 2019-03-10, commitment version 1
    before = stored(p)
    data = {"funds_by": D(2019, 1, 31), "start_by": D(2019, 2, 28), "investment": Decimal("1")}
    with pytest.raises(ValidationError) as exc:
        services.save_commitment(pipeline.world.admin, p, data, version=1)
    assert exc.value.message_dict == {
        "funds_in_place": ["承诺到位资金不能超过承诺投资"],
        "funds_by": [before_signing("资金到位期限", "2019-01-31")],
        "start_by": [before_signing("开工期限", "2019-02-28")],
    }
    assert stored(p) == before


def test_an_empty_commitment_is_refused(pipeline):
    p = pipeline.p_ent
    with pytest.raises(ValidationError) as exc:
        services.save_commitment(pipeline.world.admin, p, {"note": "  ", "investment": None})
    assert exc.value.message_dict == {NON_FIELD_ERRORS: [EMPTY]}
    assert stored(p) is None


def test_emptying_a_stored_commitment_is_refused(pipeline):
    p = pipeline.p_signed
    before = stored(p)
    cleared = dict.fromkeys(services.COMMITMENT_FIELDS)
    with pytest.raises(ValidationError) as exc:
        services.save_commitment(pipeline.world.admin, p, cleared, version=1)
    assert exc.value.message_dict == {NON_FIELD_ERRORS: [EMPTY]}
    assert stored(p) == before


def test_a_commitment_of_a_note_alone_is_kept(pipeline):
    c = services.save_commitment(
        pipeline.world.admin, pipeline.p_ent, {"note": "口头承诺,待补协议"}
    )
    assert (c.note, c.investment) == ("口头承诺,待补协议", None)


# --- the page ------------------------------------------------------------------------------------

FORM = {"investment": "", "funds_in_place": "", "funds_by": "", "start_by": "", "jobs": ""}


def test_page_refuses_a_deadline_before_signing_on_its_field(client, pipeline):
    p = pipeline.p_ent
    r = post(client, pipeline.world.staff, p, {**FORM, "start_by": "2018-04-01"})
    assert r.status_code == 422
    html = r.content.decode()
    assert field_error(html, "start_by") == before_signing("开工期限", "2018-04-01", "2018-05-01")
    assert stored(p) is None


def test_page_refuses_an_empty_commitment_above_the_form(client, pipeline):
    p = pipeline.p_ent
    r = post(client, pipeline.world.staff, p, FORM)
    assert r.status_code == 422
    alert = re.search(r'id="form-errors">(.*?)</div>\s*</div>', r.content.decode(), re.S).group(1)
    assert EMPTY in alert
    assert stored(p) is None


def test_page_shows_parse_and_rule_errors_together(client, pipeline):
    p = pipeline.p_signed
    before = stored(p)
    data = {**FORM, "version": "1", "annual_tax": "很多", "investment": "1万",
            "funds_in_place": "2万", "funds_by": "2019-01-31", "start_by": "2019-02-28"}  # fmt: skip
    r = post(client, pipeline.world.staff, p, data)
    assert r.status_code == 422
    html = r.content.decode()
    assert field_error(html, "annual_tax").startswith("无法识别的金额「很多」")
    assert field_error(html, "funds_in_place") == "承诺到位资金不能超过承诺投资"
    assert field_error(html, "funds_by") == before_signing("资金到位期限", "2019-01-31")
    assert field_error(html, "start_by") == before_signing("开工期限", "2019-02-28")
    assert stored(p) == before


def test_page_reads_amounts_like_the_importer(client, pipeline):
    p = pipeline.p_ent
    data = {**FORM, "investment": "1.5亿", "funds_in_place": "５，０００万", "funds_by": "2019-12-31",
            "annual_output": " 3,000,000元 ", "annual_tax": "12.5"}  # fmt: skip
    r = post(client, pipeline.world.staff, p, data)
    assert r.status_code == 302, r.content.decode()
    c = Commitment.objects.get(project=p)
    assert (c.investment, c.funds_in_place, c.annual_output, c.annual_tax) == (
        Decimal("15000"),
        Decimal("5000"),
        Decimal("300"),
        Decimal("12.5"),
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "无法识别的金额「1e30」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("NaN", "无法识别的金额「NaN」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("-3万", "金额不能为负数"),
        ("1亿亿", "无法识别的金额「1亿亿」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("100000000亿", "金额过大:不能超过 12 位整数(单位:万元),请确认单位"),
    ],
)
def test_page_refuses_wrong_amounts_with_a_message(client, pipeline, typed, message):
    r = post(client, pipeline.world.staff, pipeline.p_ent, {**FORM, "investment": typed})
    assert r.status_code == 422
    assert field_error(r.content.decode(), "investment") == message
    assert stored(pipeline.p_ent) is None


def test_commitment_form_marks_nothing_required_and_shows_money_help(client, pipeline):
    client.force_login(pipeline.world.staff)
    url = reverse("investment:project_commitment", args=[pipeline.p_signed.pk])
    html = client.get(url).content.decode()
    assert 'class="text-danger">*</span>' not in html  # every promise is optional
    assert "单位:万元;也可写 1.2亿、500万" in html
    assert re.search(r'name="investment" value="150000"', html)


# --- the API and the importer -------------------------------------------------------------------


def test_api_refuses_a_deadline_before_signing(pipeline, client):
    api = Api(client, bearer(pipeline.world.zone_admin))
    p = pipeline.p_ent
    r = api.call("put", f"/investment/projects/{p.pk}/commitment", {"production_by": "2018-01-01"})
    assert r.status_code == 422, r.content
    assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [
        ("production_by", before_signing("投产期限", "2018-01-01", "2018-05-01"))
    ]
    assert stored(p) is None


def test_api_refuses_an_empty_commitment(pipeline, client):
    api = Api(client, bearer(pipeline.world.zone_admin))
    p = pipeline.p_ent
    r = api.call("put", f"/investment/projects/{p.pk}/commitment", {})
    assert r.status_code == 422, r.content
    assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [("", EMPTY)]
    assert stored(p) is None


def test_importer_refuses_a_deadline_before_signing_on_its_cell(world, tmp_path):
    rows = [row(1, 签约日期="2019-05-06", 开工期限="2019-05-01", 承诺投资="1亿")]
    result = import_projects(world.zone_admin, world.zone_a, workbook(tmp_path, rows))
    assert errors(result) == [
        (2, "开工期限", "2019-05-01", before_signing("开工期限", "2019-05-01", "2019-05-06"))
    ]
    assert not Commitment.objects.exists()


def test_page_shows_every_field_of_the_services_refusal(client, pipeline):
    """The form parses; the service refuses on three fields: all three are shown."""
    p = pipeline.p_signed
    before = stored(p)
    data = {**FORM, "version": "1", "investment": "1万", "funds_in_place": "2万",
            "funds_by": "2019-01-31", "start_by": "2019-02-28"}  # fmt: skip
    r = post(client, pipeline.world.staff, p, data)
    assert r.status_code == 422
    html = r.content.decode()
    assert field_error(html, "funds_in_place") == "承诺到位资金不能超过承诺投资"
    assert field_error(html, "funds_by") == before_signing("资金到位期限", "2019-01-31")
    assert field_error(html, "start_by") == before_signing("开工期限", "2019-02-28")
    assert 'id="form-errors"' not in html
    assert stored(p) == before
