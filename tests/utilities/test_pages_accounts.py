"""The accounts' pages: the risk list (order, filters, export), an account's page (figures, the
forecast chart, the ledger), adding and editing an account (the stale-save check), 保电, a
correction, an enterprise user's own accounts and a utility company's partner page."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.utilities.models import Account, Batch, Charge, Kind, Level
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def accounts(world):
    """Zone A: a1's red electricity account, a2's yellow water one, a1's green gas one, a1's
    account without a forecast; zone C: c1's account."""
    return {
        "red": u.account(world.a1, meter_no="E-RED", level=Level.SECOND, days_left=Decimal("1.5")),
        "yellow": u.account(
            world.a2, Kind.WATER, meter_no="W-YEL", level=Level.FIRST, days_left=Decimal("6.0")
        ),  # fmt: skip
        "green": u.account(world.a1, Kind.GAS, meter_no="G-GRN", days_left=Decimal("45.0")),
        "none": u.account(world.a1, meter_no="E-NEW"),
        "other_zone": u.account(world.c1, meter_no="C-001", level=Level.SECOND),
    }


def shown(response) -> list[str]:
    return [row.record.meter_no for row in response.context["table"].page.object_list]


def test_the_risk_list_puts_red_first_then_the_fewest_days(client, world, accounts):
    protected = u.account(world.a2, meter_no="E-PROT", level=Level.SECOND,
                          days_left=Decimal("9.0"))  # fmt: skip
    assert protected.level == Level.SECOND  # a level kept above its days (e.g. set by hand)
    client.force_login(world.staff)
    response = client.get(reverse("utilities:accounts"))
    assert response.status_code == 200
    assert shown(response) == ["E-RED", "E-PROT", "W-YEL", "G-GRN", "E-NEW"]
    body = response.content.decode()
    assert 'class="badge text-bg-danger"' in body and "C-001" not in body


@pytest.mark.parametrize(
    "query, meters",
    [
        ({"band": "red"}, ["E-RED"]),
        ({"band": "yellow"}, ["W-YEL"]),
        ({"band": "green"}, ["G-GRN", "E-NEW"]),
        ({"kind": "electricity"}, ["E-RED", "E-NEW"]),
        ({"q": "w-yel"}, ["W-YEL"]),
        ({"q": "甲二"}, ["W-YEL"]),
        ({"protected": "false"}, ["E-RED", "W-YEL", "G-GRN", "E-NEW"]),
        ({"protected": "true"}, []),
    ],
)
def test_the_risk_list_filters(client, world, accounts, query, meters):
    client.force_login(world.staff)
    assert shown(client.get(reverse("utilities:accounts"), query)) == meters


def test_filters_by_company_and_enterprise(client, world, accounts):
    client.force_login(world.staff)
    company = accounts["yellow"].company_id
    assert shown(client.get(reverse("utilities:accounts"), {"company": company})) == ["W-YEL"]
    response = client.get(reverse("utilities:accounts"), {"enterprise": world.a2.pk})
    assert shown(response) == ["W-YEL"]


def test_a_filter_value_nobody_offers_is_422_not_500(client, world, accounts):
    client.force_login(world.staff)
    response = client.get(reverse("utilities:accounts"), {"band": "purple", "company": "x"})
    assert response.status_code == 422
    assert response.context["filter"].form.errors["band"]


