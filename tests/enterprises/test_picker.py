"""The enterprise pickers: a select of enterprises writes only the chosen option (not the zone's
every enterprise) and searches `enterprises:search` as one types; the search answers what the
user may see in the zone they work in, matched by the registry's search, best first."""

import pytest

from gaoxin.core.forms import SearchedSelect, style_form
from gaoxin.matters.filters import MatterFilter
from gaoxin.matters.models import Matter
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
URL = "/enterprises/search/"


def results(client, q) -> list[str]:
    r = client.get(URL, {"q": q})
    assert r.status_code == 200
    return [row["text"] for row in r.json()["results"]]


def test_the_search_ranks_exact_and_prefix_first_within_what_the_user_sees(client, world):
    EnterpriseFactory(zone=world.zone_a, name="光电")
    EnterpriseFactory(zone=world.zone_a, name="光电科技有限公司")
    EnterpriseFactory(zone=world.zone_a, name="赣虹光电有限公司")
    EnterpriseFactory(zone=world.zone_b, name="乙光电有限公司")  # another zone
    client.force_login(world.staff)
    assert results(client, "光电") == ["光电", "光电科技有限公司", "赣虹光电有限公司"]
    assert results(client, world.a1.uscc[:17]) == [world.a1.name]
    assert len(results(client, "")) == 5  # a1, a2 and the three above: by name
    client.force_login(world.enterprise)
    assert results(client, "") == [world.a1.name]  # their own only
    assert results(client, "光电") == []


def test_odd_text_is_answered_not_refused(client, world):
    client.force_login(world.staff)
    for q in ("\x00", "%", "_" * 500, "😀😀", "' OR 1=1 --"):
        assert client.get(URL, {"q": q}).status_code == 200


def test_a_filter_writes_the_chosen_enterprise_only_and_points_at_the_search(world):
    for n in range(30):
        EnterpriseFactory(zone=world.zone_a, name=f"甲{n:02d}号公司")
    flt = MatterFilter(
        {"enterprise": str(world.a2.pk)}, queryset=Matter.objects.none(), zone=world.zone_a
    )
    style_form(flt.form)
    field = flt.form["enterprise"]
    assert isinstance(field.field.widget, SearchedSelect)
    html = str(field)
    assert f'value="{world.a2.pk}" selected' in html and world.a2.name in html
    assert html.count("<option") == 2  # the empty choice and the chosen one, not 32
    assert 'data-search="/enterprises/search/"' in html
    assert flt.form.is_valid()
