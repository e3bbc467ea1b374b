"""The road past one machine: how every table would be placed on Citus (distributed PostgreSQL),
read from the installed models, so the check follows each new module without a list to keep.

A table is
- **distributed** by zone when it carries `zone` (mechanism 1 in DESIGN.md);
- **reference** (copied to every node) when it has no zone, is referenced from a distributed
  table, and references no distributed table itself: code lists, people, content types;
- **local** (kept on the coordinator) when nothing distributed refers to it: sessions, lockout
  logs, Django's own tables.

A model may say `placement = "reference"`: a small catalogue every zone reads, whose shared rows
have no zone (statistics' indicators and rules); its `zone` is then an ordinary column.

Citus requires of a distributed table that every PRIMARY KEY and UNIQUE constraint include the
distribution column, and that every foreign key between two distributed tables include it on
both sides (so the two rows live on the same node). A reference table may not point at a
distributed one, and a distributed table may not point at a local one. `problems()` names each
place where today's schema breaks one of these; `docs/scale.md` explains the remedy of each kind.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

DISTRIBUTED, REFERENCE, LOCAL = "distributed", "reference", "local"
ZONE = "zone"


@dataclass
class Table:
    name: str
    model: type[models.Model]
    kind: str = LOCAL
    zone_nullable: bool = False
    uniques: list[tuple[str, ...]] = field(default_factory=list)  # column sets, pk excluded
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (column, target table)

    @property
    def zoned(self) -> bool:
        return any(f.name == ZONE for f in self.model._meta.concrete_fields)


def _uniques(model) -> list[tuple[str, ...]]:
    """Every unique column set but the primary key: unique fields, unique_together and
    UniqueConstraints (partial ones too: Citus treats a unique index alike)."""
    opts = model._meta
    found = [(f.column,) for f in opts.concrete_fields if f.unique and not f.primary_key]
    for names in opts.unique_together:
        found.append(tuple(opts.get_field(n).column for n in names))
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            found.append(tuple(opts.get_field(n).column for n in constraint.fields))
    return found


def tables() -> dict[str, Table]:
    """Every table of the installed apps (many-to-many tables included), classified."""
    found: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = Table(model._meta.db_table, model, uniques=_uniques(model))
        for f in model._meta.concrete_fields:
            if f.is_relation:
                table.foreign_keys.append((f.column, f.related_model._meta.db_table))
            if f.name == ZONE:
                table.zone_nullable = f.null
        if getattr(model, "placement", None) == REFERENCE:
            table.kind = REFERENCE
        else:
            table.kind = DISTRIBUTED if table.zoned else LOCAL
        found[table.name] = table
    # Tables without a zone that distributed tables point at (directly or through other such
    # tables) are copied to every node.
    pending = [t for t in found.values() if t.kind == DISTRIBUTED]
    while pending:
        table = pending.pop()
        for _column, target in table.foreign_keys:
            other = found[target]
            if other.kind == LOCAL:
                other.kind = REFERENCE
                pending.append(other)
    return found


def problems(found: dict[str, Table]) -> list[tuple[str, str, str]]:
    """(table, kind of problem, detail) for every place the schema breaks a Citus rule."""
    out = []
    for table in sorted(found.values(), key=lambda t: t.name):
        if table.kind == DISTRIBUTED:
            if table.zone_nullable:
                out.append((table.name, "zone-nullable", "zone_id may be NULL"))
            for columns in table.uniques:
                if "zone_id" not in columns:
                    out.append((table.name, "unique-without-zone", ", ".join(columns)))
        for column, target in table.foreign_keys:
            other = found[target]
            if table.kind == REFERENCE and other.kind == DISTRIBUTED:
                out.append((table.name, "reference-to-distributed", f"{column} → {target}"))
            elif table.kind == LOCAL and other.kind == DISTRIBUTED:
                out.append((table.name, "local-to-distributed", f"{column} → {target}"))
    return out


def colocated_links(found: dict[str, Table]) -> list[tuple[str, str, str]]:
    """(table, column, target) of every foreign key between two distributed tables: on Citus each
    becomes (zone_id, column) → target (zone_id, id), which needs both rows in the same zone."""
    return [
        (t.name, column, target)
        for t in sorted(found.values(), key=lambda t: t.name)
        if t.kind == DISTRIBUTED
        for column, target in t.foreign_keys
        if found[target].kind == DISTRIBUTED
    ]


def cross_zone_rows(found: dict[str, Table]) -> list[tuple[str, str, int]]:
    """(table, column, rows) where a row points at a row of another zone: such a row could not
    be placed on Citus. Counted in the database; an empty list is the healthy answer."""
    out = []
    for name, column, _target in colocated_links(found):
        model = found[name].model
        field_name = next(f.name for f in model._meta.concrete_fields if f.column == column)
        rows = (
            model._base_manager.filter(**{f"{field_name}__isnull": False})
            .exclude(**{f"{field_name}__zone": models.F(ZONE)})
            .count()
        )
        if rows:
            out.append((name, column, rows))
    return out


def report(found: dict[str, Table] | None = None) -> str:
    """The report as Markdown: the tables by kind, then the problems. Deterministic, so
    docs/scale.md can hold it and a test can tell when the schema moved away from it."""
    found = found if found is not None else tables()
    lines = ["| kind | tables |", "| --- | --- |"]
    for kind in (DISTRIBUTED, REFERENCE, LOCAL):
        names = sorted(t.name for t in found.values() if t.kind == kind)
        lines.append(f"| {kind} ({len(names)}) | {', '.join(f'`{n}`' for n in names)} |")
    links = colocated_links(found)
    lines += [
        "",
        f"Foreign keys between distributed tables: {len(links)}, each of them between two "
        "tables that carry `zone_id`, so each can become a two-column key on Citus.",
        "",
    ]
    found_problems = problems(found)
    if not found_problems:
        lines.append("No problems.")
        return "\n".join(lines) + "\n"
    lines += ["| table | problem | detail |", "| --- | --- | --- |"]
    lines += [f"| `{t}` | {kind} | {detail} |" for t, kind, detail in found_problems]
    return "\n".join(lines) + "\n"
