"""The utilities' records in the Django admin: every model is shown (list and page), nothing is
added, changed or deleted there, so nothing escapes the services' rules and the audit trail."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from gaoxin.core.models import AuditRecord, User
from gaoxin.utilities import models as utilities
from tests.factories import member
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
MODELS = [
    utilities.UtilityCompany,
    utilities.Tariff,
    utilities.TariffVersion,
    utilities.ZoneUtilitySettings,
    utilities.Account,
    utilities.Batch,
    utilities.Reading,
    utilities.TopUp,
    utilities.Charge,
    utilities.CutOff,
    utilities.Warning,
    utilities.Finding,
]


@pytest.fixture
def root(world, client):
    user = member("platform_admin", username="root")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    return User.objects.get(pk=user.pk)


def test_every_model_is_registered_read_only():
    registered = {m for m in admin.site._registry if m._meta.app_label == "utilities"}
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_lists_open_and_add_is_refused(client, root, model):
    name = f"admin:utilities_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403


def test_an_account_is_shown_and_cannot_change_or_be_deleted(client, root, world):
    acc = u.account(world.a1, meter_no="ADMIN-1", balance=Decimal("88.00"))
    u.readings(acc, days=3)
    audits = AuditRecord.objects.count()
    url = reverse("admin:utilities_account_change", args=[acc.pk])
    assert "ADMIN-1" in client.get(url).content.decode()
    client.post(url, {"balance": "1000000", "meter_no": "X"})
    delete = reverse("admin:utilities_account_delete", args=[acc.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    acc.refresh_from_db()
    assert (acc.meter_no, acc.version, AuditRecord.objects.count()) == ("ADMIN-1", 1, audits)
    reading = utilities.Reading.objects.filter(account=acc).first()
    change = reverse("admin:utilities_reading_change", args=[reading.pk])
    client.post(change, {"index": "0"})
    assert utilities.Reading.objects.get(pk=reading.pk).index == reading.index
