import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_success_and_failure_are_in_the_login_log(client, world):
    assert post_login(client, "staff", "nope").status_code == 200
    assert post_login(client, "staff", PASSWORD).status_code == 302
    log = list(AuditRecord.objects.filter(actor_name="staff").values_list("action", "zone__code"))
    assert log == [("login", "ZA"), ("login_failed", "ZA")]


def test_account_locks_after_repeated_failures_even_with_the_right_password(
    client, world, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "leader", "wrong-password")
    response = post_login(client, "leader", PASSWORD)
    assert response.status_code == 429
    assert "账号已被临时锁定" in response.content.decode()
    assert AuditRecord.objects.filter(actor_name="leader", action="locked").exists()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity(client, world):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    post_login(client, "staff", PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timedelta(minutes=29)  # renewed by activity
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 idle minutes
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_password_validators_demand_complexity(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefghijk", world.staff)
    assert "至少 3 类" in " ".join(exc.value.messages)
    validate_password("gaoxin-demo-2026", world.staff)


def test_logout_is_recorded(client, world):
    post_login(client, "staff", PASSWORD)
    client.post(reverse("logout"))
    assert AuditRecord.objects.filter(actor_name="staff", action="logout").count() == 1


def test_audit_rows_cannot_be_changed_or_deleted(world):
    from gaoxin.core.models.audit import AuditImmutableError

    rec = AuditRecord.objects.create(action="login", actor_name="x")
    with pytest.raises(AuditImmutableError):
        rec.save()
    with pytest.raises(AuditImmutableError):
        rec.delete()
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.all().update(message="x")
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.all().delete()
