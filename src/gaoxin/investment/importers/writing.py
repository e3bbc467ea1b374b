"""Writing a validated ledger: bulk inserts in one transaction — the projects, then their stage
events and commitments, one audit record per project and one for the import as a whole."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.bulk import chunks, max_in_params
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import CellError, ImportResult

from .. import services
from ..models import Commitment, Project, StageEvent
from .validation import Plan, name_key

WRITE_BATCH = 2000  # rows per bulk_create call, so progress moves while writing


class Conflict(Exception):
    """The database changed under the import; everything was rolled back."""

    def __init__(self, errors):
        self.errors = errors


def write_plan(actor, zone, plan: Plan, result: ImportResult, progress, thresholds) -> None:
    total = len(plan.projects)
    try:
        with transaction.atomic():
            _check_names(zone, plan, result.parsed.layout)
            done = 0
            for chunk in chunks(plan.projects, WRITE_BATCH):
                Project.objects.bulk_create(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            _fill_pks(zone, plan.projects)
            # The events and commitments hold their (now saved) project: bulk_create takes the
            # id from it.
            StageEvent.objects.bulk_create(plan.events, batch_size=WRITE_BATCH)
            Commitment.objects.bulk_create(plan.commitments, batch_size=WRITE_BATCH)
            commitments = {c.project_id: c for c in plan.commitments}
            records = []
            for project in plan.projects:
                after = audit.snapshot(project)
                commitment = commitments.get(project.pk)
                if commitment is not None:
                    after["commitment"] = audit.snapshot(
                        commitment, fields=services.COMMITMENT_FIELDS
                    )
                records.append(
                    audit.build(
                        actor,
                        AuditRecord.Action.CREATE,
                        project,
                        after=after,
                        message=_("批量导入"),
                    )
                )
            result.created = len(plan.projects)
            records.append(_summary_record(actor, zone, plan, result, thresholds))
            AuditRecord.objects.bulk_create(records, batch_size=WRITE_BATCH)
    except IntegrityError:
        reason = _("写入时与库中数据冲突,已全部撤销,请重新导入")
        raise Conflict([CellError(None, "", "", reason)]) from None


def _check_names(zone, plan: Plan, layout) -> None:
    """Someone may have registered a project of the same name since validation: then stop."""
    keys = {name_key(p.name): row for p, row in zip(plan.projects, plan.rows, strict=True)}
    names = [p.name for p in plan.projects]
    taken = []
    active = Project.objects.active().filter(zone=zone)
    for chunk in chunks(names, max_in_params()):
        taken.extend(active.filter(name__in=chunk).values_list("name", flat=True))
    if taken:
        reason = _("导入期间本园区已登记了同名项目,已全部撤销,请重新导入")
        raise Conflict([layout.error(keys[name_key(n)], "name", n, reason) for n in taken])


def _fill_pks(zone, projects) -> None:
    """Databases that cannot return ids from a bulk insert: look them up by name (unique among
    the zone's active projects, as validation made sure)."""
    missing = [p for p in projects if p.pk is None]
    if not missing:
        return
    pks = {}
    for chunk in chunks([p.name for p in missing], max_in_params()):
        rows = Project.objects.active().filter(zone=zone, name__in=chunk).values_list("name", "pk")
        pks.update(rows)
    for p in missing:
        p.pk = pks[p.name]


def _summary_record(actor, zone, plan: Plan, result: ImportResult, thresholds) -> AuditRecord:
    large = sum(1 for p in plan.projects if p.planned_investment >= thresholds.large)
    class_5020 = sum(1 for p in plan.projects if p.planned_investment >= thresholds.class_5020)
    by_stage: dict[str, int] = {}
    for p in plan.projects:
        by_stage[p.stage] = by_stage.get(p.stage, 0) + 1
    return audit.build(
        actor,
        AuditRecord.Action.IMPORT,
        zone=zone,
        repr_=_("招商项目批量导入:%(f)s") % {"f": result.file_name},
        message=result.summary(),
        after={
            "file": result.file_name,
            "rows": result.rows,
            "created": result.created,
            "events": len(plan.events),
            "commitments": len(plan.commitments),
            "by_stage": dict(sorted(by_stage.items())),
            "large": large,
            "class_5020": class_5020,
        },
    )
