"""Every list, page and API, at any size (issue 16): the same number of queries with a few rows,
with more than a page and beyond the count's cap; the capped count said honestly; cursors that
walk the same rows as page numbers; bad cursors refused with a 422 in the error shape."""

import base64
import json
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from gaoxin.core import paging
from gaoxin.core.zones import SESSION_KEY
from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import ordering
from tests.factories import ZoneFactory, member
from tests.support.lists import LISTS, add_rows

# (API page 1, HTML page) statements of each list, whatever its size; the page's rows are two of
# them (its ids, then its rows: core.paging.page_rows). A page's enterprise and industry filters
# cost none when nothing is chosen: their pickers write the chosen one only (core.forms.OnlyChosen,
# IndustryPicker).
PINNED = {
    "enterprises": (7, 10),
    "projects": (6, 12),
    "matters": (8, 10),
    "returns": (6, 13),
    "findings": (6, 9),
    "certifications": (7, 8),
    "utility accounts": (6, 10),
    "awards": (6, 9),
}


@pytest.fixture
def zone_client(db, client):
    zone = ZoneFactory()
    client.force_login(member("zone_admin", zone=zone))
    session = client.session
    session[SESSION_KEY] = zone.pk
    session.save()
    return zone, client


def statements(client, url) -> int:
    client.get(url)  # once unmeasured: what a process caches on its first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


def with_param(url, extra):
    return url + ("&" if "?" in url else "?") + extra


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_costs_the_same_statements_at_any_size(zone_client, name, monkeypatch):
    zone, client = zone_client
    api, page = LISTS[name]
    add_rows(zone, 0, 3)
    few = (statements(client, api), statements(client, page))
    add_rows(zone, 3, 57)  # 60 rows: more than a page of 50
    more = (statements(client, api), statements(client, page))
    monkeypatch.setattr(paging, "COUNT_CAP", 20)  # beyond the cap: counted no further
    capped = (statements(client, api), statements(client, page))
    deep = statements(client, with_param(api, "page=2"))
    assert few == more == capped == PINNED[name]
    assert deep <= PINNED[name][0]
    cursor = client.get(api).json()["next_cursor"]
    if cursor:  # the cursor's comparison reads the query's conditions, never runs them
        assert statements(client, with_param(api, f"cursor={cursor}")) <= PINNED[name][0]


# What differs between two renderings of one page: the CSP nonce, the CSRF tokens.
PER_REQUEST = re.compile(r'(nonce|value|content)="[^"]*"|"X-CSRFToken": "[^"]*"')


@pytest.mark.parametrize("name", list(LISTS))
def test_the_page_read_in_two_steps_is_the_page_read_in_one(zone_client, name, monkeypatch):
    """Ids by the ordering, then the rows by id: the same rows in the same order as the one
    statement with its joins, on the API and on the page, first and second page."""
    zone, client = zone_client
    api, page = LISTS[name]
    add_rows(zone, 0, 60)
    urls = [with_param(api, "page_size=7"), with_param(api, "page_size=7&page=2"), page]
    urls.append(with_param(page, "page=2"))

    def read():
        answers = [client.get(url) for url in urls]
        ids = [[item["id"] for item in r.json()["items"]] for r in answers[:2]]
        return ids, [PER_REQUEST.sub("", r.content.decode()) for r in answers[2:]]

    two_steps = read()
    monkeypatch.setattr(
        paging, "page_rows", lambda queryset, start, stop, rows=None: list(queryset[start:stop])
    )
    one = read()
    assert two_steps == one
    assert [len(ids) for ids in one[0]] == [7, 7]


def test_page_rows_keeps_duplicates_order_and_annotations(db):
    zone = ZoneFactory()
    add_rows(zone, 0, 12)
    rows = (
        Enterprise.objects.filter(zone=zone)
        .annotate(n_returns=Count("returns"))
        .order_by("-name", "pk")
    )
    assert paging.page_rows(rows, 3, 8) == list(rows[3:8])
    assert [r.n_returns for r in paging.page_rows(rows, 3, 8)] == [1] * 5
    assert paging.page_rows(rows, 50, 60) == []
    as_dicts = rows.values("name")
    assert paging.page_rows(as_dicts, 0, 2) == list(as_dicts[0:2])


