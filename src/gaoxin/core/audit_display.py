"""Change records as people read them: the one renderer of every timeline (issue 13).

`present(records)` turns audit records into entries a template shows as they are: the action's
label, the actor's full name, the time, and the changed fields with their labels (the model
field's verbose_name, its unit moved onto the value) and their values as people say them —
choices by label, references by name, people by full name, money in 万元/亿元 (core.units), times in
local time, booleans as 是/否, nothing as —. Secrets (password hashes, token hashes) and
fields without a human label never appear.

References are looked up in one query per referenced model for the whole list, and actors in
the same query as the other people, so a timeline of any length costs a bounded number of
queries. Modules add no code here: their wording comes from their models' verbose_name and
choices. Every timeline includes `core/_timeline.html` (through the `audit_entries` tag) and
every change is drawn by `core/_audit_changes.html`.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .units import figure, plain_number

EMPTY = "—"
TEXT_MAX = 120  # a long text (a description) is cut here on the timeline
SHOWN = 6  # changes shown at once; the rest behind "另有 N 项"

# Never shown, whoever reads: credentials and their hashes (audit.snapshot copies every
# concrete field, so a record written from a whole object may hold them).
SECRET_NAMES = frozenset({"password", "key_hash", "session_key", "secret", "token", "otp_secret"})
SECRET_SUFFIXES = ("_hash", "_secret", "_token", "password")
# Bookkeeping every save changes: it says nothing the entry's time does not.
BOOKKEEPING = frozenset({"id", "version", "updated_at"})

# Keys of records that are not model fields (imports, backups, sign-in security), in core's
# own words. A key neither a field nor here is not shown: never a raw name.
WORDS = {
    "file": _("文件"),
    "files": _("文件数"),
    "rows": _("行数"),
    "created": _("新增"),
    "updated": _("更新"),
    "unchanged": _("未变"),
    "revised": _("修订"),
    "error_count": _("错误数"),
    "errors": _("错误"),
    "row": _("行"),
    "column": _("列"),
    "value": _("值"),
    "reason": _("原因"),
    "update_existing": _("更新已有记录"),
    "size": _("大小"),
    "sha256": _("校验值"),
    "engine": _("数据库"),
    "tables": _("表数"),
    "os_user": _("系统账号"),
    "created_at": _("创建时间"),
    "expires_at": _("到期时间"),
    "gaoxin_version": _("系统版本"),
    "replaced": _("覆盖现有数据"),
    "migrated": _("已迁移"),
    "devices": _("双因素设备"),
    "scope": _("授权范围"),
    "name": _("名称"),
    "periods": _("报告期"),
    "findings": _("审核发现"),
    "events": _("阶段记录"),
    "commitments": _("承诺"),
}

_UNIT = re.compile(r"^(?P<label>.+?)\s*[(（](?P<unit>[^()（）]+)[)）]$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_]+$")
_BY_NAME = re.compile(r"(_by|_by_name|^actor_name)$")
_NUMERIC = (models.DecimalField, models.IntegerField, models.FloatField)


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: nothing before (a creation), shown without "→"
    new: str

    def __str__(self):
        """As plain text (the audit export): "当前阶段: 洽谈 → 签约"."""
        if self.old is None:
            return f"{self.label}: {self.new}"
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class Entry:
    record: object
    action: str
    actor: str
    time: datetime.datetime
    changes: list[Change] = field(default_factory=list)
    message: str = ""

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN]

    @property
    def more(self) -> list[Change]:
        return self.changes[SHOWN:]


# --- fields ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    """How one key of a record's before/after is labelled and shown (None: not shown)."""

    name: str
    field: object = None  # the model field or relation, or None for a word of WORDS
    related: type | None = None  # the referenced model of a foreign key


def _secret(name: str) -> bool:
    return name in SECRET_NAMES or name.endswith(SECRET_SUFFIXES)


def _auto_label(f) -> bool:
    """A field declared without a human label (Django made one from its name): bookkeeping."""
    return str(f.verbose_name) == f.name.replace("_", " ")


def _key(model, name: str) -> _Key | None:
    if _secret(name) or name in BOOKKEEPING:
        return None
    f = None
    if model is not None:
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            if name.endswith("_id"):  # a foreign key written by its column
                try:
                    f = model._meta.get_field(name[:-3])
                except FieldDoesNotExist:
                    f = None
                if f is not None and not f.many_to_one:
                    f = None
    if f is None:
        return _Key(name) if name in WORDS or _human(name) else None
    if f.auto_created and not f.concrete:  # a reverse relation: its records' names
        return _Key(name, f)
    if f.many_to_one or f.one_to_one:
        return _Key(name, f, f.related_model)
    if _auto_label(f) and not f.many_to_many:
        return None
    return _Key(name, f)


