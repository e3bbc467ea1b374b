"""/account/tokens/: a person issues a token tied to this session, sees their live tokens only,
and revokes them; signing out revokes the session's tokens."""

import pytest
from django.test import Client
from django.urls import reverse

from gaoxin.core.models import ApiToken, AuditRecord

pytestmark = pytest.mark.django_db


def bearer_me(key):
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code


def test_issue_list_and_revoke_from_the_page(client, world):
    client.force_login(world.staff)
    html = client.post(reverse("tokens"), {"name": "统计报表脚本"}).content.decode()
    token = ApiToken.objects.get(user=world.staff)
    key = html.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    assert ApiToken.hash(key) == token.key_hash
    assert (token.name, token.session_key) == ("统计报表脚本", client.session.session_key)
    assert bearer_me(key) == 200

    ApiToken.issue(world.leader)  # someone else's: not listed, not revocable here
    page = client.get(reverse("tokens")).content.decode()
    assert page.count("/revoke/") == 1 and "统计报表脚本" in page

    other = ApiToken.objects.get(user=world.leader)
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None

    r = client.post(reverse("token_revoke", args=[token.pk]))
    assert r.status_code == 302
    assert bearer_me(key) == 401
    assert AuditRecord.objects.get(action="token_revoke").actor == world.staff


def test_signing_out_revokes_the_page_s_tokens(client, world):
    client.force_login(world.staff)
    html = client.post(reverse("tokens"), {"name": "临时"}).content.decode()
    key = html.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    client.post(reverse("logout"))
    assert bearer_me(key) == 401


@pytest.mark.parametrize("name", ["", " ", "x" * 101, "a\x00b"])
def test_a_bad_name_issues_nothing(client, world, name):
    client.force_login(world.staff)
    r = client.post(reverse("tokens"), {"name": name})
    assert r.status_code == 200
    assert "请填写令牌用途" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_a_zone_admin_sees_and_revokes_their_people_s_tokens_and_resets_their_2fa(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.staff, name="totp", confirmed=True)
    token, key = ApiToken.issue(world.staff, name="报表脚本")
    client.force_login(world.zone_admin)
    page = client.get(reverse("people:detail", args=[world.staff.pk])).content.decode()
    assert "报表脚本" in page and 'id="reset-otp"' in page

    r = client.post(reverse("people:token_revoke", args=[world.staff.pk, token.pk]))
    assert r.status_code == 302
    assert bearer_me(key) == 401
    rec = AuditRecord.objects.get(action="token_revoke")
    assert (rec.actor, rec.message) == (world.zone_admin, "管理员撤销")


@pytest.mark.parametrize("role", ["staff", "leader", "enterprise", "province"])
def test_nobody_else_revokes_a_person_s_token(client, world, role):
    other = world.leader if role == "staff" else world.staff
    token, key = ApiToken.issue(other)
    client.force_login(world.users[role])
    r = client.post(reverse("people:token_revoke", args=[other.pk, token.pk]))
    assert r.status_code == 404
    assert bearer_me(key) == 200
    assert not AuditRecord.objects.filter(action="token_revoke").exists()


def test_another_zone_s_admin_cannot_revoke(client, world):
    from tests.factories import member

    b_admin = member("zone_admin", username="b_admin", zone=world.zone_b)
    token, key = ApiToken.issue(world.staff)
    client.force_login(b_admin)
    r = client.post(reverse("people:token_revoke", args=[world.staff.pk, token.pk]))
    assert r.status_code == 404
    assert bearer_me(key) == 200
