"""Nothing typed is lost when the session ends mid-form (core KeepTypedFormMiddleware): the post
made after expiry leads to the login page, which says the input is kept; after signing in, the
same page carries the typed values (never passwords) once, for the page's script to fill in."""

import json
import re

import pytest
from django.urls import reverse

from gaoxin.core.middleware import KeepTypedFormMiddleware

pytestmark = pytest.mark.django_db
KEY = KeepTypedFormMiddleware.SESSION_KEY


def kept_on_page(html: str):
    found = re.search(r'<script id="gx-kept-form" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else None


def test_a_form_posted_after_expiry_is_filled_in_again_after_signing_in(client, world):
    edit = reverse("enterprises:edit", args=[world.a1.pk])
    client.force_login(world.staff)
    client.logout()  # the session ends while the form is open
    typed = {"name": "甲一新材料有限公司(改)", "address": "赣江大道 8 号", "new_password1": "x"}
    response = client.post(edit, typed)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login_page = client.get(response["Location"]).content.decode()
    assert "您刚才填写的内容已保留" in login_page

    client.force_login(world.staff)  # signing in keeps the session's data (a new key)
    html = client.get(edit).content.decode()
    assert kept_on_page(html) == {"name": [typed["name"]], "address": [typed["address"]]}
    assert 'id="kept-form-notice"' in html
    # Once: the next visit shows the page as it is.
    assert kept_on_page(client.get(edit).content.decode()) is None
    # Nothing was written by the expired post.
    world.a1.refresh_from_db()
    assert world.a1.name != typed["name"]


def test_only_that_page_gets_it_back(client, world):
    edit = reverse("enterprises:edit", args=[world.a1.pk])
    client.post(edit, {"name": "某企业"})
    client.force_login(world.staff)
    assert kept_on_page(client.get(reverse("enterprises:list")).content.decode()) is None
    assert kept_on_page(client.get(edit).content.decode()) == {"name": ["某企业"]}


def test_a_signed_in_post_and_an_oversized_one_are_not_kept(client, world):
    edit = reverse("enterprises:edit", args=[world.a1.pk])
    client.post(edit, {"name": "x" * (KeepTypedFormMiddleware.MAX_CHARS + 1)})
    assert KEY not in client.session
    client.force_login(world.staff)
    client.post(edit, {"name": ""})  # a page error, not an expiry
    assert KEY not in client.session


def test_a_field_check_after_expiry_is_neither_kept_nor_followed(client, world):
    """The field check htmx sends when the person leaves a field races their own submit: it must
    not take the kept typing to its own path, nor swap the login page into the field's message."""
    check = reverse("enterprises:validate")
    response = client.post(
        check, {"field": "address", "address": "赣江大道 8 号"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204 and "HX-Redirect" not in response
    assert KEY not in client.session


def test_a_part_fetched_after_expiry_sends_the_page_to_sign_in(client, world):
    response = client.get(
        reverse("enterprises:list"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/enterprises/?page=2",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fenterprises%2F%3Fpage%3D2"