def _human(name: str) -> bool:
    """A key that is already words (a count written under a Chinese heading), not a name."""
    return not _IDENTIFIER.match(name)


def _names_a_person(key: _Key) -> bool:
    """A text field that keeps who did something by account name (`sent_by_name`,
    `uploaded_by`): shown by the person's full name when the account exists."""
    f = key.field
    return isinstance(f, models.CharField) and not f.choices and _BY_NAME.search(f.name)


def _label_and_unit(key: _Key) -> tuple[str, str]:
    f = key.field
    if f is None:
        return str(WORDS.get(key.name, key.name)), ""
    if f.auto_created and not f.concrete:
        return str(f.related_model._meta.verbose_name_plural), ""
    if key.related is not None and _auto_label(f):
        return str(key.related._meta.verbose_name), ""
    label = str(f.verbose_name)
    if isinstance(f, _NUMERIC):
        # The unit as the model declares it, in Chinese (units.figure reads 万元, 亩 …; in
        # English it says the magnitude), and the label without it in the page's language.
        with translation.override("zh-hans"):
            declared = _UNIT.match(str(f.verbose_name))
        shown = _UNIT.match(label)
        if declared:
            return (shown["label"] if shown else label), declared["unit"]
    return label, ""


# --- values ------------------------------------------------------------------------------------


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _moment(value) -> str:
    """An ISO date-time (as audit.snapshot writes it) in local time, Y-m-d H:i."""
    moment = parse_datetime(str(value))
    if moment is None:
        return _cut(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def _day(value) -> str:
    day = parse_date(str(value)[:10])
    return date_format(day, "Y-m-d") if day else _cut(value)


def _number(value, unit: str) -> str:
    """An amount in the field's unit: 万元 from 1亿 as 亿元, others with their unit
    (core.units, the one formatter of a value in a unit)."""
    if not unit:
        return plain_number(value) or _cut(value)
    try:
        return figure(value, unit)
    except (decimal.InvalidOperation, TypeError, ValueError):
        return _cut(value)


def _plain(value) -> str:
    """A value with no field to say how: by its JSON type."""
    if _empty(value):
        return EMPTY
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, int | float | decimal.Decimal):
        return plain_number(value)
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{_word(k)}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, str) and _ISO_TIME.match(value):
        return _moment(value)
    return _cut(value)


def _word(key) -> str:
    word = WORDS.get(key)
    return str(word) if word is not None else str(key)


class _Names:
    """Display names of referenced records, fetched once per model for a whole timeline."""

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.found: dict[type, dict[str, str]] = {}
        self.usernames: set[str] = set()
        self.by_username: dict[str, str] = {}

    def want(self, model, value) -> None:
        if not _empty(value) and not isinstance(value, list | dict):
            self.wanted[model].add(value)

    def want_usernames(self, values) -> None:
        """People an m2m kept by their account name (str(User)): shown by their full name."""
        if isinstance(values, list):
            self.usernames.update(v for v in values if isinstance(v, str) and v)

    def fetch(self) -> None:
        user_model = get_user_model()
        models_ = set(self.wanted) | ({user_model} if self.usernames else set())
        for model in models_:
            found = self.found.setdefault(model, {})
            pk = model._meta.pk
            keys = set()
            for value in self.wanted.get(model, ()):
                try:
                    keys.add(pk.to_python(value))
                except Exception:  # noqa: BLE001 - an id of another shape: shown as deleted
                    continue
            where = Q(pk__in=keys)
            if model is user_model and self.usernames:
                where |= Q(username__in=self.usernames)
            if not keys and not (model is user_model and self.usernames):
                continue
            for obj in model._base_manager.filter(where):
                if model is user_model:
                    self.by_username[obj.username] = name = obj.display_name
                elif type(obj).__str__ is models.Model.__str__:  # no name of its own
                    name = f"{model._meta.verbose_name} #{obj.pk}"
                else:
                    name = str(obj)
                if getattr(obj, "is_deleted", False):
                    name = gettext("%(name)s（已删除）") % {"name": name}
                found[str(obj.pk)] = name

    def people(self, values) -> str:
        return "、".join(self.by_username.get(v, v) for v in values) or EMPTY

    def name(self, model, value) -> str:
        if _empty(value):
            return EMPTY
        return self.found.get(model, {}).get(str(value)) or gettext("#%(id)s（已删除）") % {
            "id": value
        }


