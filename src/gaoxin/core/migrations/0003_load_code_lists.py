"""Load GB/T 4754-2017 industries and GB/T 2260 divisions from the CSV files in core/data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Industry = apps.get_model("core", "Industry")
    Division = apps.get_model("core", "Division")
    with open(DATA / "gbt4754-2017-industries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    section_of = {}
    for row in rows:  # parents come before their children in the file
        code, parent = row["code"], row["parent"] or None
        section_of[code] = code if row["level"] == "section" else section_of[parent]
    Industry.objects.bulk_create(
        [
            Industry(
                code=r["code"],
                name=r["name"],
                level=r["level"],
                parent_id=r["parent"] or None,
                section=section_of[r["code"]],
            )
            for r in rows
        ],
        batch_size=500,
    )
    with open(DATA / "gbt2260-2024-divisions.csv", encoding="utf-8") as f:
        Division.objects.bulk_create(
            [Division(code=r["code"], name=r["name"], level=r["level"]) for r in csv.DictReader(f)],
            batch_size=500,
        )


def unload(apps, schema_editor):
    apps.get_model("core", "Industry").objects.all().delete()
    apps.get_model("core", "Division").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
