"""Writing a validated returns import in one transaction: the returns (submitted), a revision
snapshot of each, the checks' findings and the import's audit record — the rows
`services.submit` / `services.revise` write one at a time, written in bulk.

The audit trail of an import: one record for the import (who, when, which file, how many rows)
and, per return, its revision (actor, time, the figures, a note naming the file): the row-level
trail the return's page shows (its timeline links the import's record by zone and time). A return
the import overwrites or revises also gets its own audit record, with what it was before.

100,000 returns make ~200,000 rows. Django's bulk_create compiles every value through its field
(µs each, millions of values); here each table's rows are plain tuples in the database's form,
sent with COPY on PostgreSQL and multi-row INSERTs on SQLite (core.bulk.insert).
"""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock, context
from gaoxin.core.bulk import chunks, insert, max_in_params
from gaoxin.core.models import AuditRecord
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import CellError

from .. import services
from ..models import Deadline, Finding, FindingStatus, Return, ReturnRevision, ReturnStatus
from .validation import Entry, Plan

OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)

RETURN_FIELDS = (
    "zone", "enterprise", "period", "status", "data", "explanations", "due_on", "submitted_at",
    "submitted_by", "reviewed_at", "reviewed_by", "returned_reason", "revision", "version",
    "created_at", "updated_at",
)  # fmt: skip
REVISION_FIELDS = ("zone", "ret", "number", "status", "data", "note", "actor", "actor_name", "at")
FINDING_FIELDS = (
    "zone", "ret", "enterprise", "period", "rule_code", "kind", "indicator", "severity", "message",
    "status", "explanation", "query_due_on", "queried_at", "queried_by_name", "created_at",
    "closed_at",
)  # fmt: skip
AUDIT_FIELDS = (
    "time", "actor", "actor_name", "request_id", "ip", "action", "zone", "content_type",
    "object_id", "object_repr", "before", "after", "message",
)  # fmt: skip


class Conflict(Exception):
    """The database changed under the import; everything was rolled back."""

    def __init__(self, errors):
        self.errors = errors


def _due_dates(zone, periods) -> dict[int, datetime.date]:
    set_dates = dict(
        Deadline.objects.filter(zone=zone, period__in=sorted(periods)).values_list(
            "period", "due_on"
        )
    )
    return {p: set_dates.get(p) or services.default_due_on(p) for p in periods}


def write_plan(actor, zone, plan: Plan, problems: dict, indicator_ids: dict, result, progress):
    """problems: {entry index: [Problem]} (creates first, then updates, in plan order);
    indicator_ids: {code: id} of the zone's catalogue."""
    entries = [*plan.creates, *plan.updates]
    total = len(entries)
    ops = connection.ops
    now = clock.now()
    now_db = ops.adapt_datetimefield_value(now)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    name = getattr(actor, "username", "") or ""
    label = {p: Period.of(p).label() for p in {e.period for e in entries}}
    for e in entries:
        e.data_json = json.dumps(e.data)
    try:
        with transaction.atomic():
            _check_versions(plan, result.parsed.layout)
            due = _due_dates(zone, {e.period for e in plan.creates})
            due_db = {p: ops.adapt_datefield_value(d) for p, d in due.items()}
            insert(
                Return,
                RETURN_FIELDS,
                (
                    (zone.pk, e.enterprise.pk, e.period, ReturnStatus.SUBMITTED, e.data_json,
                     "{}", due_db[e.period], now_db, actor_id, None, None, "", 0, 1, now_db,
                     now_db)
                    for e in plan.creates
                ),
            )  # fmt: skip
            if progress:
                progress(len(plan.creates) // 2, total)
            _fill_pks(zone, plan.creates)
            befores = _write_updates(actor, plan.updates, now)
            previous = _clear_findings([e.ret.pk for e in plan.updates])
            findings = _findings(zone, entries, problems, indicator_ids, previous, now_db)
            insert(Finding, FINDING_FIELDS, findings)
            note_new = _("批量导入:%(f)s") % {"f": result.file_name}
            insert(
                ReturnRevision,
                REVISION_FIELDS,
                (
                    (zone.pk, e.ret_pk, e.ret.revision if e.ret else 0, ReturnStatus.SUBMITTED,
                     e.data_json, _revision_note(e, result) if e.revise else note_new, actor_id,
                     name, now_db)
                    for e in entries
                ),
            )  # fmt: skip
            if progress:
                progress(len(plan.creates), total)
            counts = {index: len(found) for index, found in problems.items()}
            insert(AuditRecord, AUDIT_FIELDS, _audit_rows(actor, plan, befores, counts, label, now))
            result.created, result.updated = len(plan.creates), len(plan.updates)
            result.findings = len(findings)
            # Written at the revisions' instant: the return's page finds it by zone and time.
            record = audit.build(
                actor,
                AuditRecord.Action.IMPORT,
                zone=zone,
                repr_=_("月度报表批量导入:%(f)s") % {"f": result.file_name},
                message=result.summary(),
                after={
                    "file": result.file_name,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "revised": sum(1 for e in plan.updates if e.revise),
                    "findings": len(findings),
                    "periods": sorted(label),
                    "revisions": total,
                },
            )
            # (insert, not save: the field's auto_now_add would stamp another instant)
            insert(AuditRecord, AUDIT_FIELDS, [
                (now_db, record.actor_id, record.actor_name, record.request_id, record.ip,
                 record.action, zone.pk, None, "", record.object_repr, None,
                 json.dumps(record.after), record.message)
            ])  # fmt: skip
            if progress:
                progress(total, total)
    except IntegrityError:
        reason = _(
            "写入时与库中数据冲突(可能有人同时报送或导入了同一企业同一期的报表),已全部撤销,请重新导入"
        )
        raise Conflict([CellError(None, "", "", reason)]) from None


def _revision_note(entry: Entry, result) -> str:
    return _("批量导入修订(第 %(n)d 次):%(f)s") % {"n": entry.ret.revision, "f": result.file_name}


def _check_versions(plan: Plan, layout) -> None:
    """Someone may have changed a return between validation and writing: then stop."""
    if not plan.updates:
        return
    wanted = {e.ret.pk: e.ret.version for e in plan.updates}
    current = {}
    for chunk in chunks(list(wanted), max_in_params()):
        current.update(
            Return.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "version")
        )
    stale = [e for e in plan.updates if current.get(e.ret.pk) != e.ret.version]
    if stale:
        reason = _("该报表在导入期间被他人修改,已全部撤销,请重新导入")
        raise Conflict([layout.error(e.row, "uscc", e.enterprise.uscc, reason) for e in stale])


