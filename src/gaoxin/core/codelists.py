"""Loading the national code lists (GB/T 4754-2017 industries, GB/T 2260 divisions) from CSV."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_code_lists(Industry, Division) -> None:
    """Insert both lists; takes the model classes so the data migration can pass its own."""
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


def ensure_code_lists() -> None:
    """Reload the lists when a test flush emptied them (transactional browser tests)."""
    from .models import Division, Industry

    if not Industry.objects.exists():
        load_code_lists(Industry, Division)
