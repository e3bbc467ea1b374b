"""Seed the standard indicator catalogue and check rules (statistics.catalogue)."""

from django.db import migrations

from gaoxin.statistics.catalogue import load_standard


def load(apps, schema_editor):
    load_standard(apps.get_model("statistics", "Indicator"), apps.get_model("statistics", "Rule"))


def unload(apps, schema_editor):
    apps.get_model("statistics", "Rule").objects.filter(zone__isnull=True).delete()
    apps.get_model("statistics", "Indicator").objects.filter(zone__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
