"""Enterprise name search: the one place every list that filters by an enterprise's name asks.

`UPPER(name) LIKE '%光电%'` cannot use an index, so at 100,000 enterprises it reads the zone's every
row. Here a name is cut into its 2-character pieces (grams), kept in `EnterpriseNameGram` with an
index leading with (zone, gram). A fragment of 2 or more characters is looked up by its grams (the
enterprises that hold every one of them) and then confirmed with the very `icontains` test the
LIKE path uses, on those candidates only (a Han fragment of 2 characters is its own gram and needs
no test; a longer one a plain LIKE, without UPPER() on every name): the answer is exactly LIKE's
(tests/enterprises/test_search.py checks it on random fragments on both databases), read through
an index.

A fragment of 1 character has no gram: it keeps the LIKE path (a scan; the search box says so).

Beside the name:
- a credit code (USCC) prefix: a range on the (zone, uscc) index, confirmed with `startswith`;
- pinyin initials (拼音首字母, `ghgd` → 江西赣虹光电科技有限公司): the initials of the name
  (pypinyin, its dictionary ships in the wheel: offline) are cut into 2-letter grams too, marked
  so that they never meet a name's grams, and the whole initials kept in one marked row to confirm
  that the letters come in a row.

Grams are written by `index(enterprises)`: on every save of an enterprise (a post_save receiver:
the services' create and edit, the admin), by the importer's bulk write and by the demo's build;
`gaoxin search_index` rebuilds them for existing rows (migration 0002 built them once).
"""

import re

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, Lookup, OuterRef, Q, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from pypinyin import Style, lazy_pinyin

from gaoxin.core import bulk
from gaoxin.core.models import Zone

from .models import Enterprise, EnterpriseNameGram

MIN_FRAGMENT = 2  # below this, the LIKE path
PINYIN_MARK = "\ue000"  # private-use characters: never in a name's grams
INITIALS_MARK = "\ue001"
USCC_LENGTH = Enterprise._meta.get_field("uscc").max_length
USCC_TEXT = re.compile(r"[0-9A-Z]+")
LETTERS = re.compile(r"[A-Za-z]+")
# At most this many grams of a fragment are intersected (spread over it); the confirmation
# checks the whole fragment anyway, more grams would only add index reads.
MAX_GRAMS = 4


def fold(text: str) -> str:
    """Upper case, one character for one (so pieces line up with the name's): what `icontains`
    compares, for every character the databases fold (ASCII on SQLite, more on PostgreSQL)."""
    out = []
    for ch in text:
        up = ch.upper()
        out.append(up if len(up) == 1 else ch)
    return "".join(out)


