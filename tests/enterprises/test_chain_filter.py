"""The 产业链 filters offer industry chains only: the enterprise list's and the returns list's;
the enterprise API's `tag` still takes any visible tag (labels of every category)."""

import re

import pytest
from django.urls import reverse

from gaoxin.core.models import Tag
from gaoxin.enterprises.filters import EnterpriseFilter
from gaoxin.statistics.filters.returns import ReturnFilter
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(world):
    tag = TagFactory(zone=world.zone_a, name="以商招商", category=Tag.Category.SOURCE_CHANNEL)
    world.a2.tags.add(tag)
    TagFactory(zone=world.zone_b, name="乙区链", category=Tag.Category.INDUSTRY_CHAIN)
    return tag


def test_filters_offer_chains_of_the_zone_only(world, channel):
    for flt in (EnterpriseFilter(zone=world.zone_a), ReturnFilter(zone=world.zone_a)):
        offered = list(flt.filters["tag"].queryset.values_list("name", flat=True))
        assert offered == ["电子信息"], type(flt)


def test_list_page_shows_chains_and_refuses_a_channel_tag(client, world, channel):
    client.force_login(world.staff)
    url = reverse("enterprises:list")
    html = client.get(url).content.decode()
    # the tag select's own options (another select may hold an option with the same number)
    tag_select = re.search(r'<select name="tag".*?</select>', html, re.S).group(0)
    assert f'<option value="{world.tag_a.pk}">电子信息' in tag_select
    assert f'<option value="{channel.pk}"' not in tag_select
    html = client.get(url, {"tag": world.tag_a.pk}).content.decode()
    assert world.a1.name in html and world.a2.name not in html
    # a channel's id typed into the address: not a choice, the filter says so
    html = client.get(url, {"tag": channel.pk}).content.decode()
    assert 'aria-describedby="id_tag_error" aria-invalid="true"' in html


def test_api_tag_filter_still_takes_any_tag(api_as, world, channel):
    r = api_as("staff").get("/enterprises", tag=channel.pk)
    assert r.status_code == 200, r.content
    assert [e["name"] for e in r.json()["items"]] == [world.a2.name]
