"""Integers and dates in, across the API (issue 11, item 7): every integer parameter and field is
bounded (SQLite raised OverflowError, a 500, for an id filter of 2**63), an id in the path that no
row can have reads as missing, and a date is only YYYY-MM-DD (pydantic read 0 as 1970-01-01)."""

import pytest

from gaoxin.api import api
from gaoxin.core.models import AuditRecord
from gaoxin.investment.models import Campaign

pytestmark = pytest.mark.django_db

HUGE = 2**63
DATE_MESSAGE = "日期格式应为 YYYY-MM-DD"


def inputs(schema):
    """(where, schema) of every parameter and request-body property, $refs followed."""
    components = schema["components"]["schemas"]

    def walk(node, where, seen=()):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                yield from walk(components[name], where, (*seen, name))
            return
        yield where, node
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                yield from walk(option, where, seen)
        if "items" in node:
            yield from walk(node["items"], f"{where}[]", seen)
        for name, prop in node.get("properties", {}).items():
            yield from walk(prop, f"{where}.{name}", seen)
        if isinstance(node.get("additionalProperties"), dict):
            yield from walk(node["additionalProperties"], f"{where}{{}}", seen)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for p in operation.get("parameters", []):
                yield from walk(p["schema"], f"{method} {path} {p['in']}:{p['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                yield from walk(content["schema"], f"{method} {path} body")


def test_every_integer_input_is_bounded_and_every_date_is_iso():
    """The central check: an endpoint added with a bare `int` or `datetime.date` fails here; use
    core.api's Id, PathId, Int, Count and IsoDate."""
    unbounded, loose_dates = [], []
    for where, node in inputs(api.get_openapi_schema()):
        if node.get("type") == "integer" and not (
            node.get("minimum", -(2**64)) >= -(2**63) and node.get("maximum", 2**64) < 2**63
        ):
            unbounded.append(where)
        if node.get("format") in ("date", "date-time") and "pattern" not in node:
            loose_dates.append(where)
    assert unbounded == []
    assert loose_dates == []


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("/statistics/findings", {"enterprise": HUGE}, "enterprise"),
        ("/statistics/returns", {"enterprise": HUGE}, "enterprise"),
        ("/statistics/returns", {"enterprise": -HUGE}, "enterprise"),
        ("/enterprises", {"page": 10**26}, "page"),
        ("/enterprises", {"page_size": HUGE}, "page_size"),
        ("/matters", {"page": -HUGE}, "page"),
        ("/investment/projects", {"page_size": 2**31}, "page_size"),
        ("/audit", {"page": HUGE}, "page"),
        ("/statistics/official", {"page": HUGE}, "page"),
    ],
)
def test_a_huge_integer_in_the_query_is_422(world, api_as, path, params, field):
    r = api_as("admin").get(path, **params)
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_a_huge_integer_in_the_body_is_422_and_writes_nothing(world, api_as):
    audit = AuditRecord.objects.count()
    body = {"zone": "ZA", "name": "百日招商", "start": "2024-01-01", "end": "2024-03-31"}
    api = api_as("zone_admin")
    r = api.post("/investment/campaigns", {**body, "target_projects": 2**31})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "target_projects", "message": "应不大于 2147483647"}]
    r = api.post("/investment/campaigns", {**body, "target_large": -1})
    assert r.status_code == 422, r.content
    assert (Campaign.objects.count(), AuditRecord.objects.count()) == (0, audit)


def test_a_huge_version_is_422_and_changes_nothing(world, api_as):
    version = world.a1.version
    r = api_as("admin").patch(f"/enterprises/{world.a1.pk}", {"version": HUGE, "address": "x"})
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == ["version"]
    world.a1.refresh_from_db()
    assert (world.a1.version, world.a1.address) == (version, "")


@pytest.mark.parametrize("pk", [HUGE, 10**30, 0])
def test_an_id_in_the_path_no_row_can_have_is_404(world, api_as, pk):
    api = api_as("admin")
    for path in ("/enterprises", "/matters", "/statistics/returns", "/investment/campaigns"):
        r = api.get(f"{path}/{pk}")
        assert r.status_code == 404, (path, r.content)
        assert set(r.json()) == {"detail", "errors"}
    assert api.delete(f"/assistance/awards/{HUGE}", reason="x").status_code == 404


@pytest.mark.parametrize(
    "value", ["0", "1700000000", "2024-01-01T00:00:00", "20240101", "2024-1-1"]
)
@pytest.mark.parametrize(
    "path,field",
    [
        ("/audit", "date_from"),
        ("/matters", "created_from"),
        ("/investment/summary", "start"),
        ("/investment/projects", "end"),
        ("/assistance/awards", "start"),
    ],
)
def test_a_date_in_the_query_is_only_yyyy_mm_dd(world, api_as, path, field, value):
    r = api_as("admin").get(path, **{field: value})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": field, "message": DATE_MESSAGE}]


@pytest.mark.parametrize("value", [0, "0", 1700000000, "1700000000.5"])
def test_a_date_in_the_body_is_only_yyyy_mm_dd(world, api_as, value):
    status = world.a1.status
    r = api_as("admin").post(
        f"/enterprises/{world.a1.pk}/status", {"status": "suspended", "on": value, "version": 1}
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "on", "message": DATE_MESSAGE}]
    world.a1.refresh_from_db()
    assert world.a1.status == status


@pytest.mark.parametrize(
    "method,path", [("post", "/assistance/loans"), ("get", "/statistics/rules")]
)
def test_a_nul_in_a_plain_zone_parameter_is_422(world, api_as, method, path):
    # Found by the fuzzer on PostgreSQL (which cannot compare text with NUL): a 500.
    loan = {"enterprise": world.a1.pk, "bank": "工行", "kind": "credit", "amount_wan": "10"}
    body = loan | {"granted_on": "2024-01-02"} if method == "post" else None
    r = api_as("staff").call(method, path, body, zone="Z\x00A")
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "zone", "message": "不能包含空字符(\\x00)"}]


def test_an_iso_date_is_still_read(world, api_as):
    r = api_as("admin").get("/audit", date_from="2024-01-01", date_to="2024-12-31")
    assert r.status_code == 200, r.content