def pieces(text: str) -> list[str]:
    """The distinct 2-character pieces of `text`, in order."""
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def initials(name: str) -> str:
    """拼音首字母 of a name, upper case: a Han character gives its reading's first letter (the
    phrase dictionary decides 重庆 / 银行), Latin letters and digits stay, the rest goes."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chunk: list(chunk))
    return "".join(p[:1] for p in parts if p[:1].isascii() and p[:1].isalnum()).upper()


def grams_of(name: str) -> set[str]:
    """Every row the index keeps for one name."""
    grams = set(pieces(fold(name)))
    letters = initials(name)
    grams.update(PINYIN_MARK + g for g in pieces(letters))
    if letters:
        grams.add(INITIALS_MARK + letters)
    return grams


# --- writing --------------------------------------------------------------------------------


def index(enterprises, *, replace: bool = True) -> None:
    """(Re)write the grams of `enterprises` (saved, with pk and zone_id): after a create, a name
    change, an import (`replace=False`: new rows, nothing to take out first). Soft-deleted
    enterprises keep theirs: every read starts from active()."""
    enterprises = [e for e in enterprises if e.pk is not None]
    if not enterprises:
        return
    if replace:
        for chunk in bulk.chunks([e.pk for e in enterprises], bulk.max_in_params()):
            EnterpriseNameGram.objects.filter(enterprise_id__in=chunk).delete()
    rows = ((e.zone_id, gram, e.pk) for e in enterprises for gram in sorted(grams_of(e.name)))
    bulk.insert(EnterpriseNameGram, ("zone", "gram", "enterprise"), rows)


@receiver(post_save, sender=Enterprise, dispatch_uid="enterprise_name_search")
def _saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """Every single save keeps the search in step (services, admin, factories); the bulk
    writes (importer, demo) call index() themselves."""
    if not raw and (update_fields is None or "name" in update_fields):
        index([instance], replace=not created)


def rebuild(zone=None, *, batch: int = 20_000) -> int:
    """Rebuild the grams of every enterprise (of `zone`); the number of enterprises indexed."""
    grams = EnterpriseNameGram.objects.all()
    enterprises = Enterprise.objects.all()
    if zone is not None:
        grams, enterprises = grams.filter(zone=zone), enterprises.filter(zone=zone)
    grams.delete()
    done, last = 0, 0
    while True:
        chunk = list(
            enterprises.filter(pk__gt=last).order_by("pk").only("pk", "zone", "name")[:batch]
        )
        if not chunk:
            return done
        rows = ((e.zone_id, g, e.pk) for e in chunk for g in sorted(grams_of(e.name)))
        bulk.insert(EnterpriseNameGram, ("zone", "gram", "enterprise"), rows)
        done, last = done + len(chunk), chunk[-1].pk


# --- reading --------------------------------------------------------------------------------


class _AnyOf(Lookup):
    """`key = ANY(ARRAY(subquery))` (PostgreSQL): the matches' ids read first, then the rows by
    their key. With `key IN (subquery)` the planner may instead sort the zone's every enterprise
    by the search's rank and walk them into the grams (a common fragment: 25 ms against 15)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT …)"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _among(path: str, ids) -> Q:
    """The rows whose `path` (a key) is one of the subquery `ids`."""
    if connection.vendor == "postgresql":
        return Q(_AnyOf(F(path), ids))
    return Q(**{f"{path}__in": ids})


def _in_zones(zone):
    """The grams of `zone`, or of every zone through the zone table (so that the index, which
    leads with zone, is still read by (zone, gram))."""
    if zone is not None:
        return EnterpriseNameGram.objects.filter(zone=zone)
    return EnterpriseNameGram.objects.filter(zone__in=Zone.objects.values("pk"))


def _spread(grams: list[str]) -> list[str]:
    if len(grams) <= MAX_GRAMS:
        return grams
    step = (len(grams) - 1) / (MAX_GRAMS - 1)
    return list(dict.fromkeys(grams[round(i * step)] for i in range(MAX_GRAMS)))


def _holding(zone, grams: list[str]):
    """Grams rows of the enterprises that hold every one of `grams` (the first one's rows)."""
    rows = _in_zones(zone).filter(gram=grams[0])
    for gram in grams[1:]:
        rows = rows.filter(enterprise_id__in=_in_zones(zone).filter(gram=gram).values("enterprise"))
    return rows


def uncased(text: str) -> bool:
    """No character of `text` has a case (Han characters, digits): then no other character folds
    into one of them, so `contains` is `icontains`, and a 2-character text is its own gram."""
    return text.upper() == text.lower() == text


def _confirm(text: str, path: str) -> Q:
    """The LIKE test of the candidates; none for an uncased 2-character text (its gram is the
    answer) and a plain LIKE, without UPPER() on every name, for other uncased texts."""
    if uncased(text):
        return Q() if len(text) == MIN_FRAGMENT else Q(**{f"{path}__contains": text})
    return Q(**{f"{path}__icontains": text})


def _candidates(text: str, zone):
    """Grams rows of the enterprises whose name holds every gram of `text` (to be confirmed)."""
    return _holding(zone, _spread(pieces(fold(text))))


def _name_ids(text: str, zone):
    return _candidates(text, zone).filter(_confirm(text, "enterprise__name")).values("enterprise")