@pytest.mark.parametrize(
    ("name", "walk_from"),
    [("matters", 0), ("projects", 0), ("awards", 0), ("returns", 1_000), ("returns", 1),
     ("findings", 0)],
)  # fmt: skip
def test_the_cursor_walks_the_rows_of_the_page_numbers(zone_client, name, walk_from, monkeypatch):
    """Returns both ways: sorted (few) and by the enterprises' name index (WALK_FROM reached)."""
    monkeypatch.setattr(ordering, "WALK_FROM", walk_from or ordering.WALK_FROM)
    zone, client = zone_client
    api, _page = LISTS[name]
    add_rows(zone, 0, 23)
    by_page, number = [], 1
    while True:
        answer = client.get(with_param(api, f"page_size=5&page={number}")).json()
        by_page += [item["id"] for item in answer["items"]]
        if not answer["items"]:
            break
        number += 1
    by_cursor, cursor = [], ""
    first = client.get(with_param(api, "page_size=5")).json()
    by_cursor += [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        answer = client.get(with_param(api, f"page_size=5&cursor={cursor}")).json()
        assert answer["page"] is None
        by_cursor += [item["id"] for item in answer["items"]]
        cursor = answer["next_cursor"]
    assert len(by_page) == 23
    assert by_cursor == by_page


def test_the_cursor_crosses_from_one_zone_to_the_next(db, client):
    """A list over two zones (the province's): the cursor's comparison keeps the zone where
    the query does not fix it, and walks on into the next zone."""
    zones = [ZoneFactory(), ZoneFactory()]
    add_rows(zones[0], 100, 7)  # the first zone's names sort after the second's
    add_rows(zones[1], 0, 7)
    client.force_login(member("province_viewer", province="360000"))
    by_page = [i["id"] for i in client.get("/api/v1/enterprises?page_size=50").json()["items"]]
    by_cursor, cursor = [], ""
    while True:
        answer = client.get(f"/api/v1/enterprises?page_size=3&cursor={cursor}").json()
        by_cursor += [item["id"] for item in answer["items"]]
        if not (cursor := answer["next_cursor"]):
            break
    assert len(by_page) == 14
    assert by_cursor == by_page


def test_a_count_beyond_the_cap_says_so(zone_client, monkeypatch):
    zone, client = zone_client
    add_rows(zone, 0, 60)
    monkeypatch.setattr(paging, "COUNT_CAP", 20)
    answer = client.get("/api/v1/matters?page_size=10").json()
    assert (answer["count"], answer["count_exact"], len(answer["items"])) == (20, False, 10)
    answer = client.get("/api/v1/matters?page_size=10&page=6").json()
    # a deep page knows at least the rows before it and its own
    assert (answer["count"], answer["count_exact"], len(answer["items"])) == (60, False, 10)
    assert answer["next_cursor"] is None
    assert client.get("/api/v1/matters?page_size=10&page=7").json()["items"] == []
    page = client.get("/matters/list/").content.decode()
    assert "超过 20" in page
    assert "1 / " not in page  # the table's pager, not the hand-made one
    last = client.get("/matters/list/?page=2").content.decode()
    assert 'page=3"' not in last  # 60 rows, 50 a page: no third page offered
    exact = client.get("/api/v1/matters?page_size=10&status=open").json()
    assert exact["count_exact"] is False
    monkeypatch.setattr(paging, "COUNT_CAP", 60)
    exact = client.get("/api/v1/matters?page_size=10").json()
    assert (exact["count"], exact["count_exact"]) == (60, True)


def test_a_hand_made_list_pages_past_the_cap(zone_client, monkeypatch):
    zone, client = zone_client
    add_rows(zone, 0, 60)
    monkeypatch.setattr(paging, "COUNT_CAP", 20)
    first = client.get("/matters/assistance/awards/")
    second = client.get("/matters/assistance/awards/?page=2")
    beyond = client.get("/matters/assistance/awards/?page=99")
    assert first.context["page"].paginator.count_exact is False
    assert first.context["page"].has_next()
    assert not second.context["page"].has_next()
    assert len(second.context["page"].object_list) == 60 - paging_size(first)
    assert beyond.status_code == 200
    assert beyond.context["page"].number == 1  # past what is known: the last known page


def paging_size(response) -> int:
    return response.context["page"].paginator.per_page


@pytest.mark.parametrize(
    "cursor",
    ["not-a-cursor", "WzFd", "eyJhIjogMX0", "W10", "WyJ4IiwgMV0", "%00", "x" * 1000],
)
def test_a_bad_cursor_is_a_422_on_the_cursor(zone_client, cursor):
    zone, client = zone_client
    add_rows(zone, 0, 3)
    response = client.get(f"/api/v1/matters?cursor={cursor}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert [e["field"] for e in body["errors"]] == ["cursor"]


@pytest.mark.parametrize("forged", [None, 10**30, -(10**30), "a\x00b"])
@pytest.mark.parametrize("name", ["enterprises", "matters", "returns"])
def test_a_forged_cursor_with_its_lists_signature_is_a_422(zone_client, name, forged):
    """A cursor decoded into keys the database cannot compare (null, past 64 bits, a NUL)."""
    zone, client = zone_client
    api, _page = LISTS[name]
    add_rows(zone, 0, 8)
    cursor = client.get(with_param(api, "page_size=2")).json()["next_cursor"]
    signature, *values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for i in range(len(values)):
        forged_values = [*values[:i], forged, *values[i + 1 :]]
        text = json.dumps([signature, *forged_values]).encode()
        bad = base64.urlsafe_b64encode(text).decode().rstrip("=")
        response = client.get(with_param(api, f"cursor={bad}"))
        assert response.status_code in (200, 422), (i, response.content[:300])
        if forged is None or isinstance(forged, int) and type(values[i]) is int:
            assert response.status_code == 422, (i, forged_values)


def test_a_cursor_of_another_list_or_an_unkeyed_list_is_refused(zone_client):
    zone, client = zone_client
    add_rows(zone, 0, 8)
    cursor = client.get("/api/v1/investment/projects?page_size=2").json()["next_cursor"]
    assert cursor
    other = client.get(f"/api/v1/matters?cursor={cursor}")
    assert other.status_code == 422
    assert "next_cursor" in other.json()["errors"][0]["message"]
    # the risk order (NULLS LAST) has no cursor: page numbers only, said so
    accounts = client.get("/api/v1/utilities/accounts?page_size=2")
    assert accounts.json()["next_cursor"] is None
    refused = client.get(f"/api/v1/utilities/accounts?cursor={cursor}")
    assert refused.status_code == 422
    assert "page" in refused.json()["errors"][0]["message"]


def _walked(sql: str, walked: bool) -> None:
    """The statement reads the enterprises' (zone, name, id) index in order (SQLite's plan; a
    PostgreSQL plan depends on the table's size and statistics), or (not `walked`) sorts."""
    by_name = '"enterprises_enterprise"."name" ASC, "enterprises_enterprise"."id" ASC'
    assert ('"enterprises_enterprise"."zone_id" =' in sql) is walked
    assert (by_name in sql) is walked
    if connection.vendor == "sqlite" and walked:
        with connection.cursor() as cursor:
            plan = " | ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "USING COVERING INDEX enterprise_zone_name_id" in plan, plan
        assert "B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.parametrize("walk_from", [1, 13])
def test_one_period_of_returns_walks_the_enterprises_by_name(zone_client, monkeypatch, walk_from):
    """A zone's returns of one period, by the enterprise's name (the API's list and the page's
    default order): from WALK_FROM returns, the enterprises' (zone, name, id) index walked and
    each one's return probed, no sort of the period's every return; below it, sorted (a walk of
    a sparse period reads every enterprise). Counted without the join the walk needs."""
    monkeypatch.setattr(ordering, "WALK_FROM", walk_from)
    zone, client = zone_client
    api, page = LISTS["returns"]
    add_rows(zone, 0, 12)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(with_param(api, "page_size=5")).json()
    names = [item["enterprise"]["name"] for item in answer["items"]]
    assert names == sorted(names) and answer["count"] == 12
    walked = walk_from <= 12
    _walked(next(q["sql"] for q in queries if "LIMIT 6" in q["sql"]), walked)
    counted = next(q["sql"] for q in queries if "COUNT(*)" in q["sql"])
    assert "enterprises_enterprise" not in counted

    with CaptureQueriesContext(connection) as queries:
        html = client.get(page).content.decode()
    _walked(next(q["sql"] for q in queries if "LIMIT 50" in q["sql"]), walked)
    shown = re.findall(r'<a href="/statistics/returns/\d+/">([^<]+)</a>', html)
    assert len(shown) == 12 and shown == sorted(shown)
