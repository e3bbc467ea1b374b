"""What the three kinds of batch (ingest.py) share: the row errors, the checks of a row's
values (fast for the good row, a Chinese message naming the field for the bad), who may feed
which accounts, the accounts loaded by meter in bulk, the bulk insert, the balances moved, and
the batch's one audit record followed by the warnings' refresh."""

import contextlib
import datetime
import functools
import gc
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit, bulk
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.core.models.access import ADD, can_in_zone
from gaoxin.core.records import refuse_in_zone

from .. import tariffs
from ..models import Account, Batch, Kind, Source
from ..models.access import partner_company_ids, partner_zone_ids

EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
SKEW = datetime.timedelta(minutes=5)  # a clock a little ahead is not "the future"
CHUNK = 2000  # meters in one IN (…)
KINDS = frozenset(Kind.values)
TEXT_MAX = {"meter_no": 32, "transaction_id": 64, "channel": 20, "reason": 100}
METER_REQUIRED = gettext_lazy("请填写表号")  # translated only when a row needs it
ACCOUNT_VALUES = ("pk", "kind", "meter_no", "tariff_id", "tariff__structure", "opened_on",
                  "closed_on", "balance", "capacity_kva")  # fmt: skip


@dataclass
class RowError:
    row: int  # 1-based position in the batch (a file: its sheet row)
    field: str
    value: str
    message: str


class BatchRejected(Exception):
    """The batch had errors (`errors`, by row); nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.row, e.field))
        super().__init__(_("数据有误,共%(n)s处,未入账") % {"n": len(self.errors)})


class Rows:
    """The errors of a batch as its rows are read, and the checks of their values."""

    def __init__(self, now):
        self.errors: list[RowError] = []
        self.now, self.latest = now, now + SKEW

    def error(self, row, field, value, message):
        text = "" if value is None else str(value)
        self.errors.append(RowError(row, field, text[:100], str(message)))

    def text(self, n, row, field, *, required=None) -> str | None:
        value = row.get(field)
        value = "" if value is None else str(value).strip()
        if not value:
            if required:
                self.error(n, field, "", required)
                return None
            return ""
        if "\x00" in value:
            self.error(n, field, value.replace("\x00", ""), _("含有空字符,请删除后重试"))
            return None
        if len(value) > TEXT_MAX[field]:
            self.error(n, field, value, _("不能超过%(n)s个字符") % {"n": TEXT_MAX[field]})
            return None
        return value

    def time(self, n, row, field, *, required=True) -> datetime.datetime | None:
        value = row.get(field)
        if (
            type(value) is datetime.datetime
            and value.tzinfo is not None
            and EARLIEST <= value <= self.latest
        ):
            return value  # the usual row
        if value in (None, ""):
            if required:
                self.error(n, field, "", _("请填写时间"))
            return None
        at = value
        if isinstance(value, str):
            try:
                at = datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                at = None
        if not isinstance(at, datetime.datetime):
            self.error(n, field, value, _("时间格式应为 YYYY-MM-DD HH:MM:SS"))
            return None
        if timezone.is_naive(at):
            at = timezone.make_aware(at, timezone.get_default_timezone())
        if at > self.latest:
            self.error(n, field, value, _("时间晚于当前时间"))
            return None
        if at < EARLIEST:
            self.error(n, field, value, _("时间早于2000年,请核对"))
            return None
        return at

    def number(self, n, row, field, *, high, places, label) -> Decimal | None:
        value = row.get(field)
        if (
            type(value) is Decimal
            and value.is_finite()
            and 0 <= value < high
            and value.as_tuple().exponent >= -places
        ):
            return value  # the usual row
        if value in (None, "") or isinstance(value, bool):
            self.error(n, field, value, _("请填写%(l)s") % {"l": label})
            return None
        try:
            number = value if type(value) is Decimal else Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            self.error(n, field, value, _("%(l)s应为数字") % {"l": label})
            return None
        if number < 0:
            self.error(n, field, value, _("%(l)s不能为负数") % {"l": label})
            return None
        if number >= high:
            self.error(n, field, value, _("%(l)s超出合理范围,请核对") % {"l": label})
            return None
        if number != round(number, places):
            self.error(n, field, value, _("%(l)s最多保留%(p)s位小数") % {"l": label, "p": places})
            return None
        return number


@contextlib.contextmanager
def no_cycle_collection():
    """The cyclic garbage collector paused while a batch runs: its 100,000 tuples and lists
    would start a dozen collections, each walking every object of the process (a third of a
    big batch's time); none of them makes a cycle, and the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def zone_id(zone):
    return getattr(zone, "pk", zone)


def feedable(actor, zone):
    """The accounts `actor` may feed in `zone`, and the batch's company (a partner's own, when
    it feeds one): else 404 when the zone is out of sight, 403 when the actor only reads."""
    zid = zone_id(zone)
    companies = partner_company_ids(actor) if zid in partner_zone_ids(actor) else []
    zone_obj = zone if isinstance(zone, Zone) else Zone.objects.filter(pk=zid).first()
    if not companies and (zone_obj is None or not can_in_zone(actor, Account, zone_obj, ADD)):
        if zone_obj is None:
            raise Zone.DoesNotExist(_("未找到该园区"))
        refuse_in_zone(actor, zone_obj, _("无权报送水电气数据"))
    accounts = Account.objects.restrict(actor, ADD).filter(zone_id=zid)
    return accounts, companies[0] if len(companies) == 1 else None


def start(actor, zone, rows, source, now):
    """The batch's rows (a list), the accounts the actor feeds, its company, the row checks."""
    if source not in Source.values:
        raise ValueError(f"unknown source {source!r}")
    accounts, company = feedable(actor, zone)
    rows, check = list(rows), Rows(now)
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            check.error(n, "", row, _("每行应为一组字段(表号、类别……)"))
    if check.errors:
        raise BatchRejected(check.errors)
    return rows, accounts, company, check


class BatchAccount:
    """What a batch needs of an account (loaded as values: 5,000 model instances would cost
    more than the rest of the batch), plus its `extra` annotations."""

    __slots__ = ("pk", "kind", "meter_no", "tariff_id", "structure", "opened_on", "closed_on",
                 "balance", "capacity_kva", "extra")  # fmt: skip

    def __init__(self, values, extra_names):
        n = len(ACCOUNT_VALUES)
        for name, value in zip(self.__slots__[:n], values[:n], strict=True):
            setattr(self, name, value)
        self.extra = dict(zip(extra_names, values[n:], strict=True))


def accounts_of(check: Rows, accounts_qs, batch_rows, extra=None) -> list:
    """Each row's account (by its kind and meter number), or None with an error on the row:
    the accounts loaded (locked for the batch) in one query a 2,000 meters, with the `extra`
    annotations. A meter unknown and one the actor may not feed answer the same."""
    extra = extra or {}
    keys = []
    for n, row in enumerate(batch_rows, start=1):
        meter = row.get("meter_no")
        if type(meter) is not str or not 0 < len(meter) <= 32 or meter != meter.strip() or "\x00" in meter:  # fmt: skip
            meter = check.text(n, row, "meter_no", required=METER_REQUIRED)
        kind = row.get("kind") or ""
        if kind not in KINDS:
            check.error(n, "kind", kind, _("类别应为 electricity(电)、water(水)或 gas(气)"))
            meter = None
        keys.append((kind, meter) if meter else None)
    meters = sorted({k[1] for k in keys if k})
    found = {}
    for i in range(0, len(meters), CHUNK):
        chosen = accounts_qs.filter(meter_no__in=meters[i : i + CHUNK]).order_by("pk")
        if connection.features.has_select_for_update:
            # Locked first, read after: a statement that waited for a lock would see the ledger
            # as it was before the other batch (SQLite's IMMEDIATE transactions wait at BEGIN).
            list(chosen.select_for_update(of=("self",)).values_list("pk", flat=True))
        for values in chosen.annotate(**extra).values_list(*ACCOUNT_VALUES, *extra):
            acc = BatchAccount(values, list(extra))
            found[(acc.kind, acc.meter_no)] = acc
    out = []
    for n, key in enumerate(keys, start=1):
        acc = found.get(key) if key else None
        if key and acc is None:
            check.error(n, "meter_no", key[1], _("表号不存在或无权报送该表的数据"))
        out.append(acc)
    return out


def insert(model, names: tuple, rows: list[tuple]) -> None:
    """Write `rows` (tuples of the `names` fields' values) with core.bulk.insert, the ledger's
    bulk path (COPY on PostgreSQL, multi-row INSERTs on SQLite): bulk_create compiles every value
    of 10,000 readings (ten times slower). Dates and times are adapted for the database once a
    distinct value."""
    if not rows:
        return
    ops = connection.ops
    adapt = {"DateTimeField": ops.adapt_datetimefield_value, "DateField": ops.adapt_datefield_value}
    columns = list(zip(*rows, strict=True))
    for i, name in enumerate(names):
        convert = adapt.get(model._meta.get_field(name).get_internal_type())
        if convert is not None:
            columns[i] = list(map(functools.lru_cache(maxsize=4096)(convert), columns[i]))
    bulk.insert(model, names, zip(*columns, strict=True))


def move_balances(deltas: dict, latest: dict, accounts: dict) -> None:
    """The balance of each (locked) account moved by its delta, and balance_at on to its latest
    entry when that is later: one UPDATE statement executed for all of them."""
    adapt = functools.lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    params = []
    for pk, delta in deltas.items():
        acc = accounts[pk]
        acc.balance = tariffs.money(acc.balance + delta)
        at = adapt(latest[pk])
        params.append((acc.balance, at, at, pk))
    if params:
        qn = connection.ops.quote_name
        at = qn("balance_at")
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {qn(Account._meta.db_table)} SET {qn('balance')} = %s, {at} = CASE "
                f"WHEN {at} IS NULL OR {at} < %s THEN %s ELSE {at} END WHERE {qn('id')} = %s",
                params,
            )


