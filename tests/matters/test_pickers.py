"""Pickers over the zone's enterprises (hundreds of them) are searchable (`data-picker`, Tom
Select): the matters list filter, the findings filter and the forms that choose an enterprise or
a project; an enterprise user's pages keep no enterprise picker."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def select(html, name):
    found = re.search(rf'<select name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


@pytest.mark.parametrize(
    "url, names",
    [
        ("matters:list", ("enterprise",)),
        ("statistics:findings", ("enterprise",)),
        ("matters:create", ("enterprise", "project")),
        ("matters:group_create", ("enterprises",)),
        ("matters:award_create", ("enterprise",)),
    ],
)
def test_enterprise_and_project_pickers_are_searchable(client, world, url, names):
    client.force_login(world.zone_admin)
    html = client.get(reverse(url)).content.decode()
    for name in names:
        assert "data-picker" in select(html, name), (url, name)


def test_enterprise_users_get_no_enterprise_picker(client, world):
    client.force_login(world.enterprise)
    html = client.get(reverse("statistics:findings")).content.decode()
    assert '<select name="enterprise"' not in html