def _people_list(key: _Key) -> bool:
    """A many-to-many of people (audit.snapshot keeps their account names)."""
    f = key.field
    return f is not None and f.many_to_many and f.related_model is get_user_model()


def _value(key: _Key, value, unit: str, names: _Names) -> str:
    if _empty(value):
        return EMPTY
    f = key.field
    if _people_list(key):
        return names.people(value) if isinstance(value, list) else _plain(value)
    if _names_a_person(key) and isinstance(value, str):
        return names.people([value])
    if f is None or f.many_to_many or f.one_to_many:
        return _plain(value)  # a word of WORDS, or the names audit.snapshot kept
    if key.related is not None:
        return names.name(key.related, value)
    if getattr(f, "choices", None):
        labels = {str(k): v for k, v in f.flatchoices}
        if isinstance(value, list):
            return "、".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if isinstance(f, models.BooleanField):
        return gettext("是") if value else gettext("否")
    if isinstance(f, models.DateTimeField):
        return _moment(value)
    if isinstance(f, models.DateField):
        return _day(value)
    if isinstance(f, models.IntegerField) and not unit:
        return _cut(value)  # a code or a year (报告期 201912), not an amount: no separators
    if isinstance(f, _NUMERIC):
        return _number(value, unit)
    return _plain(value)


def _dict_change(old, new) -> tuple[dict, dict]:
    """Of two JSON objects, only the keys that differ."""
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys if k in old}, {k: new.get(k) for k in keys if k in new}


# --- entries -----------------------------------------------------------------------------------


def _model_of(record):
    if not record.content_type_id:
        return None
    return ContentType.objects.get_for_id(record.content_type_id).model_class()


def _triples(record):
    """(key, old, new) of what the record changed that a reader may see."""
    model = _model_of(record)
    creating = record.before is None
    for name, old, new in record.changed_fields():
        key = _key(model, name)
        if key is None:
            continue
        if creating and (_empty(new) or new is False):
            continue  # a new record's empty fields say nothing
        if isinstance(old, dict) and isinstance(new, dict):
            old, new = _dict_change(old, new)
        yield key, old, new


def present(records) -> list[Entry]:
    """The records as a timeline shows them, in their order (one query for the records if a
    queryset, one for the people, one per other referenced model)."""
    records = list(records)
    user_model = get_user_model()
    names = _Names()
    staged = []
    for r in records:
        triples = list(_triples(r))
        for key, old, new in triples:
            if key.related is not None:
                names.want(key.related, old)
                names.want(key.related, new)
            elif _people_list(key):
                names.want_usernames(old)
                names.want_usernames(new)
            elif _names_a_person(key):
                names.want_usernames([old, new])
        if r.actor_id:
            names.want(user_model, r.actor_id)
        staged.append((r, triples))
    names.fetch()
    entries = []
    for r, triples in staged:
        changes = []
        for key, old, new in triples:
            label, unit = _label_and_unit(key)
            shown_old = None if r.before is None else _value(key, old, unit, names)
            changes.append(Change(label, shown_old, _value(key, new, unit, names)))
        actor = names.found.get(user_model, {}).get(str(r.actor_id)) if r.actor_id else None
        entries.append(
            Entry(
                record=r,
                action=r.get_action_display(),
                actor=actor or r.actor_name or gettext("系统"),
                time=r.time,
                changes=changes,
                message=gettext(r.message) if r.message else "",
            )
        )
    return entries


def full_names(usernames) -> dict[str, str]:
    """{account name: full name} of the accounts among `usernames`, in one query: for the
    histories that keep who did something by account name (a status change's 登记人)."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    users = get_user_model()._base_manager.filter(username__in=wanted)
    return {u.username: u.display_name for u in users}


def present_all(records, chunk: int = 2000):
    """Entries of a long run of records (the audit export), `chunk` records at a time: the
    references looked up once a chunk, never once a record."""
    batch = []
    for r in records:
        batch.append(r)
        if len(batch) == chunk:
            yield from present(batch)
            batch = []
    yield from present(batch)


def attach(records) -> list:
    """The records as a list, each carrying its entry as `.display` (for tables that draw one
    record a row: the audit page)."""
    records = list(records)
    for r, entry in zip(records, present(records), strict=True):
        r.display = entry
    return records