def test_the_export_writes_what_the_list_shows(client, world, accounts):
    client.force_login(world.staff)
    response = client.get(reverse("utilities:accounts_export"), {"kind": "electricity"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    assert header[:4] == ["企业", "类别", "表号", "供应单位"]
    meters = [r[2] for r in rows[1:] if r[2]]
    assert meters == ["E-RED", "E-NEW"]
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).count() == 1


def test_an_account_page_shows_its_figures_ledger_and_forecast_chart(client, world):
    acc = u.account(world.a1, meter_no="E-CHART")
    u.readings(
        acc,
        days=28,
        daily=Decimal("100"),
        start=datetime.date.today() - datetime.timedelta(days=28),
    )  # noqa: E501
    u.topup(acc, Decimal("3000"), transaction_id="TX-PAGE")
    client.force_login(world.staff)
    response = client.get(reverse("utilities:account", args=[acc.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "TX-PAGE" in body and 'id="reading-table"' in body
    assert 'data-chart="chart-forecast"' in body
    options = json.loads(body.split('<script id="chart-forecast" type="application/json">')[1]
                         .split("</script>")[0])  # fmt: skip
    assert [s["type"] for s in options["series"]] == ["line"]
    assert len(options["xAxis"]["data"]) == 31  # today and the next 30 days
    costs = json.loads(body.split('<script id="chart-costs" type="application/json">')[1]
                       .split("</script>")[0])  # fmt: skip
    assert costs["series"][0]["type"] == "bar" and len(costs["xAxis"]["data"]) == 30
    assert "<script>" not in body  # charts are data, drawn by gaoxin.js


def test_the_enterprise_user_reads_its_own_account_only(client, world, accounts):
    client.force_login(world.enterprise)
    assert client.get(reverse("utilities:account", args=[accounts["red"].pk])).status_code == 200
    assert client.get(reverse("utilities:account", args=[accounts["yellow"].pk])).status_code == 404
    page = client.get(reverse("utilities:account", args=[accounts["red"].pk])).content.decode()
    assert 'id="edit-link"' not in page and 'id="protect-form"' not in page
    assert client.get(reverse("utilities:accounts")).status_code == 404


def test_mine_lists_the_enterprise_users_own_accounts(client, world, accounts):
    client.force_login(world.enterprise)
    response = client.get(reverse("utilities:mine"))
    assert [a.meter_no for a in response.context["accounts"]] == ["E-RED", "G-GRN", "E-NEW"]
    client.force_login(world.staff)
    assert client.get(reverse("utilities:mine")).status_code == 404


def test_the_partner_page_shows_its_companys_accounts_and_batches(client, world, accounts):
    company = accounts["red"].company
    user = u.partner(company, username="power-page")
    u.post(accounts["red"], days=3, actor=user)
    u.post(accounts["green"], days=3)  # an officer's batch of another company
    client.force_login(user)
    response = client.get(reverse("utilities:partner"))
    assert response.status_code == 200
    assert set(shown(response)) == {"E-RED", "E-NEW"}  # zone A's electricity company's
    [batch] = response.context["batches"]
    assert (batch.what, batch.written) == (Batch.What.READINGS, 4)
    assert client.get(reverse("utilities:account", args=[accounts["yellow"].pk])).status_code == 404
    client.force_login(world.staff)
    assert client.get(reverse("utilities:partner")).status_code == 404


def _account_data(world, **extra):
    tariff = u.tariff(world.zone_a)
    return {
        "enterprise": world.a2.pk, "kind": "electricity", "meter_no": "E-NEW-1",
        "company": u.company(world.zone_a).pk, "tariff": tariff.pk, "opened_on": "2026-03-01",
        **extra,
    }  # fmt: skip


def test_an_officer_adds_an_account(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("utilities:account_create"), _account_data(world))
    acc = Account.objects.get(meter_no="E-NEW-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("utilities:account", args=[acc.pk])
    assert (acc.enterprise, acc.opened_on) == (world.a2, D(2026, 3, 1))


def test_a_bad_account_comes_back_with_the_services_message(client, world):
    client.force_login(world.staff)
    water = u.company(world.zone_a, Kind.WATER)
    response = client.post(reverse("utilities:account_create"),
                           _account_data(world, company=water.pk))  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"].errors["company"] == ["供应单位的类别与账户不符"]
    assert not Account.objects.filter(meter_no="E-NEW-1").exists()


def test_an_absurd_capacity_is_a_message_not_a_500(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("utilities:account_create"),
                           _account_data(world, capacity_kva="1e30"))  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"].errors["capacity_kva"]


def test_editing_from_an_old_version_is_409_and_keeps_the_typing(client, world, accounts):
    acc = accounts["none"]
    client.force_login(world.staff)
    url = reverse("utilities:account_edit", args=[acc.pk])
    data = {"company": acc.company_id, "tariff": acc.tariff_id, "opened_on": "2026-01-01",
            "capacity_kva": "200", "version": acc.version}  # fmt: skip
    assert client.post(url, data).status_code == 302
    acc.refresh_from_db()
    assert (acc.capacity_kva, acc.version) == (Decimal("200.0"), 2)
    stale = client.post(url, {**data, "capacity_kva": "250"})  # still version 1
    assert stale.status_code == 409
    assert 'value="250"' in stale.content.decode()
    acc.refresh_from_db()
    assert acc.capacity_kva == Decimal("200.0")


def test_protect_needs_a_reason_and_saves_with_one(client, world, accounts):
    acc = accounts["red"]
    client.force_login(world.staff)
    url = reverse("utilities:account_protect", args=[acc.pk])
    client.post(url, {"protected": "on", "version": acc.version})
    acc.refresh_from_db()
    assert acc.protected is False
    response = client.post(url, {"protected": "on", "protected_reason": "医院", "version": 1},
                           follow=True)  # fmt: skip
    acc.refresh_from_db()
    assert (acc.protected, acc.protected_reason) == (True, "医院")
    body = response.content.decode()
    assert 'id="protected-badge"' in body and 'id="timeline"' in body


def test_a_correction_is_a_new_charge(client, world, accounts):
    acc = accounts["red"]
    topup = u.topup(acc, Decimal("100"), transaction_id="TX-WRONG")
    client.force_login(world.staff)
    url = reverse("utilities:account_correct", args=[acc.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": "100", "reason": "重复充值", "topup": topup.pk})
    assert response.status_code == 302
    charge = Charge.objects.get(account=acc)
    assert (charge.kind, charge.amount, charge.corrects_topup) == ("correction", 100, topup)
    acc.refresh_from_db()
    assert acc.balance == Decimal("0")


def test_a_correction_without_reason_or_amount_is_refused(client, world, accounts):
    client.force_login(world.staff)
    url = reverse("utilities:account_correct", args=[accounts["red"].pk])
    response = client.post(url, {"amount": "0", "reason": ""})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"amount", "reason"}
    response = client.post(url, {"amount": "1e30", "reason": "x"})
    assert response.status_code == 422
    assert not Charge.objects.exists()


def test_leaders_read_but_do_not_change(client, world, accounts):
    client.force_login(world.leader)
    acc = accounts["red"]
    assert client.get(reverse("utilities:account", args=[acc.pk])).status_code == 200
    assert client.get(reverse("utilities:account_edit", args=[acc.pk])).status_code == 404
    assert client.get(reverse("utilities:account_correct", args=[acc.pk])).status_code == 404
    assert client.get(reverse("utilities:account_create")).status_code == 404


def test_the_menu_opens_each_roles_own_page(world):
    from gaoxin.core import modules, roles

    def entry(*held):
        found = [url for label, _item, url in modules.menu_for(set(held)) if label == "utilities"]
        return found[0] if found else None

    assert entry(roles.ZONE_STAFF) == entry(roles.ZONE_LEADER) == "utilities:accounts"
    assert entry(roles.PROVINCE_VIEWER) == "utilities:accounts"
    assert entry(roles.ENTERPRISE_USER) == "utilities:mine"
    assert entry(roles.PARTNER) == "utilities:partner"
