"""The enterprise name search (enterprises/search.py): the same answers as LIKE, read through the
gram index; credit code prefixes; pinyin initials; ranking; kept in step by every write."""

import importlib
import io
import random
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core import paging
from gaoxin.enterprises import search, services
from gaoxin.enterprises.filters import EnterpriseFilter
from gaoxin.enterprises.models import Enterprise, EnterpriseNameGram
from tests.factories import EnterpriseFactory, ZoneFactory, uscc_for

pytestmark = pytest.mark.django_db

PLACES = ["江西", "九江", "南昌", "赣州", "重庆", "深圳", "上海"]
TRADES = ["鸿泰", "赣虹", "博润", "华光", "泰和", "天成", "长虹", "银河", "中兴", "光明"]
LINES = ["光电科技", "光电显示", "纺织", "电子商务", "新材料", "光通信器件", "机械制造", "银行"]
FORMS = ["有限公司", "股份有限公司", "有限责任公司"]
LATIN = ["", "", "", "ABC", "abc", "Abc", "XY-2", "100%", "a_b", " 国际"]


def generated_names(rng: random.Random, n: int) -> list[str]:
    names = set()
    while len(names) < n:
        place = rng.choice(PLACES) if rng.random() < 0.7 else ""
        region = f"({rng.choice(PLACES)})" if rng.random() < 0.2 else ""
        name = f"{place}{rng.choice(TRADES)}{rng.choice(LATIN)}{rng.choice(LINES)}{region}"
        names.add((name + rng.choice(FORMS)).strip())
    return sorted(names)


@pytest.fixture
def registry(db):
    """Two zones of generated names, written as the importer and the demo write (bulk, then
    search.index), plus a few through the services' single saves."""
    rng = random.Random(16)
    zones = [ZoneFactory(), ZoneFactory()]
    names = generated_names(rng, 400)
    rows = [
        Enterprise(
            zone=zones[i % 2],
            name=name,
            uscc=uscc_for(30_000_000 + i),
            industry_id="3974",
        )
        for i, name in enumerate(names)
    ]
    Enterprise.objects.bulk_create(rows)
    if any(e.pk is None for e in rows):  # no RETURNING: read the ids back
        ids = dict(Enterprise.objects.values_list("uscc", "pk"))
        for e in rows:
            e.pk = ids[e.uscc]
    search.index(rows, replace=False)
    singles = [EnterpriseFactory(zone=zones[0], name=n) for n in ("赣虹光电", "光电", "光电甲")]
    return zones, rows + singles


