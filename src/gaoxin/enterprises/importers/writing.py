"""Writing a validated enterprise import: bulk inserts and updates in one transaction, with the
status history, contacts, tag links and one audit record per enterprise plus a summary."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.bulk import chunks, max_in_params
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import CellError, ImportResult

from .. import regrouping, search
from ..models import Contact, Enterprise, StatusChange
from .columns import MODEL_FIELDS
from .validation import CONCRETE, Plan

WRITE_BATCH = 2000  # rows per bulk_create call, so progress moves while writing
UPDATE_FIELDS = (*MODEL_FIELDS, "industry", "status_since", "version", "updated_at")


class Conflict(Exception):
    """The database changed under the import; everything was rolled back."""

    def __init__(self, errors):
        self.errors = errors


def write_plan(actor, zone, plan: Plan, result: ImportResult, update_existing, progress):
    total = len(plan.creates) + len(plan.updates)
    try:
        with transaction.atomic():
            _check_versions(plan, result.parsed.layout)
            done = 0
            records = []
            now, today = clock.now(), clock.today()
            for chunk in chunks(plan.creates, WRITE_BATCH):
                Enterprise.objects.bulk_create(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            _fill_pks(zone, plan.creates)
            search.index(plan.creates, replace=False)
            _write_created_related(actor, zone, plan, today)
            for e in plan.creates:
                after = audit.snapshot(e, fields=CONCRETE)
                after["tags"] = sorted(t.name for t in plan.tags.get(id(e), []))
                records.append(audit.build(actor, AuditRecord.Action.CREATE, e, after=after))
            for chunk in chunks(plan.updates, WRITE_BATCH):
                _write_updates(actor, zone, chunk, now, today)
                for u in chunk:
                    records.append(
                        audit.build(
                            actor,
                            AuditRecord.Action.UPDATE,
                            u["e"],
                            before=u["before"],
                            after=u["after"],
                            message=_("批量导入"),
                        )
                    )
                done += len(chunk)
                if progress:
                    progress(done, total)
            result.created, result.updated = len(plan.creates), len(plan.updates)
            result.unchanged = plan.unchanged
            records.append(_summary_record(actor, zone, result, update_existing))
            AuditRecord.objects.bulk_create(records, batch_size=WRITE_BATCH)
    except IntegrityError:
        reason = _(
            "写入时与库中数据冲突(可能有人同时登记了相同的统一社会信用代码),已全部撤销,请重新导入"
        )
        raise Conflict([CellError(None, "", "", reason)]) from None


def _check_versions(plan: Plan, layout) -> None:
    """Someone may have edited an enterprise between validation and writing: then stop."""
    if not plan.updates:
        return
    wanted = {u["e"].pk: u["e"].version for u in plan.updates}
    current = {}
    for chunk in chunks(wanted, max_in_params()):
        current.update(
            Enterprise.objects.active().filter(pk__in=chunk).values_list("pk", "version")
        )
    stale = [u for u in plan.updates if current.get(u["e"].pk) != u["e"].version]
    if stale:
        reason = _("该企业在导入期间被他人修改,已全部撤销,请重新导入")
        raise Conflict([layout.error(u["row"], "uscc", u["e"].uscc, reason) for u in stale])


def _fill_pks(zone, enterprises) -> None:
    """Databases that cannot return ids from a bulk insert: look them up by credit code."""
    missing = [e for e in enterprises if e.pk is None]
    if not missing:
        return
    pks = {}
    for chunk in chunks([e.uscc for e in missing], max_in_params()):
        pks.update(
            Enterprise.objects.active().filter(zone=zone, uscc__in=chunk).values_list("uscc", "pk")
        )
    for e in missing:
        e.pk = pks[e.uscc]


def _write_created_related(actor, zone, plan: Plan, today) -> None:
    through = Enterprise.tags.through
    links, changes, contacts = [], [], []
    for e in plan.creates:
        links.extend(through(enterprise_id=e.pk, tag_id=t.pk) for t in plan.tags.get(id(e), []))
        changes.append(
            StatusChange(
                zone=zone,
                enterprise=e,
                status=e.status,
                on=e.status_since or today,
                note=_("批量导入登记"),
                actor_name=actor.username,
            )
        )
        contact = plan.contacts.get(id(e))
        if contact is not None:
            contact.enterprise = e
            contacts.append(contact)
    through.objects.bulk_create(links, batch_size=WRITE_BATCH)
    StatusChange.objects.bulk_create(changes, batch_size=WRITE_BATCH)
    Contact.objects.bulk_create(contacts, batch_size=WRITE_BATCH)


def _write_updates(actor, zone, updates: list[dict], now, today) -> None:
    through = Enterprise.tags.through
    for u in updates:
        u["e"].version += 1
        u["e"].updated_at = now
    with regrouping.regrouping(zone.pk, [u["e"].pk for u in updates]):
        Enterprise.objects.bulk_update([u["e"] for u in updates], UPDATE_FIELDS, batch_size=500)
        search.index([u["e"] for u in updates if u["before"].get("name") != u["e"].name])
        retagged = [u for u in updates if u["tags"]]
        if retagged:
            through.objects.filter(enterprise_id__in=[u["e"].pk for u in retagged]).delete()
            through.objects.bulk_create(
                [through(enterprise_id=u["e"].pk, tag_id=t.pk) for u in retagged for t in u["tags"]]
            )
    contacts = [u["contact"] for u in updates if u["contact"] is not None]
    Contact.objects.bulk_update([c for c in contacts if c.pk], ["name", "phone"])
    Contact.objects.bulk_create([c for c in contacts if not c.pk])
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                zone=zone,
                enterprise=u["e"],
                status=u["status"],
                on=today,
                note=_("批量导入"),
                actor_name=actor.username,
            )
            for u in updates
            if u["status"]
        ]
    )


def _summary_record(actor, zone, result: ImportResult, update_existing) -> AuditRecord:
    return audit.build(
        actor,
        AuditRecord.Action.IMPORT,
        zone=zone,
        repr_=_("企业批量导入:%(f)s") % {"f": result.file_name},
        message=result.summary(),
        after={
            "file": result.file_name,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "update_existing": bool(update_existing),
        },
    )
