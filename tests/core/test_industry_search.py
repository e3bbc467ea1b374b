"""The GB/T 4754 picker of a code filter (core.forms.IndustryPicker): the page writes only the
chosen code, and `core:industry_search` answers the codes as one types: by code prefix (a
section letter, digits) or a fragment of the name, in code order."""

import re

import pytest

pytestmark = pytest.mark.django_db
URL = "/industries/search/"


def found(client, q) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [row["value"] for row in response.json()["results"]]


def test_codes_by_prefix_or_name_fragment_in_code_order(client, world):
    client.force_login(world.staff)
    assert found(client, "3974") == ["3974"]
    assert found(client, "397")[:3] == ["397", "3971", "3972"]
    assert found(client, "c")[0] == "C"  # a section letter, either case
    assert "3974" in found(client, "显示器件")
    rows = client.get(URL, {"q": "显示器件"}).json()["results"]
    assert {"value": "3974", "text": "3974 显示器件制造"} in rows
    first = found(client, "")
    assert len(first) == 50 and first[:3] == ["01", "011", "0111"]  # the list's first page


def test_odd_text_is_answered_and_no_one_signed_out_is(client, world):
    assert client.get(URL, {"q": "39"}).status_code == 302  # to the sign-in page
    client.force_login(world.enterprise)
    for q in ("\x00", "%", "_" * 500, "😀", "' OR 1=1 --", "3" * 300):
        assert client.get(URL, {"q": q}).status_code == 200
    assert found(client, "%") == [] and found(client, "_") == []


def test_the_registry_filter_writes_only_the_chosen_code(client, world):
    client.force_login(world.staff)

    def options(query) -> list[str]:
        html = client.get("/enterprises/", query).content.decode()
        select = re.search(r'<select name="industry".*?</select>', html, re.S).group()
        assert 'data-picker="1" data-search="/industries/search/"' in select
        return re.findall(r"<option[^>]*>[^<]*", select)

    chosen = '<option value="39" selected>39 计算机、通信和其他电子设备制造业'
    assert options({"industry": "39"}) == ['<option value="">全部行业', chosen]
    assert options({"industry": " c "}) == [
        '<option value="">全部行业',
        '<option value="C" selected>C 制造业',
    ]
    assert options({"industry": "zz'>"}) == ['<option value="">全部行业']  # no such code
    assert options({}) == ['<option value="" selected>全部行业']
