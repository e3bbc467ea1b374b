"""The error shape for bad input across endpoints: never a 500, nothing written."""

import pytest

from tests.support.api import snapshot

pytestmark = pytest.mark.django_db


def test_malformed_json_is_400(world, api_as):
    r = api_as("staff").post("/enterprises", raw='{"name": ')
    assert r.status_code == 400
    assert r.json() == {"detail": "请求体不是合法的 JSON", "errors": []}


def test_huge_or_non_numeric_ids_are_404(world, api_as):
    api = api_as("admin")
    assert api.get("/enterprises/99999999999999999999").status_code == 404
    assert api.patch("/enterprises/99999999999999999999", {"version": 1}).status_code == 404
    assert api.get("/enterprises/abc").status_code == 404
    assert api.get("/enterprises/0").status_code == 404


@pytest.mark.parametrize(
    "method,path,body,params,field",
    [
        ("get", "/enterprises", None, {"q": "a\x00b"}, "q"),
        ("get", "/enterprises", None, {"zone": "Z\x00"}, "zone"),
        ("get", "/enterprises", None, {"status": ["operating", "\x00"]}, "status"),
        ("get", "/enterprises", None, {"tag": "99999999999999999999999"}, "tag"),
        ("get", "/industries", None, {"q": "a\x00"}, "q"),
        ("get", "/audit", None, {"actor": "a\x00"}, "actor"),
        ("post", "/auth/token", {"username": "a\x00", "password": "x"}, {}, "username"),
        (
            "post",
            "/enterprises",
            {"name": "a\x00", "uscc": "x", "industry_code": "3974"},
            {},
            "name",
        ),
        ("patch", "/enterprises/{a1}", {"version": 1, "address": "\x00"}, {}, "address"),
        ("patch", "/enterprises/{a1}", {"version": 1, "tags": ["\x00"]}, {}, "tags"),
        (
            "patch",
            "/enterprises/{a1}",
            {"version": 1, "contacts": [{"name": "\x00"}]},
            {},
            "contacts[0].name",
        ),
        ("delete", "/enterprises/{a2}", None, {"reason": "\x00"}, "reason"),
        (
            "post",
            "/enterprises/{a1}/status",
            {"status": "suspended", "on": "2024-01-01", "note": "\x00", "version": 1},
            {},
            "note",
        ),
    ],
)
def test_hostile_input_is_422_never_500(world, api_as, method, path, body, params, field):
    before = (snapshot(world.a1), snapshot(world.a2))
    path = path.format(a1=world.a1.pk, a2=world.a2.pk)
    r = api_as("admin").call(method, path, body, **params)
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert (snapshot(world.a1), snapshot(world.a2)) == before


def test_wrong_method_and_unknown_path_answer_in_the_error_shape(world, api_as):
    api = api_as("staff")
    r = api.call("put", f"/enterprises/{world.a1.pk}", {"name": "x"})
    assert r.status_code == 405
    assert r.json()["detail"].startswith("不支持 PUT 方法")
    assert set(r["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    r = api.get("/enterprise")
    assert r.status_code == 404
    assert r.json() == {"detail": "未找到该接口:/api/v1/enterprise", "errors": []}
