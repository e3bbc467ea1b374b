"""The innovation records over REST (/api/v1/innovation): list, create, read, change and delete
certifications, patents, software copyrights, platforms, talents, cooperation and cloud
adoption, and file a high-tech annual report.

Reads start from `restrict()`: officers, leaders and the province see their zones' records, an
enterprise user its own (一企一档). Writes go through `innovation.services`: officers add and
change (enterprise users get 403), zone admins delete with a reason. A versioned record's change
needs the version it started from (body `version` or If-Match); a stale one answers 409.
"""

import inspect
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Body, Header, Query, Status

from gaoxin.core.api import (
    SCOPED_READ_ERRORS,
    WRITE_ERRORS,
    DeleteIn,
    DeleteQuery,
    PathId,
    api_field_names,
    check_access,
    delete_reason,
    number,
    one_zone,
    paginate,
    service_names,
    version_from,
    zone_by_code,
)
from gaoxin.core.models.access import CHANGE, DELETE, VIEW

from .. import services
from ..models import (
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)
from . import schemas_records as s
from .common import router


def _ent(e) -> dict:
    return {"id": e.pk, "name": e.name}


def _base(obj) -> dict:
    return {"id": obj.pk, "zone": obj.zone.code, "enterprise": _ent(obj.enterprise)}


def certification_out(c: Certification) -> dict:
    return {
        **_base(c),
        "kind": c.kind,
        "kind_name": c.get_kind_display(),
        "title": {"id": c.title.pk, "name": c.title.name} if c.title_id else None,
        "status": c.status,
        "status_name": c.get_status_display(),
        "number": c.number,
        "field": c.field,
        "field_name": c.get_field_display() if c.field else "",
        "applied_on": c.applied_on,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "year": c.year,
        "score": c.score,
        "note": c.note,
        "source": c.source,
        "version": c.version,
        "reports": [
            {"year": r.year, "due_on": r.due_on, "filed_on": r.filed_on}
            for r in sorted(c.reports.all(), key=lambda r: r.year)
        ],
    }


def patent_out(p: Patent) -> dict:
    return {
        **_base(p),
        "number": p.number,
        "kind": p.kind,
        "kind_name": p.get_kind_display(),
        "title": p.title,
        "applied_on": p.applied_on,
        "granted_on": p.granted_on,
        "status": p.status,
        "status_name": p.get_status_display(),
        "source": p.source,
        "version": p.version,
    }


def copyright_out(c: SoftwareCopyright) -> dict:
    return {**_base(c), "number": c.number, "title": c.title, "registered_on": c.registered_on}


def _record(obj) -> dict:
    return {**_base(obj), "note": obj.note, "source": obj.source}


def platform_out(p: Platform) -> dict:
    return {
        **_record(p),
        "name": p.name,
        "kind": p.kind,
        "kind_name": p.get_kind_display(),
        "level": p.level,
        "level_name": p.get_level_display(),
        "recognised_on": p.recognised_on,
        "version": p.version,
    }


def talent_out(t: Talent) -> dict:
    return {
        **_record(t),
        "name": t.name,
        "programme": t.programme,
        "level": t.level,
        "level_name": t.get_level_display(),
        "year": t.year,
    }


def cooperation_out(c: Cooperation) -> dict:
    return {
        **_record(c),
        "partner": c.partner,
        "project": c.project,
        "amount_wan": number(c.amount),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
    }


def cloud_out(c: CloudAdoption) -> dict:
    return {
        **_record(c),
        "level": c.level,
        "level_name": c.get_level_display(),
        "adopted_on": c.adopted_on,
        "provider": c.provider,
    }


@dataclass(frozen=True)
class Resource:
    """One kind of record and what its endpoints need."""

    path: str  # "/patents"
    name: str  # "patent": the operations' names
    label: str  # "专利": the summaries'
    model: type
    out: Any
    schema_in: type
    schema_patch: type
    add: Any
    update: Any
    year: str  # the lookup the `year` filter reads
    filters: tuple = ()  # of kind / level / status, the ones that apply
    renames: dict = field(default_factory=dict)  # service name → API name
    related: tuple = ("zone", "enterprise")
    prefetch: tuple = ()

    @property
    def versioned(self) -> bool:
        return hasattr(self.model, "version")


