"""Matter numbers (BF-2026-0001) under concurrency and across upgrades (issue 11, defect 6).

Twenty officers raising matters at the same moment all succeed, with numbers unique and gapless
per kind and year; a creation that rolls back gives its number back; the number is taken after
validation; a database numbered the old way (max+1) continues after its highest number.
"""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gaoxin.core import clock
from gaoxin.core.models import NumberSequence
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Kind, Matter

CREATORS = 20
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


class Refused(Exception):
    """Ends a creation's transaction after it has taken its number."""


@pytest.fixture
def threads(transactional_db):
    """Creators on their own connections. PostgreSQL, and SQLite on a file as in production (WAL,
    BEGIN IMMEDIATE, a busy timeout), queue them; the in-memory SQLite test database shares one
    cache whose table locks fail at once (SQLITE_LOCKED ignores the busy timeout), so there the
    threaded tests need a file: DATABASES["default"]["TEST"]["NAME"]."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a SQLite file, not the in-memory test database")


@pytest.fixture
def help_desk(world):
    catalogue.ensure_categories(world.zone_a)
    world.help = catalogue.standard(world.zone_a, Kind.HELP, "recruitment")
    return world


def raise_help(w, title="招工难", **kw):
    return services.create_matter(
        w.staff, w.zone_a, kind="help", category=w.help, enterprise=w.a1, title=title, **kw
    )


def in_threads(jobs):
    """Run each job in its own thread (so its own database connection), all released at once."""
    gate = threading.Barrier(len(jobs))

    def run(job):
        try:
            gate.wait(timeout=60)  # a guard against a hang, not a timing assertion
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [f.result() for f in futures]


def api_creator(w, n):
    """One officer's browser: its own client and session, posting one help request."""
    client = Client()
    client.force_login(w.staff)
    body = {"kind": "help", "category": w.help.pk, "enterprise": w.a1.pk, "title": f"诉求{n}"}

    def post():
        r = client.post("/api/v1/matters", json.dumps(body), content_type="application/json")
        return r.status_code, r.json()

    return post


def refused_creator(w):
    """A creation whose transaction rolls back after the matter was numbered and saved."""

    def create():
        with pytest.raises(Refused), transaction.atomic():
            matter = raise_help(w, title="撤销的诉求")
            raise Refused
        return matter.number

    return create


def series(year, count):
    return {f"BF-{year}-{i:04d}" for i in range(1, count + 1)}


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_creations_all_succeed_with_gapless_numbers(threads, help_desk):
    w = help_desk
    year = clock.today().year
    answers = in_threads([api_creator(w, n) for n in range(CREATORS)])
    assert [status for status, _body in answers] == [201] * CREATORS, answers
    numbers = [body["number"] for _status, body in answers]
    assert len(set(numbers)) == CREATORS
    assert set(numbers) == series(year, CREATORS)
    assert set(Matter.objects.values_list("number", flat=True)) == series(year, CREATORS)
    assert NumberSequence.objects.get(zone=w.zone_a, series=f"BF-{year}").last == CREATORS


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_that_roll_back_give_their_numbers_back(threads, help_desk):
    w = help_desk
    year = clock.today().year
    jobs = [api_creator(w, n) for n in range(CREATORS)] + [refused_creator(w) for _ in range(5)]
    answers = in_threads(jobs)
    created, refused = answers[:CREATORS], answers[CREATORS:]
    assert [status for status, _body in created] == [201] * CREATORS, created
    assert {body["number"] for _status, body in created} == series(year, CREATORS)
    assert all(number.startswith(f"BF-{year}-") for number in refused)  # each took one
    assert Matter.objects.count() == CREATORS
    assert raise_help(w).number == f"BF-{year}-{CREATORS + 1:04d}"


@pytest.mark.django_db
def test_numbers_run_per_zone_kind_and_year(help_desk):
    w = help_desk
    catalogue.ensure_categories(w.zone_b)
    on_b = catalogue.standard(w.zone_b, Kind.HELP, "recruitment")
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI)):
        assert [raise_help(w).number for _ in range(2)] == ["BF-2026-0001", "BF-2026-0002"]
        visit = services.create_matter(
            w.staff, w.zone_a, kind="visit", enterprise=w.a1, title="走访"
        )
        assert visit.number == "ZF-2026-0001"
        other = services.create_matter(
            w.admin, w.zone_b, kind="help", category=on_b, enterprise=w.b1, title="缺原料"
        )
        assert other.number == "BF-2026-0001"
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=SHANGHAI)):
        assert raise_help(w).number == "BF-2027-0001"
        assert raise_help(w).number == "BF-2027-0002"


@pytest.mark.django_db
def test_a_database_numbered_the_old_way_continues_after_its_highest_number(help_desk):
    # Given matters numbered by max+1 before the counters existed, past 9999 (which sorts
    # after 10000 as text), and no counter rows.
    w = help_desk
    year = clock.today().year
    old = [raise_help(w) for _ in range(3)]
    for matter, number in zip(old, (41, 9999, 10000), strict=True):
        Matter.objects.filter(pk=matter.pk).update(number=f"BF-{year}-{number:04d}")
    NumberSequence.objects.all().delete()
    # When officers raise more, then the series continues after the highest.
    assert raise_help(w).number == f"BF-{year}-10001"
    assert raise_help(w).number == f"BF-{year}-10002"
    visit = services.create_matter(w.staff, w.zone_a, kind="visit", enterprise=w.a1, title="走访")
    assert visit.number == f"ZF-{year}-0001"


@pytest.mark.django_db
def test_a_refused_creation_takes_no_number(help_desk):
    w = help_desk
    year = clock.today().year
    for bad in ({"title": " "}, {"priority": "urgentest"}, {"due_on": datetime.date(2000, 1, 1)}):
        with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
            raise_help(w, **{"title": "招工难", **bad})
        assert not [q for q in queries.captured_queries if "numbersequence" in q["sql"]], bad
    assert not NumberSequence.objects.exists()
    assert raise_help(w).number == f"BF-{year}-0001"
