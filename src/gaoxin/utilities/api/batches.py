"""A utility company's batches over REST: POST /readings, /topups and /cutoffs, each a batch of
at most 10,000 rows, all or nothing, through `services.ingest` (the same path as a file).

201 `{batch, rows, written, repeated}`: a row identical to one already in the ledger is counted
in `repeated` and skipped, so re-sending a batch changes nothing. 422 with every bad row named
(`rows[3].index`, counted from 0) and nothing written: a meter unknown or not the caller's reads
the same. Who feeds: the zone's officers who keep ledgers, and a partner account (a utility
company's) for its own company's meters; everyone else 403.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from gaoxin.core.api import WRITE_ERRORS
from gaoxin.core.errors import Forbidden

from ..models import Source
from . import schemas as s
from .common import can_feed, feeding_zone, fill_kinds, may_feed, router


class _Aware:
    """Naive times are the zone's local time (Asia/Shanghai); a batch has few distinct ones."""

    def __init__(self):
        self.seen = {}

    def __call__(self, value):
        if value is None or value.tzinfo is not None:
            return value
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = timezone.make_aware(value)
        return found


def reading_rows(payload: s.UtilityReadingsIn) -> list[dict]:
    aware = _Aware()
    return [
        {"meter_no": r.meter_no, "kind": r.kind, "read_at": aware(r.read_at),
         "register": r.register_, "index": r.index}
        for r in payload.rows
    ]  # fmt: skip


def topup_rows(payload: s.UtilityTopUpsIn) -> list[dict]:
    aware = _Aware()
    return [
        {"meter_no": r.meter_no, "kind": r.kind, "paid_at": aware(r.paid_at),
         "amount": r.amount, "transaction_id": r.transaction_id, "channel": r.channel}
        for r in payload.rows
    ]  # fmt: skip


def cutoff_rows(payload: s.UtilityCutOffsIn) -> list[dict]:
    aware = _Aware()
    return [
        {"meter_no": r.meter_no, "kind": r.kind, "at": aware(r.at), "reason": r.reason,
         "restored_at": aware(r.restored_at)}
        for r in payload.rows
    ]  # fmt: skip


def row_errors(errors) -> ValidationError:
    """The service's RowErrors (row counted from 1) as the API names them (rows[i] from 0)."""
    by_field: dict[str, list[str]] = {}
    for e in errors:
        where = f"rows[{e.row - 1}]" if e.row else ""
        field = f"{where}.{e.field}" if where and e.field else (where or e.field or "__all__")
        by_field.setdefault(field, []).append(str(e.message))
    return ValidationError(by_field)


def _post(request, what: str, rows: list[dict], zone_code: str | None):
    from ..services import ingest

    user = request.auth
    if not may_feed(user):
        raise Forbidden(_("无权提交水电气台账数据"))
    zone = feeding_zone(user, zone_code)
    if not can_feed(user, zone):
        raise Forbidden(_("无权向该园区提交水电气台账数据"))
    problems = fill_kinds(user, zone, rows)
    if problems:
        raise row_errors(problems)
    post = {
        "readings": ingest.post_readings,
        "topups": ingest.post_topups,
        "cutoffs": ingest.post_cutoffs,
    }[what]
    try:
        batch = post(user, zone, rows, source=Source.API)
    except ingest.BatchRejected as rejected:
        raise row_errors(rejected.errors) from None
    return Status(
        201,
        {"batch": batch.pk, "rows": batch.rows, "written": batch.written,
         "repeated": batch.repeated},
    )  # fmt: skip


@router.post(
    "/readings",
    response={201: s.UtilityBatchOut, **WRITE_ERRORS},
    summary="推送读数(一批至多 10,000 行,全部成功或全部不写;重发的行不重复入账)",
)
def post_readings(request, payload: s.UtilityReadingsIn, zone: str | None = None):
    return _post(request, "readings", reading_rows(payload), zone)


@router.post(
    "/topups",
    response={201: s.UtilityBatchOut, **WRITE_ERRORS},
    summary="推送充值(按交易号识别重发;一批至多 10,000 行,全部成功或全部不写)",
)
def post_topups(request, payload: s.UtilityTopUpsIn, zone: str | None = None):
    return _post(request, "topups", topup_rows(payload), zone)


@router.post(
    "/cutoffs",
    response={201: s.UtilityBatchOut, **WRITE_ERRORS},
    summary="报告停供(平台从不停供;未经两级预警的停供记为意外停供)",
)
def post_cutoffs(request, payload: s.UtilityCutOffsIn, zone: str | None = None):
    return _post(request, "cutoffs", cutoff_rows(payload), zone)
