"""The GB/T 4754 picker of a code filter (core.forms.IndustryPicker): the page writes only the
chosen code, and the picker searches the API's /industries (tests/api/test_core_api.py) as one
types, signed in by the page's session."""

import re

import pytest

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/industries"


def test_the_page_session_asks_the_api_as_the_picker_does(client, world):
    assert client.get(SEARCH, {"q": "显示器件"}).status_code == 401  # signed out
    client.force_login(world.enterprise)
    items = client.get(SEARCH, {"q": "显示器件"}).json()["items"]
    assert [(i["code"], i["name"]) for i in items] == [("3974", "显示器件制造")]
    assert client.get(SEARCH, {"q": "c"}).json()["items"][0]["code"] == "C"  # either case
    for q in ("\x00", "%", "😀", "' OR 1=1 --"):
        assert client.get(SEARCH, {"q": q}).status_code in (200, 422), q  # answered, never a 500


def test_the_registry_filter_writes_only_the_chosen_code(client, world):
    client.force_login(world.staff)

    def options(query) -> list[str]:
        html = client.get("/enterprises/", query).content.decode()
        select = re.search(r'<select name="industry".*?</select>', html, re.S).group()
        for attr in (
            'data-picker="1"',
            'data-search="/api/v1/industries"',
            'data-search-value="code"',
            'data-search-text="code name"',
        ):
            assert attr in select, attr
        return re.findall(r"<option[^>]*>[^<]*", select)

    chosen = '<option value="39" selected>39 计算机、通信和其他电子设备制造业'
    assert options({"industry": "39"}) == ['<option value="">全部行业', chosen]
    assert options({"industry": " c "}) == [
        '<option value="">全部行业',
        '<option value="C" selected>C 制造业',
    ]
    assert options({"industry": "zz'>"}) == ['<option value="">全部行业']  # no such code
    assert options({}) == ['<option value="" selected>全部行业']
