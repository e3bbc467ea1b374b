"""Corrections: a wrong reading or top-up is never overwritten. An officer enters a correction,
a Charge of kind `correction` naming the entry it corrects and why: a positive amount charges
the account (less balance), a negative one gives money back. `ledger_balance` recomputes a
balance from the entries (for tests and the check command): top-ups − priced readings −
charges."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, can_in_zone

from ..models import Account, Charge, ChargeKind, Reading, TopUp
from .accounts import lock, pk_of, text
from .ingest import MAX_TOPUP


def _amount(value) -> Decimal:
    if value in (None, "") or isinstance(value, bool):
        raise ValidationError({"amount": _("请填写更正金额(元)")})
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({"amount": _("更正金额应为数字(元),如 -12.50")})
    if amount == 0:
        raise ValidationError({"amount": _("更正金额不能为0")})
    if abs(amount) >= MAX_TOPUP:
        raise ValidationError({"amount": _("更正金额超出合理范围,请核对")})
    if amount != round(amount, 2):
        raise ValidationError({"amount": _("更正金额最多保留两位小数")})
    return amount


def _entry(model, value, account, field):
    if value is None:
        return None
    pk = pk_of(value)
    found = model.objects.filter(pk=pk, account_id=account.pk).first() if pk else None
    if found is None:
        raise ValidationError({field: _("更正的记录不属于该账户")})
    return found


def correct(actor, account, *, amount, reason, reading=None, topup=None) -> Charge:
    """A correction of `account`'s ledger (of `reading` or `topup`, or of the account as a
    whole): positive charges, negative refunds; the balance moves by it, audited, and the
    account's forecast and warnings are refreshed."""
    with transaction.atomic():
        account = lock(actor, Account, account, message=_("无权更正该账户的台账"))
        if not can_in_zone(actor, Charge, account.zone, ADD):  # officers only, not a partner
            raise Forbidden(_("无权更正该账户的台账"))
        amount = _amount(amount)
        reason = text(reason, "reason", _("更正原因"), 200, required=True)
        if reading is not None and topup is not None:
            raise ValidationError({"reading": _("一次更正只针对一条读数或一笔充值")})
        reading = _entry(Reading, reading, account, "reading")
        topup = _entry(TopUp, topup, account, "topup")
        now = timezone.now()
        charge = Charge.objects.create(
            zone_id=account.zone_id, account=account, day=today(), kind=ChargeKind.CORRECTION,
            amount=amount, corrects_reading=reading, corrects_topup=topup, reason=reason,
            actor=actor if getattr(actor, "pk", None) else None, source="entered",
        )  # fmt: skip
        Account.objects.filter(pk=account.pk).update(balance=F("balance") - amount, balance_at=now)
        audit.record(
            actor, AuditRecord.Action.CREATE, charge, after=audit.snapshot(charge),
            message=_("更正%(a)s:%(r)s") % {"a": account, "r": reason},
        )  # fmt: skip
        from .warnings import after_ledger  # the account's forecast, level and warnings

        after_ledger([account.pk], now)
        return charge


def ledger_balance(account) -> Decimal:
    """The balance the entries give: top-ups − priced readings − charges (corrections signed)."""
    pk = pk_of(account)

    def total(model, field="amount"):
        return model.objects.filter(account_id=pk).aggregate(s=Sum(field))["s"] or Decimal(0)

    return (total(TopUp) - total(Reading) - total(Charge)).quantize(Decimal("0.01"))
