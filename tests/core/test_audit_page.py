import io

import openpyxl
import pytest
from django.urls import reverse

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_zone_admin_sees_and_exports_only_their_zone(client, world):
    audit.record(
        world.staff,
        AuditRecord.Action.UPDATE,
        world.a1,
        before={"name": "旧"},
        after={"name": "新"},
    )
    audit.record(world.admin, AuditRecord.Action.UPDATE, world.b1, before={}, after={"x": 1})
    client.force_login(world.zone_admin)
    html = client.get(reverse("audit")).content.decode()
    assert world.a1.name in html and world.b1.name not in html
    response = client.get(reverse("audit"), {"export": "xlsx", "actor": "staff"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("时间", "操作人", "动作")
    assert [(r[1], r[2], r[4], r[5]) for r in rows[1:]] == [
        ("staff", "修改", world.a1.name, "企业名称: 旧 → 新")
    ]


def test_login_log_filter(client, world):
    audit.record(world.staff, AuditRecord.Action.LOGIN, world.staff, zone=world.zone_a)
    audit.record(world.staff, AuditRecord.Action.UPDATE, world.a1)
    client.force_login(world.zone_admin)
    response = client.get(reverse("audit"), {"login_log": "true"})
    table = response.context["table"]
    # the staff login and the zone admin's own (force_login signals it too); no update
    assert sorted((r.actor_name, r.action) for r in table.data) == [
        ("staff", "login"),
        ("zone_admin", "login"),
    ]