RESOURCES = (
    Resource(
        "/certifications", "certification", _("资质认定"), Certification, certification_out,
        s.InnovationCertificationIn, s.InnovationCertificationPatch,
        services.add_certification, services.update_certification, "year",
        ("kind", "status"), related=("zone", "enterprise", "title"), prefetch=("reports",),
    ),
    Resource(
        "/patents", "patent", _("专利"), Patent, patent_out, s.InnovationPatentIn,
        s.InnovationPatentPatch, services.add_patent, services.update_patent,
        "applied_on__year", ("kind", "status"),
    ),
    Resource(
        "/copyrights", "copyright", _("软件著作权"), SoftwareCopyright, copyright_out,
        s.InnovationCopyrightIn, s.InnovationCopyrightPatch, services.add_copyright,
        services.update_copyright, "registered_on__year",
    ),
    Resource(
        "/platforms", "platform", _("创新平台"), Platform, platform_out, s.InnovationPlatformIn,
        s.InnovationPlatformPatch, services.add_platform, services.update_platform,
        "recognised_on__year", ("kind", "level"),
    ),
    Resource(
        "/talents", "talent", _("科技人才"), Talent, talent_out, s.InnovationTalentIn,
        s.InnovationTalentPatch, services.add_talent, services.update_talent, "year", ("level",),
    ),
    Resource(
        "/cooperations", "cooperation", _("产学研合作"), Cooperation, cooperation_out,
        s.InnovationCooperationIn, s.InnovationCooperationPatch, services.add_cooperation,
        services.update_cooperation, "starts_on__year", renames={"amount": "amount_wan"},
    ),
    Resource(
        "/cloud", "cloud", _("企业上云"), CloudAdoption, cloud_out, s.InnovationCloudIn,
        s.InnovationCloudPatch, services.add_cloud, services.update_cloud, "adopted_on__year",
        ("level",),
    ),
)  # fmt: skip


def _visible(user, r: Resource):
    return r.model.objects.restrict(user, VIEW).select_related(*r.related)


def _one(user, r: Resource, pk: int):
    obj = _visible(user, r).prefetch_related(*r.prefetch).filter(pk=pk).first()
    if obj is None:
        raise r.model.DoesNotExist(_("未找到该记录"))
    return obj


def _list(request, r: Resource, filters: s.InnovationListQuery) -> dict:
    user = request.auth
    qs = _visible(user, r).prefetch_related(*r.prefetch)
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.year is not None:
        qs = qs.filter(**{r.year: filters.year})
    for name in r.filters:
        value = getattr(filters, name)
        if value:
            choices = dict(r.model._meta.get_field(name).choices)
            if value not in choices:
                raise ValidationError(
                    {
                        name: _("可选值:%(v)s")
                        % {"v": "、".join(f"{k}({n})" for k, n in choices.items())}
                    }
                )
            qs = qs.filter(**{name: value})
    qs = qs.order_by(*r.model._meta.ordering, "pk")
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([r.out(o) for o in page.rows])


def _create(request, r: Resource, payload, zone_code):
    user = request.auth
    zone = one_zone(user, zone_code)
    with api_field_names(r.renames):
        obj = r.add(user, zone, **service_names(payload.model_dump(), r.renames))
    return Status(201, r.out(_one(user, r, obj.pk)))


def _patch(request, r: Resource, pk: int, payload, if_match):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=r.versioned)
    check_access(
        r.model.objects.restrict(user, VIEW),
        r.model.objects.restrict(user, CHANGE),
        pk,
        _("无权修改该记录"),
    )
    with api_field_names(r.renames):
        r.update(user, pk, version=version, **service_names(changes, r.renames))
    return r.out(_one(user, r, pk))


def _delete(request, r: Resource, pk: int, params, payload):
    user = request.auth
    check_access(
        r.model.objects.restrict(user, VIEW),
        r.model.objects.restrict(user, DELETE),
        pk,
        _("只有园区管理员可以删除科技创新记录"),
    )
    services.remove_record(user, r.model.objects.get(pk=pk), reason=delete_reason(params, payload))
    return Status(204, None)


