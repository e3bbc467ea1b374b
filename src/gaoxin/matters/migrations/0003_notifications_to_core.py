"""The matters' notifications move to core (`core.Notification`, with a generic target): each row
is copied with its kind "matters.<type>", its matter as the target and the matter's page to open,
its own time, and its read and e-mailed times. Reversible: core's "matters.*" rows go back."""

from django.db import migrations

BATCH = 2000


def forward(apps, schema_editor):
    Old = apps.get_model("matters", "Notification")
    New = apps.get_model("core", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    matter_type, _ = ContentType.objects.get_or_create(app_label="matters", model="matter")
    created = New._meta.get_field("created_at")
    created.auto_now_add = False  # each copy keeps its original's time
    try:
        rows = []
        for n in Old.objects.order_by("pk").iterator(chunk_size=BATCH):
            rows.append(
                New(
                    user_id=n.user_id,
                    kind=f"matters.{n.type}",
                    text=n.text,
                    content_type=matter_type if n.matter_id else None,
                    object_id=n.matter_id,
                    # The matter's page when this migration was written.
                    url=f"/matters/{n.matter_id}/" if n.matter_id else "",
                    created_at=n.created_at,
                    read_at=n.read_at,
                    emailed_at=n.emailed_at,
                )
            )
            if len(rows) == BATCH:
                New.objects.bulk_create(rows)
                rows = []
        New.objects.bulk_create(rows)
    finally:
        created.auto_now_add = True


def backward(apps, schema_editor):
    Old = apps.get_model("matters", "Notification")
    New = apps.get_model("core", "Notification")
    Matter = apps.get_model("matters", "Matter")
    created = Old._meta.get_field("created_at")
    created.auto_now_add = False
    try:
        moved = New.objects.filter(kind__startswith="matters.")
        known = set(
            Matter.objects.filter(
                pk__in=moved.exclude(object_id=None).values("object_id")
            ).values_list("pk", flat=True)
        )
        Old.objects.bulk_create(
            [
                Old(
                    user_id=n.user_id,
                    matter_id=n.object_id if n.object_id in known else None,
                    type=n.kind.split(".", 1)[1],
                    text=n.text,
                    created_at=n.created_at,
                    read_at=n.read_at,
                    emailed_at=n.emailed_at,
                )
                for n in moved.order_by("pk")
            ],
            batch_size=BATCH,
        )
        moved.delete()
    finally:
        created.auto_now_add = True


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0009_notification"),
        ("matters", "0002_attachment_path"),
    ]

    operations = [migrations.RunPython(forward, backward)]
