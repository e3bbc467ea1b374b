"""The statistics records in the Django admin: listed and shown to the platform's admins, never
changed there (the services validate and audit every change)."""

import datetime

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from gaoxin.core.models import AuditRecord, User
from gaoxin.statistics import services
from gaoxin.statistics.models import (
    Deadline,
    Finding,
    Indicator,
    OfficialFigure,
    Reminder,
    Return,
    ReturnValue,
    Rollup,
    Rule,
)
from tests.factories import member

pytestmark = pytest.mark.django_db

MODELS = (Indicator, Rule, Return, Finding, OfficialFigure, Deadline, Reminder)


@pytest.fixture
def root(world, client):
    """A platform admin with access to the Django admin, signed in."""
    user = member("platform_admin", username="root")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    return user


@pytest.fixture
def records(world):
    """One row of each listed model."""
    for enterprise in (world.a1, world.a2):
        enterprise.above_scale = True
        enterprise.save()
    # Filled by an officer (代填): an enterprise could not submit it with findings standing.
    ret = services.return_for(world.staff, world.a1, "2019-02", create=True)
    ret = services.save_draft(
        world.staff, ret, data={"output_value": "1200", "revenue": "-5"}, version=1
    )
    services.submit(world.staff, ret, version=ret.version)
    services.set_deadline(world.staff, world.zone_a, "2019-03", datetime.date(2019, 4, 10))
    services.remind(world.staff, world.zone_a, "2019-02")
    services.save_official(
        world.staff, world.zone_a, indicator="industrial_value_added", period="2019-12",
        value="760000", yoy_pct="10.4", source="statistics",
    )  # fmt: skip
    assert all(model.objects.exists() for model in MODELS)


def url(model, action, *args):
    return reverse(f"admin:statistics_{model._meta.model_name}_{action}", args=args)


def test_every_record_is_listed_and_shown(client, root, records):
    for model in MODELS:
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200, model
        obj = model.objects.first()
        response = client.get(url(model, "change", obj.pk))
        assert response.status_code == 200, model
        assert 'name="_save"' not in response.content.decode(), model  # shown, not a form


def test_nothing_is_added_changed_or_deleted_there(client, root, records):
    before = AuditRecord.objects.count()
    ret = Return.objects.get()
    for model in MODELS:
        obj = model.objects.first()
        assert client.get(url(model, "add")).status_code == 403, model
        assert client.post(url(model, "add"), {}).status_code == 403, model
        assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
    response = client.post(url(Return, "change", ret.pk), {"status": "accepted"})
    assert response.status_code == 403
    response = client.post(
        url(Return, "changelist"), {"action": "delete_selected", "_selected_action": [ret.pk]}
    )
    assert Return.objects.get(pk=ret.pk).status == "submitted"
    assert AuditRecord.objects.count() == before


def test_the_derived_figures_are_not_in_the_admin():
    assert all(admin.site.is_registered(model) for model in MODELS)
    for model in (ReturnValue, Rollup):
        assert not admin.site.is_registered(model)
        with pytest.raises(NoReverseMatch):
            url(model, "changelist")


def test_people_without_the_admin_are_sent_to_sign_in(client, world, records):
    client.force_login(world.staff)
    response = client.get(url(Return, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
