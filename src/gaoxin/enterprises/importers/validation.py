"""Checking every row of an enterprise import by the registry's own rules, with what those rules
would look up row by row (industries, tags, existing credit codes) loaded once for the file."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.bulk import chunks, max_in_params
from gaoxin.core.codes import normalize_uscc
from gaoxin.core.models import Industry, Tag

from .. import derived, services
from ..models import Contact, Enterprise, Status
from .columns import MODEL_FIELDS

CONCRETE = tuple(f.name for f in Enterprise._meta.concrete_fields)
PLACES = {
    f.name: f.decimal_places
    for f in Enterprise._meta.concrete_fields
    if isinstance(f, models.DecimalField)
}


def _apply(e, values) -> None:
    """Set the row's filled cells; blank cells leave the field as it is, and so does a derived
    field's (enterprises.derived: another module sets it)."""
    skipped = derived.fields()
    for f in MODEL_FIELDS:
        value = values.get(f)
        if value is None or f in skipped:
            continue
        places = PLACES.get(f)
        if places is not None and value.as_tuple().exponent >= -places and value.adjusted() < 20:
            # At the stored precision, so an unchanged value compares equal on re-import.
            value = value.quantize(Decimal(1).scaleb(-places))
        setattr(e, f, value)


class Plan:
    def __init__(self):
        self.creates: list[Enterprise] = []
        self.updates: list[dict] = []  # {"e", "before", "after", "tags", "contact", "status"}
        self.tags: dict[int, list[Tag]] = {}  # id(enterprise) → tags, for creates
        self.contacts: dict[int, Contact] = {}  # id(enterprise) → contact, for creates
        self.unchanged = 0
        self.errors = []


