"""The matters' notifications move into core (matters migrations 0003 and 0004): every row keeps its
person, text, kind (as "matters.<type>"), matter (as the target, with its page), time, read and
e-mailed times; backwards, core's "matters.*" rows go back. The move is RunPython over the ORM and
the tables' DDL is Django's own, so it runs once, on SQLite (`engine`, tests/conftest.py): taking
the database back and forth costs 17 s, and the PostgreSQL run is the longer of the two."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gaoxin.core.models import Notification
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Kind, Matter

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.engine("sqlite")]
BEFORE = [("matters", "0002_attachment_path")]
AFTER = [("matters", "0004_delete_notification")]
AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Every app back at its newest migration, whatever came after AFTER: the next tests share
    this database."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_rows_move_to_core_and_back(world):
    help_ = catalogue.standard(world.zone_a, Kind.HELP)
    matter = services.create_matter(
        world.enterprise, world.zone_a, kind=Kind.HELP, title="招工难", category=help_
    )
    Notification.objects.all().delete()  # the new matter's own notices: not this test's
    try:
        old_apps = migrate(BEFORE)
        Old = old_apps.get_model("matters", "Notification")
        created = Old._meta.get_field("created_at")
        created.auto_now_add = False
        try:
            read = Old.objects.create(
                user_id=world.staff.pk, matter_id=matter.pk, type="assigned",
                text="您有新的待办事项", created_at=AT, read_at=AT, emailed_at=AT,
            )  # fmt: skip
            Old.objects.create(
                user_id=world.leader.pk, matter_id=None, type="escalated", text="升级督办",
                created_at=AT + datetime.timedelta(hours=1),
            )  # fmt: skip
        finally:
            created.auto_now_add = True
        migrate(AFTER)
        rows = {n.user: n for n in Notification.objects.all()}
        assert set(rows) == {world.staff, world.leader}
        n = rows[world.staff]
        assert (n.kind, n.text, n.url) == (
            "matters.assigned",
            "您有新的待办事项",
            f"/matters/{matter.pk}/",
        )
        assert n.target == matter and n.created_at == AT and n.read_at == AT == n.emailed_at
        assert Notification.objects.filter(matter=matter).get() == n
        assert n.kind_label == "新分派"
        loose = rows[world.leader]
        assert (loose.kind, loose.target, loose.url, loose.read_at) == (
            "matters.escalated", None, "", None,
        )  # fmt: skip
        assert loose.created_at == AT + datetime.timedelta(hours=1)
        # and back
        old_apps = migrate(BEFORE)
        Old = old_apps.get_model("matters", "Notification")
        back = Old.objects.get(user_id=world.staff.pk)
        assert (back.type, back.matter_id, back.text, back.created_at, back.read_at) == (
            "assigned", matter.pk, read.text, AT, AT,
        )  # fmt: skip
        assert Old.objects.get(user_id=world.leader.pk).matter_id is None
        assert not Notification.objects.filter(kind__startswith="matters.").exists()
    finally:
        migrate_to_latest()
    assert Matter.objects.filter(pk=matter.pk).exists()
