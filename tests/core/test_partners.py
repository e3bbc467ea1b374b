"""A partner account (roles.PARTNER, a utility company's) reaches only the modules that declare
partner_access, and core's own sign-in, password and token pages: everything else answers 404, by
session and by bearer token alike, so it learns nothing of what exists (core.partners). The
access matrix asks every URL and operation as the `power` partner; this file tells why."""

import pytest
from django.urls import reverse

from gaoxin.core import modules, partners
from tests.factories import member
from tests.support.api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(world):
    return member("partner", username="partner_a", zone=world.zone_a)


def test_it_is_a_role_of_its_own_that_no_policy_of_core_names(world, partner):
    from gaoxin.core import roles
    from gaoxin.enterprises.models import Enterprise

    assert roles.PARTNER not in roles.GOVERNMENT
    assert partners.is_partner_only(partner) and not partners.is_partner_only(world.staff)
    assert not Enterprise.objects.restrict(partner).exists()


def test_the_other_modules_pages_answer_404_and_core_keeps_its_own(client, world, partner):
    client.force_login(partner)
    closed = [m for m in modules.installed() if m.url_prefix and not m.partner_access]
    assert closed, "every installed module but the partners' is closed to them"
    for module in closed:
        assert client.get("/" + module.url_prefix).status_code == 404, module.label
    assert client.get(reverse("enterprises:detail", args=[world.a1.pk])).status_code == 404
    assert client.get(reverse("audit")).status_code == 404
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("tokens")).status_code == 200


def test_its_home_is_its_modules_page(client, partner):
    client.force_login(partner)
    landing = partners.landing(partner)
    response = client.get(reverse("home"))
    if landing is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and response["Location"] == landing


def test_by_token_the_api_of_other_modules_answers_404_in_the_error_shape(client, world, partner):
    headers = {f"HTTP_{k.upper()}": v for k, v in bearer(partner).items()}
    response = client.get("/api/v1/enterprises", **headers)
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
    assert client.get(f"/api/v1/enterprises/{world.a1.pk}", **headers).status_code == 404
    assert client.get("/api/v1/me", **headers).json()["username"] == "partner_a"
    # The same door for a staff member is open.
    staff = {f"HTTP_{k.upper()}": v for k, v in bearer(world.staff).items()}
    assert client.get("/api/v1/enterprises", **staff).status_code == 200


def test_a_person_with_another_role_besides_is_not_held_at_the_door(client, world, partner):
    from gaoxin.core.models import Membership

    Membership.objects.create(
        user=partner, role="zone_staff", zone=world.zone_a, department=world.dept_a
    )
    client.force_login(partner)
    assert client.get(reverse("enterprises:list")).status_code == 200


def test_its_menu_holds_only_the_modules_open_to_it(partner):
    shown = {label for label, _item, _url in modules.menu_for(partner.roles())}
    assert shown == {m.label for m in modules.installed() if m.partner_access and m.menu}
