"""The zone's utilities pages: findings (marked by officers), the warning levels (zone admins),
companies and tariffs (admins add; bad prices are a message), the cockpit and its export."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.utilities.models import (
    Finding,
    Kind,
    Level,
    Tariff,
    TariffVersion,
    UtilityCompany,
    ZoneUtilitySettings,
)
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
D = datetime.date


def finding(world, enterprise=None, zone=None, **fields):
    return Finding.objects.create(
        zone=zone or world.zone_a, kind=fields.pop("kind", Finding.Kind.DROP),
        enterprise=enterprise or world.a1, detected_on=D(2026, 10, 1), expected=100,
        observed=20, change_percent=-80, **fields,
    )  # fmt: skip


def test_findings_list_the_zones_and_filter_by_kind_and_period(client, world):
    drop = finding(world)
    mismatch = finding(world, world.a2, kind=Finding.Kind.MISMATCH, period="2026-09")
    finding(world, world.c1, zone=world.zone_c)
    client.force_login(world.leader)
    response = client.get(reverse("utilities:findings"))
    records = [r.record for r in response.context["table"].page.object_list]
    assert set(records) == {drop, mismatch}
    assert 'action="' + reverse("utilities:finding_update", args=[drop.pk]) not in (
        response.content.decode()
    )  # a leader reads, does not mark
    response = client.get(reverse("utilities:findings"), {"kind": "mismatch", "period": "2026-09"})
    assert [r.record for r in response.context["table"].page.object_list] == [mismatch]


def test_an_officer_marks_a_finding_visited(client, world):
    item = finding(world)
    client.force_login(world.staff)
    url = reverse("utilities:finding_update", args=[item.pk])
    response = client.post(url, {"status": "visited", "note": "已走访,设备检修"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("visited", "已走访,设备检修")
    audit = AuditRecord.objects.filter(action=AuditRecord.Action.UPDATE).latest("pk")
    assert audit.message == "用量发现核实:已走访"
    client.post(url, {"status": "dismissed"})  # marked once
    item.refresh_from_db()
    assert item.status == "visited"


def test_a_finding_cannot_be_marked_open_again_or_with_a_long_note(client, world):
    item = finding(world)
    client.force_login(world.staff)
    url = reverse("utilities:finding_update", args=[item.pk])
    client.post(url, {"status": "open"})
    client.post(url, {"status": "dismissed", "note": "长" * 201})
    item.refresh_from_db()
    assert (item.status, item.note) == ("open", "")


def test_zone_admins_set_the_levels(client, world):
    client.force_login(world.zone_admin)
    url = reverse("utilities:settings")
    data = {"first_level_days": "10", "second_level_days": "4", "drop_percent": "40",
            "drop_days": "5", "mismatch_percent": "20"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    row = ZoneUtilitySettings.objects.get(zone=world.zone_a)
    assert (row.first_level_days, row.second_level_days, row.drop_percent) == (10, 4, 40)
    bad = client.post(url, {**data, "second_level_days": "12"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["second_level_days"]
    huge = client.post(url, {**data, "drop_percent": "1e30"})
    assert huge.status_code == 422
    assert ZoneUtilitySettings.objects.get(zone=world.zone_a).second_level_days == 4
    client.force_login(world.staff)
    assert client.get(url).status_code == 404


def test_admins_add_a_company(client, world):
    client.force_login(world.zone_admin)
    url = reverse("utilities:company_create")
    assert client.post(url, {"name": "甲高新区供电公司", "kind": "electricity"}).status_code == 302
    assert UtilityCompany.objects.filter(zone=world.zone_a, name="甲高新区供电公司").exists()
    again = client.post(url, {"name": "甲高新区供电公司", "kind": "water"})
    assert again.status_code == 422
    listed = client.get(reverse("utilities:companies")).content.decode()
    assert "甲高新区供电公司" in listed


def test_admins_add_a_tariff_with_its_first_version(client, world):
    client.force_login(world.zone_admin)
    url = reverse("utilities:tariff_create")
    data = {"name": "一般工商业单一制", "kind": "electricity", "structure": "single",
            "valid_from": "2026-01-01", "rates": '{"price": "0.6512"}', "note": "赣发改价格"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    tariff = Tariff.objects.get(zone=world.zone_a, name="一般工商业单一制")
    assert TariffVersion.objects.get(tariff=tariff).rates == {"price": "0.6512"}


@pytest.mark.parametrize(
    "rates, field",
    [("{price", "rates"), ("[1, 2]", "rates"), ('{"price": "-1"}', "rates")],
)
def test_bad_prices_are_a_message_and_nothing_is_added(client, world, rates, field):
    client.force_login(world.zone_admin)
    data = {"name": "坏价格", "kind": "electricity", "structure": "single",
            "valid_from": "2026-01-01", "rates": rates}  # fmt: skip
    response = client.post(reverse("utilities:tariff_create"), data)
    assert response.status_code == 422
    assert response.context["form"].errors
    assert not Tariff.objects.filter(name="坏价格").exists()


def test_a_new_tariff_version(client, world):
    tariff = u.tariff(world.zone_a)
    client.force_login(world.zone_admin)
    url = reverse("utilities:tariff_version_create", args=[tariff.pk])
    data = {"v-valid_from": "2026-11-01", "v-rates": '{"price": "0.70"}', "v-note": "代理购电"}
    assert client.post(url, data).status_code == 302
    assert tariff.versions.count() == 2


def test_the_cockpit_draws_its_figures_and_charts(client, world):
    u.account(world.a1, level=Level.SECOND, days_left=Decimal("1.0"))
    water = u.account(world.a2, Kind.WATER)
    u.readings(water, days=5, daily=Decimal("3"), start=datetime.date.today().replace(day=1))
    client.force_login(world.leader)
    response = client.get(reverse("utilities:cockpit"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="figure-band-red"' in body and 'id="figure-surprise"' in body
    for chart in ("chart-bands", "chart-warnings", "chart-electricity", "chart-consumption-water"):
        assert f'data-chart="{chart}"' in body
        raw = body.split(f'<script id="{chart}" type="application/json">')[1].split("</script>")[0]
        assert json.loads(raw)["series"]


def test_the_cockpit_reads_a_bounded_number_of_queries(client, world):
    client.force_login(world.leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("utilities:cockpit")).status_code == 200
        return len(captured)

    u.account(world.a1, level=Level.SECOND)
    queries()  # the session's and the menu's first reads
    few = queries()
    for n in range(6):
        acc = u.account(world.a2 if n % 2 else world.a1, Kind.WATER if n % 3 else Kind.GAS)
        u.readings(acc, days=3, start=datetime.date.today().replace(day=1))
    assert queries() == few


def test_the_cockpit_exports_to_xlsx(client, world):
    u.account(world.a1, level=Level.SECOND, days_left=Decimal("1.0"))
    client.force_login(world.staff)
    response = client.get(reverse("utilities:cockpit_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["概况", "用量", "用电量核对", "说明"]
    overview = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert (overview["在用账户"], overview["红色账户"], overview["意外停供"]) == (1, 1, 0)
    assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).count() == 1


def test_enterprise_users_and_partners_get_no_zone_pages(client, world):
    company = u.company(world.zone_a)
    partner = u.partner(company, username="power-zone")
    for user in (world.enterprise, partner):
        client.force_login(user)
        for name in ("accounts", "cockpit", "findings", "companies", "tariffs", "warnings"):
            assert client.get(reverse(f"utilities:{name}")).status_code == 404, name
