"""A project's references, as pages, API and importer give them (ids, codes or names), turned into
objects of the project's zone, each unknown one an error on its field; and who may be a project's
officer (责任人)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.models import Department, Division, Industry, Tag, User
from gaoxin.core.roles import ZONE_OFFICERS
from gaoxin.enterprises.models import Enterprise


def officers_of(zone):
    """The people who may be named a project's officer in `zone`: active, one of the zone's own
    people there (roles.ZONE_OFFICERS: an admin, a member of staff, or a leader, who takes charge
    of key projects, 领导包联); never an enterprise account."""
    return (
        User.objects.filter(
            is_active=True, memberships__zone=zone, memberships__role__in=ZONE_OFFICERS
        )
        .distinct()
        .order_by("username")
    )


def not_officer(value, *, member: bool) -> str:
    """Why `value` cannot be named a project's officer: nobody of the zone has that account or
    name, or its account may not be (an enterprise user's, a disabled one)."""
    if not member:
        return _("「%(v)s」不是本园区的工作人员") % {"v": value}
    return _(
        "「%(v)s」不能担任项目责任人:责任人须为本园区的管理员、领导或工作人员,"
        "企业用户和已停用的账号不能担任"
    ) % {"v": value}


def officer(zone, value, current=None) -> User | None:
    """The officer named by `value` (a User, an account or a full name); `current`: the id of
    the project's officer now, accepted as is."""
    if value in (None, ""):
        return None
    eligible = officers_of(zone)
    if isinstance(value, User):
        if value.pk == current or eligible.filter(pk=value.pk).exists():
            return value
        member = value.memberships.filter(zone=zone).exists()
    else:
        text = str(value).strip()
        found = _named(eligible, text)
        if found is None and current is not None:
            found = _named(User.objects.filter(pk=current), text)
        if found is not None:
            return found
        member = _named(User.objects.filter(memberships__zone=zone).distinct(), text) is not None
    raise ValidationError({"officer": not_officer(value, member=member)})


def _named(users, text: str):
    return users.filter(username=text).first() or users.filter(full_name=text).first()


def by_pk_or_name(model, zone, value, field, *, name_field="name", extra=None, what):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        obj = value if value.zone_id == zone.pk else None
    else:
        qs = model.objects.filter(zone=zone, **(extra or {}))
        text = str(value).strip()
        obj = qs.filter(pk=int(text)).first() if text.isdigit() else None
        obj = obj or qs.filter(**{name_field: text}).first()
    if obj is None:
        raise ValidationError({field: _("本园区没有%(w)s「%(v)s」") % {"w": what, "v": value}})
    return obj


def resolve(zone, data: dict) -> dict:
    """Turn the references in `data` into objects; unknown ones are errors on their field."""
    data, errors = resolved(zone, data)
    if errors:
        raise ValidationError(errors)
    return data


def resolved(zone, data: dict, *, current_officer=None) -> tuple[dict, dict]:
    """(data with references as objects, errors); a reference that fails is left out of the data,
    so that the record's other rules can still be checked and reported together.
    `current_officer`: the id of the project's officer, who stays its officer when named again
    even if they could not be named now (they left, or lost their role)."""
    data = dict(data)
    errors = {}
    resolvers = {
        "industry": _industry,
        "origin_province": _province,
        "chain": lambda v: by_pk_or_name(
            Tag, zone, v, "chain", extra={"category": Tag.Category.INDUSTRY_CHAIN}, what=_("产业链")
        ),
        "channel": lambda v: by_pk_or_name(
            Tag,
            zone,
            v,
            "channel",
            extra={"category": Tag.Category.SOURCE_CHANNEL},
            what=_("招商渠道"),
        ),
        "department": lambda v: by_pk_or_name(Department, zone, v, "department", what=_("部门")),
        "investor_enterprise": lambda v: by_pk_or_name(
            Enterprise,
            zone,
            v,
            "investor_enterprise",
            extra={"is_deleted": False},
            what=_("企业"),
        ),
        "officer": lambda v: officer(zone, v, current_officer),
    }
    for field, fn in resolvers.items():
        if field in data:
            try:
                data[field] = fn(data[field])
            except ValidationError as exc:
                errors.update(exc.message_dict)
                del data[field]
    return data, errors


def _industry(value):
    if value in (None, "") or isinstance(value, Industry):
        return value or None
    industry = Industry.objects.filter(pk=str(value).strip().upper()).first()
    if industry is None:
        raise ValidationError(
            {"industry": _("行业代码 %(c)s 不存在于 GB/T 4754-2017") % {"c": value}}
        )
    return industry


def _province(value):
    if value in (None, "") or isinstance(value, Division):
        return value or None
    text = str(value).strip()
    provinces = Division.objects.filter(level=Division.Level.PROVINCE)
    if text.isdigit():
        province = provinces.filter(pk=text[:2] + "0000").first()
    else:  # "江西省", or the short "江西"
        province = (
            provinces.filter(name=text).first() or provinces.filter(name__startswith=text).first()
        )
    if province is None:
        raise ValidationError({"origin_province": _("未找到省份「%(v)s」") % {"v": value}})
    return province
