"""Registry fields another module derives (enterprises.derived): the high-tech flag follows
innovation's valid certificates and can no longer be typed by the form, the API or an import."""

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.models import AuditRecord
from gaoxin.enterprises import derived, services
from gaoxin.enterprises.forms import EnterpriseForm
from gaoxin.enterprises.models import Enterprise
from tests.support.world import build_world

pytestmark = pytest.mark.django_db
MESSAGE = "高新技术企业由科技创新模块的有效证书决定,不能直接修改"


@pytest.fixture
def w():
    return build_world()


def test_innovation_registers_the_high_tech_flag():
    assert derived.fields() == {"high_tech": MESSAGE}


def test_register_refuses_a_field_the_registry_does_not_have():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        derived.register("no_such_field", "x")
    assert "no_such_field" not in derived.fields()


def test_an_edit_that_types_another_value_is_refused_and_nothing_changes(w):
    before = (w.a1.high_tech, w.a1.version, AuditRecord.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.update_enterprise(w.staff, w.a1.pk, {"high_tech": True}, version=w.a1.version)
    assert exc.value.message_dict == {"high_tech": [MESSAGE]}
    w.a1.refresh_from_db()
    assert (w.a1.high_tech, w.a1.version, AuditRecord.objects.count()) == before


def test_an_edit_that_sends_the_value_it_holds_passes(w):
    services.update_enterprise(
        w.staff, w.a1.pk, {"high_tech": False, "address": "新地址 1 号"}, version=w.a1.version
    )
    w.a1.refresh_from_db()
    assert (w.a1.high_tech, w.a1.address) == (False, "新地址 1 号")


def test_creating_an_enterprise_flagged_high_tech_is_refused(w):
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(
            w.staff, w.zone_a, name="新企业有限公司", uscc="", industry="3974", high_tech=True
        )
    assert exc.value.message_dict == {"high_tech": [MESSAGE]}
    assert not Enterprise.objects.filter(name="新企业有限公司").exists()


def test_the_form_shows_the_flag_read_only_with_where_it_comes_from(w):
    form = EnterpriseForm(zone=w.zone_a)
    assert form.fields["high_tech"].disabled is True
    assert form.fields["high_tech"].help_text == MESSAGE


def test_set_derived_changes_only_what_differs_and_audits_it_as_the_system(w):
    changed = derived.set_derived(
        "high_tech", {w.a1.pk: True, w.a2.pk: False}, message="按 2026-01-01 有效的证书更新"
    )
    assert changed == 1
    w.a1.refresh_from_db()
    assert (w.a1.high_tech, w.a1.version) == (True, 2)
    record = AuditRecord.objects.get(object_id=str(w.a1.pk), action="update")
    assert (record.actor_id, record.actor_name, record.before, record.after, record.message) == (
        None,
        "system",
        {"high_tech": False},
        {"high_tech": True, "version": 2},
        "按 2026-01-01 有效的证书更新",
    )


def test_set_derived_refuses_a_field_nobody_registered(w):
    with pytest.raises(ValueError):
        derived.set_derived("above_scale", {w.a1.pk: True}, message="x")


def test_the_api_refuses_the_flag_on_create_and_patch(world, api_as):
    r = api_as("staff").patch(
        f"/enterprises/{world.a1.pk}", {"high_tech": True, "version": world.a1.version}
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "high_tech", "message": MESSAGE}]
    world.a1.refresh_from_db()
    assert (world.a1.high_tech, world.a1.version) == (False, 1)
