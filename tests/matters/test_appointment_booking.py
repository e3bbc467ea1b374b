"""One booking per window and time (issue 13, item 11): the service refuses a second active
booking of the same window (地点) at the same minute with a Chinese message and writes nothing;
a cancelled booking frees its slot; on-site visits and other zones never clash; the page shows the
message; the database constraint holds when officers book at the same moment."""

import datetime
import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.utils import timezone

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import agency, services
from gaoxin.matters.models import Appointment, MatterEvent

D = datetime.date
NOW = datetime.datetime(2026, 11, 2, 1, tzinfo=datetime.UTC)  # Monday 09:00 in Shanghai
WINDOW = "政务服务中心3号窗口"
TAKEN = "同一窗口同一时间只能预约一次"


def make_cases(w, count, zone=None, actor=None):
    zone = zone or w.zone_a
    cases = []
    for n in range(count):
        project = investment.create_project(
            w.admin, zone, stage="signed", on=D(2026, 3, 1), name=f"预约项目{zone.pk}-{n}",
            investor_name="某投资方", planned_investment=Decimal("30000"),
        )  # fmt: skip
        extra = {"department": w.dept_a, "officer": w.staff} if zone == w.zone_a else {}
        cases.append(
            services.create_matter(
                actor or w.zone_admin,
                zone,
                kind="agency",
                title=f"代办{n}",
                project=project,
                **extra,
            )  # fmt: skip
        )
    return cases


def written():
    return (
        list(Appointment.objects.order_by("id").values_list("matter_id", "place", "is_cancelled")),
        MatterEvent.objects.count(),
        AuditRecord.objects.exclude(action="login").count(),
    )


@pytest.fixture
def booked(world):
    with time_machine.travel(NOW, tick=False):
        world.cases = make_cases(world, 2)
        world.b_case = make_cases(world, 1, zone=world.zone_b, actor=world.admin)[0]
        world.at = timezone.make_aware(datetime.datetime(2026, 11, 4, 10, 0))
        world.first = agency.add_appointment(
            world.staff, world.cases[0], mode="appointment", starts_at=world.at, place=WINDOW
        )
    return world


@pytest.mark.django_db
def test_same_window_and_time_refused_with_message(booked):
    w = booked
    other = w.cases[1]
    with time_machine.travel(NOW, tick=False):
        before = written()
        for data in (
            {"mode": "appointment", "starts_at": w.at, "place": WINDOW},
            {"mode": "appointment", "starts_at": w.at, "place": f"  {WINDOW} "},  # stripped
            # the same minute, seconds given
            {"mode": "appointment", "starts_at": w.at.replace(second=40), "place": WINDOW},
            # as a naive local string
            {"mode": "appointment", "starts_at": "2026-11-04T10:00", "place": WINDOW},
        ):
            with pytest.raises(ValidationError) as caught:
                agency.add_appointment(w.staff, other, **data)
            message = caught.value.message_dict["starts_at"][0]
            assert message == (
                f"“{WINDOW}”在 2026-11-04 10:00 已有预约,同一窗口同一时间只能预约一次,"
                "请另选时间或窗口"
            )
        # the same case twice is refused too
        with pytest.raises(ValidationError, match=TAKEN):
            agency.add_appointment(
                w.staff, w.cases[0], mode="appointment", starts_at=w.at, place=WINDOW
            )
        assert written() == before
        # after hours at a window shares the window's slots (19:00 on the same window)
        late = w.at.replace(hour=19)
        agency.add_appointment(w.staff, other, mode="after_hours", starts_at=late, place=WINDOW)
        with pytest.raises(ValidationError, match=TAKEN):
            agency.add_appointment(
                w.staff, w.cases[0], mode="appointment", starts_at=late, place=WINDOW
            )


@pytest.mark.django_db
def test_what_does_not_clash(booked):
    w = booked
    other = w.cases[1]
    with time_machine.travel(NOW, tick=False):
        # another minute, another window
        agency.add_appointment(
            w.staff, other, mode="appointment", starts_at=w.at.replace(minute=30), place=WINDOW
        )
        agency.add_appointment(
            w.staff, other, mode="appointment", starts_at=w.at, place="政务服务中心4号窗口"
        )
        # on-site visits happen at the project: two at the same time and place are fine
        for case in w.cases:
            agency.add_appointment(w.staff, case, mode="on_site", starts_at=w.at, place="项目现场")
        # another zone's window of the same name
        agency.add_appointment(w.admin, w.b_case, mode="appointment", starts_at=w.at, place=WINDOW)
        # a cancelled booking frees its slot
        agency.cancel_appointment(w.staff, w.first, reason="企业改期")
        again = agency.add_appointment(
            w.staff, other, mode="appointment", starts_at=w.at, place=WINDOW
        )
        assert not again.is_cancelled
        assert agency.window_taken(w.zone_a.pk, "appointment", WINDOW, w.at)
        assert not agency.window_taken(w.zone_a.pk, "on_site", WINDOW, w.at)
        assert not agency.window_taken(w.zone_a.pk, "appointment", WINDOW, w.at, exclude=again.pk)


