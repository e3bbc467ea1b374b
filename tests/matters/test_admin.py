"""The matters in the Django admin: every model is shown (list and page, with the matter's
timeline), nothing is added, changed or deleted there, so nothing escapes the audit trail."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gaoxin.core.models import AuditRecord, User
from gaoxin.matters import catalogue, services
from gaoxin.matters import models as matters
from gaoxin.matters.models import Kind, Matter
from tests.factories import member

pytestmark = pytest.mark.django_db
MODELS = [
    matters.Matter,
    matters.Category,
    matters.ApprovalItem,
    matters.Appointment,
    matters.Meeting,
    matters.WorkingGroup,
    matters.Award,
    matters.Loan,
    matters.JobFair,
    matters.JobOffer,
    matters.Resumption,
]


@pytest.fixture
def root(world, client):
    user = member("platform_admin", username="root")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def matter(world):
    help_ = catalogue.standard(world.zone_a, Kind.HELP)
    return services.create_matter(
        world.enterprise, world.zone_a, kind=Kind.HELP, title="招工难", category=help_
    )


def test_every_model_is_registered_read_only():
    registered = {m for m in admin.site._registry if m._meta.app_label == "matters"}
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_lists_open_and_add_is_refused(client, root, matter, model):
    name = f"admin:matters_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403


def test_a_matter_is_shown_with_its_timeline_and_cannot_change(client, root, matter):
    url = reverse("admin:matters_matter_change", args=[matter.pk])
    html = client.get(url).content.decode()
    assert matter.number in html and "招工难" in html and "提出" in html
    assert 'name="_save"' not in html
    records = AuditRecord.objects.count()
    r = client.post(url, {"title": "改过的标题", "version": matter.version})
    assert r.status_code == 403
    delete = reverse("admin:matters_matter_delete", args=[matter.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:matters_matter_changelist")
    r = client.post(changelist, {"action": "delete_selected", "_selected_action": [matter.pk]})
    assert Matter.objects.get(pk=matter.pk).title == "招工难"
    assert AuditRecord.objects.count() == records