def _uscc_ids(text: str, zone):
    code = text.upper()
    if not USCC_TEXT.fullmatch(code) or len(code) > USCC_LENGTH:
        return None
    rows = Enterprise.objects.all() if zone is None else Enterprise.objects.filter(zone=zone)
    top = code + "Z" * (USCC_LENGTH - len(code))  # codes are [0-9A-Z]: every one with the prefix
    return rows.filter(uscc__gte=code, uscc__lte=top, uscc__startswith=code).values("pk")


def _initials_ids(text: str, zone):
    if not LETTERS.fullmatch(text):
        return None
    letters = text.upper()
    rows = _holding(zone, [PINYIN_MARK + g for g in _spread(pieces(letters))])
    if len(letters) > 2:  # the letters in a row, not only each pair somewhere
        whole = EnterpriseNameGram.objects.filter(
            zone=OuterRef("zone"),
            enterprise=OuterRef("enterprise"),
            gram__startswith=INITIALS_MARK,
            gram__contains=letters,
        )
        rows = rows.filter(Exists(whole))
    return rows.values("enterprise")


def _other_keys(text: str, uscc: bool, pinyin: bool) -> bool:
    """Whether `text` may also be a credit code prefix or pinyin initials."""
    return bool(
        (uscc and USCC_TEXT.fullmatch(text.upper())) or (pinyin and LETTERS.fullmatch(text))
    )


def uses_index(text: str) -> bool:
    return len((text or "").strip()) >= MIN_FRAGMENT


def matching_ids(text: str, *, zone=None, uscc: bool = False, pinyin: bool = True):
    """The ids (a subquery) of the enterprises whose name contains `text` as `icontains` reads it
    (and, when asked, whose credit code starts with it, or whose pinyin initials contain it), in
    `zone` or in every zone. None for a fragment shorter than MIN_FRAGMENT."""
    text = (text or "").strip()
    if not uses_index(text):
        return None
    parts = [_name_ids(text, zone)]
    if uscc:
        parts.append(_uscc_ids(text, zone))
    if pinyin:
        parts.append(_initials_ids(text, zone))
    parts = [p.order_by() for p in parts if p is not None]  # no ORDER BY inside a UNION
    if len(parts) == 1:
        return parts[0]
    return parts[0].union(*parts[1:])


def name_q(text: str, field: str = "", *, zone=None, uscc: bool = False, pinyin: bool = True) -> Q:
    """The condition "the enterprise at `field` ("" for Enterprise itself, "enterprise" for a
    model that points at one) matches `text`", to combine with a list's other searched columns."""
    text = (text or "").strip()
    prefix = f"{field}__" if field else ""
    if not text:
        return Q()
    if not field and uses_index(text) and not _other_keys(text, uscc, pinyin):
        # The registry itself, a name alone: the candidates' rows are the list's own, so the
        # confirmation is a plain condition on them (no second look-up of each candidate).
        return _among("pk", _candidates(text, zone).values("enterprise")) & _confirm(text, "name")
    ids = matching_ids(text, zone=zone, uscc=uscc, pinyin=pinyin)
    if ids is None:  # one character: the LIKE path
        q = Q(**{f"{prefix}name__icontains": text})
        if uscc:
            q |= Q(**{f"{prefix}uscc__startswith": text.upper()})
        return q
    return _among(field or "pk", ids)


def filter_by_name(queryset, text: str, field: str = "", **options):
    """`queryset` (already restricted) narrowed to the rows whose enterprise matches `text`."""
    return queryset.filter(name_q(text, field, **options))


def ranked(queryset, text: str, field: str = ""):
    """Exact name first, then names that start with `text`, then the rest, each by name."""
    text = (text or "").strip()
    name = f"{field}__name" if field else "name"
    exact, start = ("exact", "startswith") if uncased(text) else ("iexact", "istartswith")
    rank = Case(  # no UPPER() on every name when the text has no case (Han characters)
        When(**{f"{name}__{exact}": text}, then=Value(0)),
        When(**{f"{name}__{start}": text}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank.asc(), name, f"{field}__pk" if field else "pk")