@pytest.mark.django_db
def test_the_database_refuses_a_double_booking(booked):
    """The constraint behind the service: a write that bypasses it still cannot double-book."""
    w = booked
    row = {
        "zone": w.zone_a, "matter": w.cases[1], "mode": "appointment", "starts_at": w.at,
        "place": WINDOW,
    }  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(**row)
    Appointment.objects.create(**{**row, "is_cancelled": True})  # cancelled rows may repeat
    Appointment.objects.create(**{**row, "mode": "on_site"})
    assert Appointment.objects.filter(place=WINDOW, is_cancelled=False).count() == 2


@pytest.mark.django_db
def test_page_shows_the_message_and_writes_nothing(client, booked):
    w = booked
    other = w.cases[1]
    with time_machine.travel(NOW, tick=False):
        client.force_login(w.staff)
        before = written()
        r = client.post(
            f"/matters/{other.pk}/appointments/",
            {"mode": "appointment", "starts_at": "2026-11-04T10:00", "place": WINDOW},
            follow=True,
        )
        assert r.status_code == 200
        html = r.content.decode()
        assert TAKEN in html and "2026-11-04 10:00" in html
        assert written() == before
        r = client.post(
            f"/matters/{other.pk}/appointments/",
            {"mode": "appointment", "starts_at": "2026-11-04T10:30", "place": WINDOW},
        )
        assert r.status_code == 302
        assert Appointment.objects.filter(matter=other, is_cancelled=False).count() == 1


def in_threads(jobs):
    gate = threading.Barrier(len(jobs))

    def run(job):
        try:
            gate.wait(timeout=60)  # a guard against a hang, not a timing assertion
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result() for f in [pool.submit(run, job) for job in jobs]]


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot(world):
    """Officers of different cases book the same window and minute at once, each through the page
    in its own browser: exactly one booking is made, the others get the message."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a SQLite file, not the in-memory test database")
    cases = make_cases(world, 4)
    day = timezone.localdate() + datetime.timedelta(days=30)
    slot = f"{day:%Y-%m-%d}T10:00"

    def booker(case):
        client = Client()
        client.force_login(world.staff)

        def post():
            r = client.post(
                f"/matters/{case.pk}/appointments/",
                {"mode": "appointment", "starts_at": slot, "place": WINDOW},
                follow=True,
            )
            return r.status_code, TAKEN in r.content.decode()

        return post

    answers = in_threads([booker(case) for case in cases])
    assert [status for status, _taken in answers] == [200] * 4
    assert sorted(taken for _status, taken in answers) == [False, True, True, True]
    assert Appointment.objects.filter(place=WINDOW, is_cancelled=False).count() == 1
    audited = AuditRecord.objects.filter(action="create", content_type__model="appointment")
    assert audited.count() == 1


@pytest.mark.django_db
def test_api_books_and_refuses_a_taken_slot(booked, api_as):
    w = booked
    other = w.cases[1]
    path = f"/matters/{other.pk}/appointments"
    with time_machine.travel(NOW, tick=False):
        before = written()
        r = api_as("staff").post(
            path, {"mode": "appointment", "starts_at": "2026-11-04T10:00:00+08:00", "place": WINDOW}
        )
        assert r.status_code == 422, r.content
        body = r.json()
        assert {e["field"]: e["message"] for e in body["errors"]} == {
            "starts_at": f"“{WINDOW}”在 2026-11-04 10:00 已有预约,同一窗口同一时间只能预约一次,"
            "请另选时间或窗口"
        }
        # a leader sees the case but may not book: 403; nothing written either way
        r = api_as("leader").post(
            path, {"mode": "appointment", "starts_at": "2026-11-04T11:00:00+08:00", "place": WINDOW}
        )
        assert r.status_code == 403
        assert written() == before
        r = api_as("staff").post(
            path, {"mode": "appointment", "starts_at": "2026-11-04T11:00:00+08:00", "place": WINDOW}
        )
        assert r.status_code == 201, r.content
        out = r.json()
        assert (out["matter"], out["place"], out["mode_name"]) == (other.pk, WINDOW, "预约办理")
        assert Appointment.objects.get(pk=out["id"]).starts_at == w.at.replace(hour=11)


@pytest.mark.django_db
def test_upgrade_cancels_existing_double_bookings(booked):
    """Migration 0005 on a database booked twice before the rule: the first booking of a window
    and time stays, the later one is cancelled with the reason in its note, then the constraint
    goes on."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite cannot drop a constraint inside the test's transaction")
    from django.apps import apps

    migration = importlib.import_module(
        "gaoxin.matters.migrations.0005_appointment_appointment_window_time_unique"
    )
    w = booked
    (constraint,) = [
        c for c in Appointment._meta.constraints if c.name == "appointment_window_time_unique"
    ]
    with connection.schema_editor() as editor:
        editor.remove_constraint(Appointment, constraint)
    row = {"zone": w.zone_a, "starts_at": w.at, "place": WINDOW}
    twice = Appointment.objects.create(
        **row, matter=w.cases[1], mode="after_hours", note="企业要求"
    )
    site = Appointment.objects.create(**row, matter=w.cases[1], mode="on_site")
    migration.cancel_double_bookings(apps, None)
    with connection.cursor() as cursor:  # the rows' deferred checks first, as a commit would
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.add_constraint(Appointment, constraint)
    first, twice, site = (Appointment.objects.get(pk=a.pk) for a in (w.first, twice, site))
    assert not first.is_cancelled and not site.is_cancelled
    assert twice.is_cancelled and twice.note == f"{migration.NOTE} 企业要求"