def fragments(rng: random.Random, names: list[str], n: int) -> list[str]:
    """Pieces of real names (2–6 characters, any case), and pairs that may match nothing."""
    out = []
    for _ in range(n):
        name = rng.choice(names)
        size = rng.randint(2, min(6, len(name)))
        start = rng.randint(0, len(name) - size)
        piece = name[start : start + size]
        out.append(piece.lower() if rng.random() < 0.3 else piece)
    chars = sorted(set("".join(names)))
    out += ["".join(rng.sample(chars, 2)) for _ in range(n // 4)]
    return out + [
        "光电",
        "博润",
        "ab",
        "%",
        "_b",
        "0%",
        "a_",
        "%a",
        "光电科技有限公司",
        "不存在的名字",
    ]


def like_ids(text, zone=None):
    """Today's path, as the filters ran it (the text stripped)."""
    rows = Enterprise.objects.filter(name__icontains=text.strip())
    return set((rows.filter(zone=zone) if zone else rows).values_list("pk", flat=True))


def search_ids(text, zone=None):
    rows = Enterprise.objects.filter(search.name_q(text, zone=zone, pinyin=False))
    return set((rows.filter(zone=zone) if zone else rows).values_list("pk", flat=True))


def test_search_gives_exactly_what_like_gives_on_random_fragments(registry):
    zones, rows = registry
    rng = random.Random(2026)
    sample = fragments(rng, [e.name for e in rows], 120)
    for text in sample:
        assert search_ids(text) == like_ids(text), text
        assert search_ids(text, zones[1]) == like_ids(text, zones[1]), text
    assert search_ids("光电") and search_ids("博润")  # the sample is not all empty


def test_a_fragment_reads_the_gram_index_not_like(registry):
    ids = search.matching_ids("光电科技", zone=registry[0][0], pinyin=False)
    assert "enterprises_enterprisenamegram" in str(ids.query)
    assert search.matching_ids("光", zone=registry[0][0]) is None  # one character: LIKE
    rows = Enterprise.objects.filter(search.name_q("光"))
    assert set(rows.values_list("pk", flat=True)) == like_ids("光")


def test_uscc_prefix_is_what_startswith_gives(registry):
    _zones, rows = registry
    rng = random.Random(7)
    for e in rng.sample(rows, 20):
        for size in (2, 5, 9, 18):
            prefix = e.uscc[:size]
            got = Enterprise.objects.filter(search.name_q(prefix, uscc=True, pinyin=False))
            want = Enterprise.objects.filter(uscc__startswith=prefix) | Enterprise.objects.filter(
                name__icontains=prefix
            )
            assert set(got.values_list("pk", flat=True)) == set(want.values_list("pk", flat=True))
            assert e in got
            lower = Enterprise.objects.filter(search.name_q(prefix.lower(), uscc=True))
            assert e in lower


def test_pinyin_initials_find_the_letters_in_a_row(registry):
    zones, rows = registry
    assert search.initials("江西赣虹光电科技有限公司") == "JXGHGDKJYXGS"
    assert search.initials("重庆银行") == "CQYH"  # the phrase decides the reading
    assert search.initials("ABC-2号") == "ABC2H"
    found = Enterprise.objects.filter(search.name_q("ghgd"))
    names = set(found.values_list("name", flat=True))
    assert "赣虹光电" in names
    for text in ("ghgd", "GD", "jxhtgd", "gdkj", "yxgs", "htgd", "zzz", "gdgh"):
        got = set(Enterprise.objects.filter(search.name_q(text)).values_list("pk", flat=True))
        want = {e.pk for e in rows if text.upper() in search.initials(e.name)} | like_ids(text)
        assert got == want, text


def test_pairs_of_initials_elsewhere_are_not_a_match(db):
    zone = ZoneFactory()
    # G-H and H-G and G-D all occur, never GHGD in a row: 光华 … 华光 … 光电 … 华 …
    apart = EnterpriseFactory(zone=zone, name="光华华光光电")
    assert "GHGD" not in search.initials(apart.name)
    assert not Enterprise.objects.filter(search.name_q("ghgd")).exists()


def test_ranking_exact_then_prefix_then_by_name(registry):
    zones, _rows = registry
    rows = search.ranked(
        Enterprise.objects.filter(zone=zones[0]).filter(search.name_q("光电", zone=zones[0])),
        "光电",
    )
    names = list(rows.values_list("name", flat=True))
    assert names[:2] == ["光电", "光电甲"]  # exact, then the one that starts with it
    rest = names[2:]
    assert rest and rest == sorted(rest) and not any(n.startswith("光电") for n in rest)


def test_rename_soft_delete_and_create_keep_the_search_in_step(world):
    e = world.a1
    assert e in Enterprise.objects.filter(search.name_q("甲一"))
    services.update_enterprise(world.zone_admin, e, {"name": "江西博润新材料有限公司"})
    assert e not in Enterprise.objects.filter(search.name_q("甲一"))
    assert e in Enterprise.objects.filter(search.name_q("博润新材"))
    assert e in Enterprise.objects.filter(search.name_q("brxc"))
    services.delete_enterprise(world.zone_admin, e, reason="测试")
    e.refresh_from_db()
    assert e not in Enterprise.objects.active().filter(search.name_q("博润"))
    grams = EnterpriseNameGram.objects.filter(enterprise=e)
    assert set(grams.values_list("gram", flat=True)) == search.grams_of(e.name)
    assert grams.filter(zone=e.zone).count() == grams.count()


def test_list_page_and_api_search_by_fragment_ranked(world, client, api_as):
    EnterpriseFactory(zone=world.zone_a, name="纺织")
    EnterpriseFactory(zone=world.zone_a, name="纺织机械有限公司")
    client.force_login(world.zone_admin)
    html = client.get(reverse("enterprises:list"), {"q": "纺织"}).content.decode()
    assert html.index(">纺织<") < html.index("纺织机械有限公司")
    r = api_as("zone_admin").get("/enterprises", q="纺织")
    assert r.status_code == 200
    names = [e["name"] for e in r.json()["items"]]
    assert names[:2] == ["纺织", "纺织机械有限公司"]
    assert world.a2.name in names
    r = api_as("zone_admin").get("/enterprises", q="纺织", ordering="-name")
    assert [e["name"] for e in r.json()["items"]] == sorted(names, reverse=True)


def test_filter_orders_one_zone_by_name_for_its_index(world):
    flt = EnterpriseFilter(
        {}, queryset=Enterprise.objects.filter(zone=world.zone_a), zone=world.zone_a
    )
    assert flt.qs.query.order_by == ("name", "pk")


def test_rebuild_command_and_migration_build_the_same_grams(registry):
    zones, rows = registry
    before = set(EnterpriseNameGram.objects.values_list("zone", "gram", "enterprise"))
    EnterpriseNameGram.objects.all().delete()
    call_command("search_index", zone=zones[0].code, stdout=io.StringIO())
    assert EnterpriseNameGram.objects.exclude(zone=zones[0]).count() == 0
    call_command("search_index", stdout=io.StringIO())
    assert set(EnterpriseNameGram.objects.values_list("zone", "gram", "enterprise")) == before
    EnterpriseNameGram.objects.all().delete()
    migration = importlib.import_module("gaoxin.enterprises.migrations.0002_name_search")
    migration.build_grams(apps, SimpleNamespace(connection=connection))
    assert set(EnterpriseNameGram.objects.values_list("zone", "gram", "enterprise")) == before
    with pytest.raises(CommandError, match="未找到园区代码"):
        call_command("search_index", zone="NOPE")


# The statement that reads a page's enterprises by their ids (every column, ids as numbers).
BY_ID = re.compile(
    r'^SELECT "enterprises_enterprise"\."id", .*"enterprises_enterprise"\."id" IN \(\d'
)


def test_a_searched_page_reads_its_rows_by_id_without_searching_again(world, client, api_as):
    """The ids are searched; the rows are then read by id from what the user may see, not
    through the search a second time (core.paging.page_rows' `rows`), on the API and the page."""
    EnterpriseFactory(zone=world.zone_a, name="赣虹光电科技有限公司")
    EnterpriseFactory(zone=world.zone_b, name="赣虹光电材料有限公司")
    client.force_login(world.zone_admin)
    for read in (
        lambda: [e["name"] for e in api_as("zone_admin").get("/enterprises", q="ghgd").json()["items"]],
        lambda: client.get(reverse("enterprises:list"), {"q": "ghgd"}).content.decode(),
    ):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            shown = read()
        assert "赣虹光电科技有限公司" in shown and "赣虹光电材料有限公司" not in shown
        by_id = [q["sql"] for q in queries if BY_ID.search(q["sql"])]
        assert by_id and all("enterprisenamegram" not in sql for sql in by_id), by_id
        assert any("enterprisenamegram" in q["sql"] for q in queries)


def test_rows_by_id_come_only_from_the_rows_given(world):
    """An id the given rows do not hold (another zone's) is not read: the rows keep the access."""
    everyone = Enterprise.objects.order_by("name", "pk")
    visible = Enterprise.objects.filter(zone=world.zone_a)
    read = paging.page_rows(everyone, 0, 100, rows=visible)
    assert read and {e.zone_id for e in read} == {world.zone_a.pk}
    assert [e.pk for e in read] == [e.pk for e in everyone if e.zone_id == world.zone_a.pk]


def test_postgresql_reads_the_matches_ids_first(registry):
    """On PostgreSQL a search is `id = ANY(ARRAY(…))`: its ids are read first, so the planner
    cannot sort the zone's every enterprise by rank and walk them into the grams; the same rows."""
    zone = registry[0][0]
    rows = Enterprise.objects.filter(search.name_q("光电", zone=zone), zone=zone)
    sql = str(rows.query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert '"enterprises_enterprise"."id" IN (SELECT' in sql
    assert set(rows.values_list("pk", flat=True)) == like_ids("光电", zone)