def finish(actor, zone, what, company, source, counts, touched, now) -> Batch:
    """The batch's row and its one audit record, then H4's warnings.after_ledger on the
    accounts written to (all inside the caller's transaction)."""
    total, written, repeated = counts
    batch = Batch.objects.create(
        zone_id=zone_id(zone), what=what, company_id=company, source=source,
        actor=actor if getattr(actor, "pk", None) else None,
        rows=total, written=written, repeated=repeated,
    )  # fmt: skip
    if source == Source.DEMO:
        return batch  # the demo's one audit record a zone counts what it loaded (gaoxin.demo)
    audit.record(
        actor,
        AuditRecord.Action.IMPORT,
        batch,
        after={"what": what, "rows": total, "written": written, "repeated": repeated,
               "accounts": len(touched), "source": source},
        message=_("%(what)s批次 #%(id)s:共%(n)s行,入账%(w)s行,重复已跳过%(r)s行")
        % {"what": batch.get_what_display(), "id": batch.pk, "n": total, "w": written,
           "r": repeated},
        repr_=_("数据批次 #%(id)s") % {"id": batch.pk},
    )  # fmt: skip
    return batch


def after_ledger(touched, now) -> None:
    """H4's refresh of the forecasts, levels and warnings of the accounts written to."""
    if not touched:
        return
    from .warnings import after_ledger as refresh  # lazily: warnings stands on this module

    refresh(sorted(touched), now)
