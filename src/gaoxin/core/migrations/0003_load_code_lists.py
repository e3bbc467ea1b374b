"""Load GB/T 4754-2017 industries and GB/T 2260 divisions from the CSV files in core/data."""

from django.db import migrations

from gaoxin.core.codelists import load_code_lists


def load(apps, schema_editor):
    load_code_lists(apps.get_model("core", "Industry"), apps.get_model("core", "Division"))


def unload(apps, schema_editor):
    apps.get_model("core", "Industry").objects.all().delete()
    apps.get_model("core", "Division").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