def _named(func, name, id_name=None):
    """`func` as the operation `name`; its path parameter `record_id` called `id_name` (the
    OpenAPI document and the access matrix then say which record the id names)."""
    if id_name is None:
        func.__name__ = name
        return func
    signature = inspect.signature(func)
    params = [
        p.replace(name=id_name) if p.name == "record_id" else p
        for p in signature.parameters.values()
    ]

    def view(request, **kwargs):
        kwargs["record_id"] = kwargs.pop(id_name)
        return func(request, **kwargs)

    view.__name__ = name
    view.__signature__ = signature.replace(parameters=params)
    return view


def _register(r: Resource) -> None:
    """The five operations on one kind of record (a function each, named after it)."""
    id_name = f"{r.name}_id"
    item = f"{r.path}/{{int:{id_name}}}"
    out_schema = _out_schema(r)
    page_schema = s.page_of(out_schema)

    def list_(request, filters: Query[s.InnovationListQuery]):
        return _list(request, r, filters)

    def create(request, payload: r.schema_in, zone: str | None = None):
        return _create(request, r, payload, zone)

    def get(request, record_id: PathId):
        return r.out(_one(request.auth, r, record_id))

    def patch(
        request,
        record_id: PathId,
        payload: r.schema_patch,
        if_match: str | None = Header(None, alias="If-Match"),
    ):
        return _patch(request, r, record_id, payload, if_match)

    def delete(
        request,
        record_id: PathId,
        params: Query[DeleteQuery],
        payload: Body[DeleteIn | None] = None,
    ):
        return _delete(request, r, record_id, params, payload)

    plural = f"{r.name}s" if not r.name.endswith("s") else r.name
    router.get(
        r.path,
        response={200: page_schema, **SCOPED_READ_ERRORS},
        summary=_("%(l)s列表") % {"l": r.label},
    )(_named(list_, f"list_{plural}"))
    router.post(
        r.path,
        response={201: out_schema, **WRITE_ERRORS},
        summary=_("登记%(l)s") % {"l": r.label},
    )(_named(create, f"create_{r.name}"))
    router.get(
        item,
        response={200: out_schema, **SCOPED_READ_ERRORS},
        summary=_("%(l)s详情") % {"l": r.label},
    )(_named(get, f"get_{r.name}", id_name))
    router.patch(
        item,
        response={200: out_schema, **WRITE_ERRORS},
        summary=_("修改%(l)s(只改提交的字段)") % {"l": r.label},
    )(_named(patch, f"update_{r.name}", id_name))
    router.delete(
        item,
        response={204: None, **WRITE_ERRORS},
        summary=_("删除%(l)s(须说明理由)") % {"l": r.label},
    )(_named(delete, f"delete_{r.name}", id_name))


OUT_SCHEMAS = {
    Certification: s.InnovationCertificationOut,
    Patent: s.InnovationPatentOut,
    SoftwareCopyright: s.InnovationCopyrightOut,
    Platform: s.InnovationPlatformOut,
    Talent: s.InnovationTalentOut,
    Cooperation: s.InnovationCooperationOut,
    CloudAdoption: s.InnovationCloudOut,
}


def _out_schema(r: Resource):
    return OUT_SCHEMAS[r.model]


for _resource in RESOURCES:
    _register(_resource)


@router.post(
    "/certifications/{int:certification_id}/reports",
    response={201: s.InnovationReportOut, **WRITE_ERRORS},
    summary="填报高新技术企业年报(报告年度、填报日期)",
)
def file_annual_report(request, certification_id: PathId, payload: s.InnovationReportIn):
    user = request.auth
    record_id = certification_id
    check_access(
        Certification.objects.restrict(user, VIEW),
        Certification.objects.restrict(user, CHANGE),
        record_id,
        _("无权登记年报"),
    )
    report = services.file_annual_report(
        user, record_id, year=payload.year, filed_on=payload.filed_on
    )
    return Status(201, {"year": report.year, "due_on": report.due_on, "filed_on": report.filed_on})
