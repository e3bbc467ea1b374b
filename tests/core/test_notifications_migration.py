"""The matters' notifications move into core (matters migration 0003, before 0004 drops the old
table): every row keeps its person, text, kind (as "matters.<type>"), matter (as the target, with
its page), time, read and e-mailed times; backwards, core's "matters.*" rows go back.

The migration's own operation runs on the models as it sees them (the migration loader's state
at 0003), against the old table put back for the test: the same code `migrate` runs, without
taking every module's migrations back and forth (15 s a run). Runs on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from gaoxin.core.models import Notification
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Kind, Matter

pytestmark = pytest.mark.django_db(transaction=True)  # the schema editor, outside a transaction
MIGRATION = ("matters", "0003_notifications_to_core")
AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


@pytest.fixture
def moving():
    """(the migration's RunPython operation, the state it runs in, the old Notification model),
    with the old table there for the test's duration."""
    loader = MigrationLoader(connection)
    (operation,) = loader.get_migration(*MIGRATION).operations
    state = loader.project_state(MIGRATION)
    Old = state.apps.get_model("matters", "Notification")
    with connection.schema_editor() as editor:
        editor.create_model(Old)
    try:
        yield operation, state, Old
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Old)


def test_rows_move_to_core_and_back(world, moving):
    operation, state, Old = moving
    help_ = catalogue.standard(world.zone_a, Kind.HELP)
    matter = services.create_matter(
        world.enterprise, world.zone_a, kind=Kind.HELP, title="招工难", category=help_
    )
    Notification.objects.all().delete()  # the new matter's own notices: not this test's
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

    with connection.schema_editor() as editor:
        operation.database_forwards("matters", editor, state, state)
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
    Old.objects.all().delete()  # as migration 0004's reverse recreates the table: empty
    with connection.schema_editor() as editor:
        operation.database_backwards("matters", editor, state, state)
    back = Old.objects.get(user_id=world.staff.pk)
    assert (back.type, back.matter_id, back.text, back.created_at, back.read_at) == (
        "assigned", matter.pk, read.text, AT, AT,
    )  # fmt: skip
    assert Old.objects.get(user_id=world.leader.pk).matter_id is None
    assert Old.objects.count() == 2
    assert not Notification.objects.filter(kind__startswith="matters.").exists()
    assert Matter.objects.filter(pk=matter.pk).exists()