def _fill_pks(zone, creates: list[Entry]) -> None:
    """The new returns' ids, by (enterprise, period): one query per chunk of periods."""
    if not creates:
        return
    periods = sorted({e.period for e in creates})
    pks = {}
    for chunk in chunks(periods, max_in_params()):
        pks.update(
            ((enterprise, period), pk)
            for enterprise, period, pk in Return.objects.filter(
                zone=zone, period__in=chunk
            ).values_list("enterprise_id", "period", "pk")
        )
    for e in creates:
        e.ret_pk = pks[(e.enterprise.pk, e.period)]


def _write_updates(actor, updates: list[Entry], now) -> dict[int, dict]:
    """Overwrite drafts, submitted and returned returns; revise accepted ones (revision + 1).
    The accepted figures stay published until the revision is accepted (services.revise)."""
    befores = {}
    for e in updates:
        ret = e.ret
        e.ret_pk = ret.pk
        befores[ret.pk] = audit.snapshot(ret)
        ret.data = e.data
        ret.status = ReturnStatus.SUBMITTED
        ret.submitted_at = now
        ret.submitted_by = actor if getattr(actor, "pk", None) else None
        ret.returned_reason = ""
        if e.revise:
            ret.revision += 1
        ret.version += 1
        ret.updated_at = now
    fields = ["data", "status", "submitted_at", "submitted_by", "returned_reason", "revision",
              "version", "updated_at"]  # fmt: skip
    Return.objects.bulk_update([e.ret for e in updates], fields, batch_size=500)
    return befores


def _clear_findings(pks: list[int]) -> dict:
    """Remove the unresolved findings of overwritten returns, keeping a query already sent for
    the same problem (returns._run_checks does the same for one return)."""
    previous = {}
    for chunk in chunks(pks, max_in_params()):
        rows = Finding.objects.filter(ret_id__in=chunk, status__in=OPEN_FINDINGS)
        for f in rows:
            previous[(f.ret_id, f.rule_code, f.indicator_id)] = f
        Finding.objects.filter(ret_id__in=chunk, status__in=OPEN_FINDINGS).delete()
    return previous


def _findings(zone, entries, problems, indicator_ids, previous, now_db) -> list[tuple]:
    """Finding rows as returns._run_checks makes them (an explanation already given for the
    rule marks it explained; a query already sent stays sent)."""
    ops = connection.ops
    rows = []
    for index, e in enumerate(entries):
        found = problems.get(index)
        if not found:
            continue
        explanations = (e.ret.explanations or {}) if e.ret is not None else {}
        for p in found:
            indicator_id = indicator_ids.get(p.indicator_code)
            explanation = explanations.get(p.rule_code, "")
            status = FindingStatus.EXPLAINED if explanation else FindingStatus.OPEN
            due, queried_at, queried_by = None, None, ""
            old = previous.get((e.ret_pk, p.rule_code, indicator_id)) if previous else None
            if old is not None and old.status == FindingStatus.QUERIED and not explanation:
                status = FindingStatus.QUERIED
                due = ops.adapt_datefield_value(old.query_due_on)
                queried_at = ops.adapt_datetimefield_value(old.queried_at)
                queried_by = old.queried_by_name
            rows.append(
                (zone.pk, e.ret_pk, e.enterprise.pk, e.period, p.rule_code, p.kind, indicator_id,
                 p.severity, p.message, status, explanation, due, queried_at, queried_by,
                 now_db, None)
            )  # fmt: skip
    return rows


def _audit_rows(actor, plan: Plan, befores, counts, label, now):
    """One audit record per return the import overwrote or revised (its `before` is nowhere
    else); a new return's only state is its first revision, so the import's record covers it."""
    ct = ContentType.objects.get_for_model(Return).pk
    now_db = connection.ops.adapt_datetimefield_value(now)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    name = getattr(actor, "username", "") or str(actor or "")
    request_id, ip = context.request_id.get(), context.client_ip.get()
    revised_msg = _("批量导入修订(第 %(r)d 次)%(p)s 报表,审核发现 %(n)d 项")
    updated_msg = _("批量导入覆盖 %(p)s 报表并报送,审核发现 %(n)d 项")
    offset = len(plan.creates)  # problems are keyed by entry index: creates first
    for index, e in enumerate(plan.updates, start=offset):
        ret, n = e.ret, counts.get(index, 0)
        template = revised_msg if e.revise else updated_msg
        message = template % {"p": label[e.period], "n": n, "r": ret.revision}
        yield (
            now_db, actor_id, name, request_id, ip, AuditRecord.Action.UPDATE, ret.zone_id, ct,
            str(ret.pk), f"{e.enterprise.name} {label[e.period]}"[:200],
            json.dumps(befores[ret.pk]), json.dumps(audit.snapshot(ret)), message,
        )  # fmt: skip
