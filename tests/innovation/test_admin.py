"""The innovation records in the Django admin: every model is shown (list and page), nothing is
added, changed or deleted there, so nothing escapes the services' rules and the audit trail."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from gaoxin.core.models import AuditRecord, User
from gaoxin.innovation import models as innovation
from gaoxin.innovation import services
from tests.factories import member

pytestmark = pytest.mark.django_db
MODELS = [
    innovation.Certification,
    innovation.AnnualReport,
    innovation.Title,
    innovation.Target,
    innovation.Patent,
    innovation.SoftwareCopyright,
    innovation.Platform,
    innovation.Talent,
    innovation.Cooperation,
    innovation.CloudAdoption,
    innovation.AssessmentInput,
]


@pytest.fixture
def root(world, client):
    user = member("platform_admin", username="root")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    return User.objects.get(pk=user.pk)


def test_every_model_is_registered_read_only():
    registered = {m for m in admin.site._registry if m._meta.app_label == "innovation"}
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_lists_open_and_add_is_refused(client, root, model):
    name = f"admin:innovation_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403


def test_a_certificate_is_shown_and_cannot_change_or_be_deleted(client, root, world):
    cert = services.add_certification(
        world.staff, world.zone_a, enterprise=world.a1, kind="hightech", status="certified",
        number="GR202436000123", field="electronics", issued_on=datetime.date(2024, 12, 3),
    )  # fmt: skip
    audits = AuditRecord.objects.count()
    url = reverse("admin:innovation_certification_change", args=[cert.pk])
    assert "GR202436000123" in client.get(url).content.decode()
    client.post(url, {"status": "revoked"})
    delete = reverse("admin:innovation_certification_delete", args=[cert.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    cert.refresh_from_db()
    assert (cert.status, cert.version, AuditRecord.objects.count()) == ("certified", 1, audits)