class Validator:
    """Checks every row; collects errors and what to write. No query per row."""

    def __init__(self, actor, zone, parsed, update_existing, progress):
        self.actor, self.zone, self.parsed = actor, zone, parsed
        self.layout = parsed.layout
        self.update_existing, self.progress = update_existing, progress
        self.plan = Plan()
        codes = list(Industry.objects.values_list("code", "name", "level"))
        self.industries = {c: n for c, n, level in codes if level == Industry.Level.CLASS}
        self.other_levels = {c: (n, level) for c, n, level in codes if level != "class"}
        self.by_name = {n: c for c, n in self.industries.items()}
        self.tags = {t.name: t for t in Tag.objects.filter(zone=zone)}
        self.today = clock.today()
        self.changeable: set[int] = set()
        self.visible: set[int] = set()
        self.current_tags: dict[int, list[str]] = {}
        self.current_contacts: dict[int, list[Contact]] = {}

    def error(self, record, field_name, reason, value=None):
        if value is None and field_name:
            value = record.raw.get(field_name)
        self.plan.errors.append(self.layout.error(record.row, field_name, value, reason))

    def run(self) -> Plan:
        records = self.parsed.records
        existing = self._existing({normalize_uscc(r.values["uscc"] or "") for r in records})
        first_row: dict[str, int] = {}
        for i, record in enumerate(records):
            if self.progress and i % 500 == 0:
                self.progress(i, len(records))
            uscc = normalize_uscc(record.values["uscc"] or "")
            current = existing.get(uscc) if uscc else None
            if uscc and "uscc" not in record.failed:
                if uscc in first_row:
                    record.failed.add("uscc")
                    self.error(
                        record,
                        "uscc",
                        _("与第 %(r)d 行的统一社会信用代码重复") % {"r": first_row[uscc]},
                    )
                else:
                    first_row[uscc] = record.row
                if current is not None and not self._may_update(current):
                    record.failed.add("uscc")
                    self.error(record, "uscc", self._taken(current))
            if current is not None and "uscc" not in record.failed:
                self._update(record, current)
            else:
                self._create(record)
        if self.progress:
            self.progress(len(records), len(records))
        return self.plan

    # -- lookups done once for the whole file

    def _existing(self, usccs) -> dict[str, Enterprise]:
        found = {}
        usccs = sorted(u for u in usccs if u)
        for chunk in chunks(usccs, max_in_params()):
            for e in Enterprise.objects.active().filter(uscc__in=chunk).select_related("zone"):
                found[e.uscc] = e
        # Holders the importer may see are named in the errors; others only said to exist.
        visible = Enterprise.objects.restrict(self.actor)
        pks = [e.pk for e in found.values()]
        for chunk in chunks(pks, max_in_params()):
            self.visible.update(visible.filter(pk__in=chunk).values_list("pk", flat=True))
        mine = [e.pk for e in found.values() if e.zone_id == self.zone.pk]
        if self.update_existing and mine:
            allowed = Enterprise.objects.restrict(self.actor, "change")
            for chunk in chunks(mine, max_in_params()):
                self.changeable.update(allowed.filter(pk__in=chunk).values_list("pk", flat=True))
            self._load_related([pk for pk in mine if pk in self.changeable])
        return found

    def _load_related(self, pks):
        through = Enterprise.tags.through
        for chunk in chunks(pks, max_in_params()):
            rows = through.objects.filter(enterprise_id__in=chunk).values_list(
                "enterprise_id", "tag__name"
            )
            for pk, tag in rows:
                self.current_tags.setdefault(pk, []).append(tag)
            for c in Contact.objects.filter(enterprise_id__in=chunk).order_by("-is_primary", "id"):
                self.current_contacts.setdefault(c.enterprise_id, []).append(c)

    def _may_update(self, current) -> bool:
        return self.update_existing and current.pk in self.changeable

    def _taken(self, current) -> str:
        if current.pk not in self.visible:
            return services.uscc_taken_message(None, current)
        taken = _("统一社会信用代码 %(u)s 已被「%(n)s」(%(z)s)使用") % {
            "u": current.uscc,
            "n": current.name,
            "z": current.zone,
        }
        if current.zone_id != self.zone.pk:
            return taken + _(",该企业属于其他园区,不能在本园区导入或更新")
        if not self.update_existing:
            return taken + _(
                ";如需更新已有企业,请勾选「按统一社会信用代码更新已有企业」(命令行加 --update)"
            )
        return taken + _(",您无权修改该企业")

    # -- one row

    def _create(self, record):
        values = record.values
        e = Enterprise(zone=self.zone, status=Status.OPERATING)
        _apply(e, values)
        self._check(record, e)
        tags = self._tags(record)
        contact = self._contact(record, e)
        if tags:
            self.plan.tags[id(e)] = tags
        if contact is not None:
            self.plan.contacts[id(e)] = contact
        self.plan.creates.append(e)

    def _update(self, record, e):
        """Blank cells keep the current value: a partial sheet never wipes data."""
        values = record.values
        before = audit.snapshot(e, fields=CONCRETE)
        before["tags"] = sorted(self.current_tags.get(e.pk, []))
        old_status = e.status
        _apply(e, values)
        if e.status != old_status:
            e.status_since = self.today
        self._check(record, e)
        tags = self._tags(record)
        contact = self._contact(record, e)
        after = audit.snapshot(e, fields=CONCRETE)
        after["tags"] = sorted(t.name for t in tags) if tags else before["tags"]
        contacts = self.current_contacts.get(e.pk, [])
        if contact is not None:
            before["contacts"] = [f"{c.name} {c.phone}".strip() for c in contacts]
            same = next((c for c in contacts if c.name == contact.name), None)
            if same is not None:
                contact.pk, contact.is_primary = same.pk, same.is_primary
                contact.title, contact.email = same.title, same.email
                contact.phone = contact.phone or same.phone
            else:
                contact.is_primary = not any(c.is_primary for c in contacts)
            listed = [contact if c.pk == contact.pk else c for c in contacts]
            if same is None:
                listed.append(contact)
            after["contacts"] = [f"{c.name} {c.phone}".strip() for c in listed]
        if after == before:
            self.plan.unchanged += 1
            return
        self.plan.updates.append(
            {
                "e": e,
                "row": record.row,
                "before": before,
                "after": after,
                "tags": tags,
                "contact": contact,
                "status": e.status if e.status != old_status else None,
            }
        )

    def _check(self, record, e):
        self._industry(record, e)
        try:
            services.validate(e, check_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                if field_name in record.failed:
                    continue  # already reported when the cell was read
                target = field_name if field_name in self.layout.columns else None
                if field_name == NON_FIELD_ERRORS:
                    target = None
                for message in messages:
                    self.error(record, target, message, record.raw.get(field_name, ""))

    def _industry(self, record, e):
        ref = record.values.get("industry")
        if ref is None:  # blank (the reader reported it if required) or unreadable
            return
        code, name = ref
        problem = None
        if code:
            if code in self.industries:
                known = self.industries[code]
                if name and name not in known and known not in name:
                    problem = _("行业代码 %(c)s 是「%(k)s」,与填写的名称「%(n)s」不符") % {
                        "c": code,
                        "k": known,
                        "n": name,
                    }
            elif code in self.other_levels:
                label, level = self.other_levels[code]
                problem = _("「%(c)s %(n)s」是%(l)s,请填写 4 位小类代码") % {
                    "c": code,
                    "n": label,
                    "l": Industry.Level(level).label,
                }
            else:
                problem = _("行业代码 %(c)s 不存在于 GB/T 4754-2017") % {"c": code}
        else:
            code, problem = self._industry_by_name(name)
        if problem:
            record.failed.add("industry")
            self.error(record, "industry", problem)
            e.industry_id = None
        else:
            e.industry_id = code

    def _industry_by_name(self, name) -> tuple[str | None, str | None]:
        """A name alone is accepted only when it points at exactly one 4-digit class."""
        if name in self.by_name:
            return self.by_name[name], None
        matches = [c for n, c in self.by_name.items() if name in n]
        if len(matches) == 1:
            return matches[0], None
        if not matches:
            return None, _("找不到名称含「%(n)s」的行业小类,请填写 4 位行业代码") % {"n": name}
        shown = "、".join(f"{c} {self.industries[c]}" for c in sorted(matches)[:5])
        return None, _("行业名称「%(n)s」对应多个小类(%(m)s 等 %(k)d 个),请填写 4 位代码") % {
            "n": name,
            "m": shown,
            "k": len(matches),
        }

    def _tags(self, record) -> list[Tag]:
        names = record.values.get("tags") or []
        unknown = [n for n in names if n not in self.tags]
        if unknown:
            known = "、".join(sorted(self.tags)) or _("无")
            record.failed.add("tags")
            self.error(
                record,
                "tags",
                _("标签 %(t)s 未在本园区定义(可选:%(k)s)") % {"t": "、".join(unknown), "k": known},
            )
            return []
        return [self.tags[n] for n in names]

    def _contact(self, record, e) -> Contact | None:
        name, phone = record.values.get("contact_name"), record.values.get("contact_phone")
        if name is None and phone is None:
            return None
        if name is None:
            if "contact_name" not in record.failed and "contact_name" in self.layout.columns:
                self.error(record, "contact_name", _("填写了联系电话,请同时填写联系人"))
            elif "contact_name" not in self.layout.columns:
                self.error(record, "contact_phone", _("填写了联系电话,但表中没有「联系人」列"))
            return None
        contact = Contact(zone=self.zone, name=name, phone=phone or "", is_primary=True)
        errors = services.contact_errors(contact, exclude={"title", "email"})
        if errors:
            columns = {"name": "contact_name", "phone": "contact_phone"}
            for field_name, messages in errors.items():
                for message in messages:
                    self.error(record, columns.get(field_name), message)
            return None
        contact.enterprise = e
        return contact
