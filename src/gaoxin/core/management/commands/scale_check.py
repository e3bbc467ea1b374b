"""`gaoxin scale-check`: every table as distributed by zone, reference or local, and what keeps
the schema from running on Citus (docs/scale.md). With `--data`, also counts the rows that point
at another zone's rows (which Citus could not place); exits 1 when there are any."""

from django.core.management.base import BaseCommand, CommandError

from gaoxin.core import scale


class Command(BaseCommand):
    help = "List every table by its placement on a distributed database, and its problems."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", action="store_true", help="also count rows that point at another zone's"
        )

    def handle(self, *args, data, **options):
        found = scale.tables()
        self.stdout.write(scale.report(found), ending="")
        if not data:
            return
        crossing = scale.cross_zone_rows(found)
        for table, column, rows in crossing:
            self.stdout.write(f"{table}.{column}: {rows} rows point at another zone's row")
        if crossing:
            raise CommandError("rows point across zones")
        self.stdout.write("Every row points within its own zone.")
