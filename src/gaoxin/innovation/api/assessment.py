"""The high-tech pre-assessment over REST.

- `GET /assessment/{enterprise_id}?year=`: the whole assessment (each criterion pass / fail /
  unknown with its figures and their source, the innovation score's parts and items in bands,
  the 科技型中小企业 evaluation) and the entered figures with their version.
- `PUT /assessment/{enterprise_id}/inputs?year=`: enter or change the figures (only the fields
  sent change; `null` clears one); answers the assessment again. A stale `version`: 409.

Whoever sees the enterprise reads (an enterprise user: its own); officers of its zone and the
enterprise's own users write; leaders and the province get 403; an enterprise not visible 404.
"""

from decimal import Decimal

from ninja import Field, Query

from gaoxin.core.api import SCOPED_READ_ERRORS, WRITE_ERRORS, Input, PathId, Schema
from gaoxin.core.clock import today

from .. import assessment_services as inputs
from ..assessment import evaluate
from ..models import AssessmentInput
from .common import router

Value = bool | int | str | None


class YearQuery(Input):
    # A string, so that a bad year answers our message rather than the parser's.
    year: str | None = Field(None, max_length=10, description="申报年度 YYYY;默认为今年")


class AssessmentFigureOut(Schema):
    label: str
    value: Value
    source: str = Field(
        description="returns 月报 / ledger 台账 / entered 填报 / registry 企业库 / computed 计算"
    )
    detail: str = Field(description="月报期别、填报人等")


class CriterionOut(Schema):
    key: str
    title: str
    status: str = Field(description="pass / fail / unknown")
    rule: str
    note: str
    figures: list[AssessmentFigureOut]


class ItemOut(Schema):
    key: str
    title: str
    low: int
    high: int
    most: int
    known: bool
    note: str
    figures: list[AssessmentFigureOut]


class PartOut(Schema):
    key: str
    title: str
    most: int
    low: int
    high: int
    known: bool
    items: list[ItemOut]


class ScoreOut(Schema):
    low: int
    high: int


class TechSmeOut(Schema):
    status: str
    direct: bool
    score: int | None
    parts: dict[str, int | None]
    reasons: list[str]


class AssessmentOut(Schema):
    enterprise_id: int
    enterprise: str
    year: int
    applying_on: str
    status: str = Field(description="pass 全部符合 / fail 有不符合 / unknown 待确认")
    score: ScoreOut
    criteria: list[CriterionOut]
    parts: list[PartOut]
    tech_sme: TechSmeOut
    inputs: dict[str, Value] = Field(description="填报的数据(无填报时为空),含 version")


class AssessmentInputIn(Input):
    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="已有填报的版本号;与当前版本不符时 409,省略则直接覆盖"
    )
    staff: int | None = Field(None, ge=0, le=inputs.MAX_PEOPLE)
    st_staff: int | None = Field(None, ge=0, le=inputs.MAX_PEOPLE)
    total_income: Decimal | None = Field(None, allow_inf_nan=False, description="万元")
    hightech_income: Decimal | None = Field(None, allow_inf_nan=False, description="万元")
    rd_in_china_share: Decimal | None = Field(None, allow_inf_nan=False, description="%")
    core_ip: bool | None = None
    no_major_incident: bool | None = None
    conversions_1: int | None = Field(None, ge=0, le=inputs.MAX_CONVERSIONS)
    conversions_2: int | None = Field(None, ge=0, le=inputs.MAX_CONVERSIONS)
    conversions_3: int | None = Field(None, ge=0, le=inputs.MAX_CONVERSIONS)
    ip_advancement: int | None = Field(None, ge=0, le=8)
    ip_support: int | None = Field(None, ge=0, le=8)
    ip_own_rd: bool | None = None
    leads_standard: bool | None = None
    rd_accounting: int | None = Field(None, ge=0, le=6)
    rd_institution: int | None = Field(None, ge=0, le=6)
    conversion_platform: int | None = Field(None, ge=0, le=4)
    talent_training: int | None = Field(None, ge=0, le=4)
    net_assets_1: Decimal | None = Field(None, allow_inf_nan=False, description="万元")
    net_assets_2: Decimal | None = Field(None, allow_inf_nan=False, description="万元")
    net_assets_3: Decimal | None = Field(None, allow_inf_nan=False, description="万元")


def _inputs_out(obj: AssessmentInput | None) -> dict:
    if obj is None:
        return {}
    out = {}
    for name in inputs.FIELDS:
        value = getattr(obj, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out | {"version": obj.version, "entered_by_name": obj.entered_by_name}


def _out(enterprise, year: int) -> dict:
    result, sme, entered = evaluate(enterprise, year)
    return result.as_dict() | {
        "enterprise": enterprise.name,
        "tech_sme": sme.as_dict(),
        "inputs": _inputs_out(entered),
    }


def _year(filters: YearQuery) -> int:
    return inputs.application_year(filters.year if filters.year not in (None, "") else today().year)


@router.get(
    "/assessment/{int:enterprise_id}",
    response={200: AssessmentOut, **SCOPED_READ_ERRORS},
    summary="高企自评:各项认定条件、创新能力评价与科技型中小企业评价",
)
def get_assessment(request, enterprise_id: PathId, filters: Query[YearQuery]):
    enterprise = inputs.enterprise_for(request.auth, enterprise_id)
    return _out(enterprise, _year(filters))


@router.put(
    "/assessment/{int:enterprise_id}/inputs",
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="填报高企自评数据(只修改提交的字段)",
)
def put_assessment_inputs(
    request, enterprise_id: PathId, payload: AssessmentInputIn, filters: Query[YearQuery]
):
    enterprise = inputs.enterprise_for(request.auth, enterprise_id)
    year = _year(filters)
    fields = payload.model_dump(exclude_unset=True)
    version = fields.pop("version", None)
    inputs.save_assessment_input(request.auth, enterprise, year, version=version, **fields)
    return _out(enterprise, year)
