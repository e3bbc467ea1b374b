"""What the statistics endpoints (returns, findings, official figures, catalogue) share: schemas
with unique names (prefixed `Stat`), periods as "YYYY-MM", figures as JSON numbers, the reading
zone and who works as an officer."""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field
from pydantic import ConfigDict, PlainValidator, WithJsonSchema

from gaoxin.core.api import CURSOR, SCOPED_READ_ERRORS, Id, Input, Int, IsoDate, PageOut, Schema
from gaoxin.core.models.access import VIEW, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Enterprise

from .. import catalogue
from ..models import FindingStatus, OfficialSource, ReturnStatus, Rule
from ..services.returns import FIGURE_TEXT_MAX

# Every statistics read: a bad parameter (400/422), no token (401), a zone or row the user may
# not read (403/404): core's SCOPED_READ_ERRORS.
READ_ERRORS = SCOPED_READ_ERRORS

PeriodText = Annotated[str, Field(max_length=20, description="报告期 YYYY-MM,如 2019-12")]
StatusCode = Literal[tuple(ReturnStatus.values)]
FindingStatusCode = Literal[tuple(FindingStatus.values)]
SeverityCode = Literal[tuple(Rule.Severity.values)]
KindCode = Literal[tuple(Rule.Kind.values)]
SourceCode = Literal[tuple(OfficialSource.values)]
Figure = Annotated[Decimal, Field(description="数字,或写作字符串的数字", allow_inf_nan=False)]


def _typed_figure(value):
    """A return's figure as sent: a JSON number or null, or a string as a person types it; the
    service reads it with the indicator's unit (services.returns.read_figure) and names what is
    wrong. Anything else (true, a list, an object) is refused here."""
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("不能包含空字符(\\x00)"))
        return value
    raise ValueError(_('应为数字,或写作字符串的数字(如 "1200.5"、"1.2亿")'))


TypedFigure = Annotated[
    Any,
    PlainValidator(_typed_figure),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "maxLength": FIGURE_TEXT_MAX},
                {"type": "null"},
            ],
            "description": "以指标的计量单位:数字,或写作字符串的数字;字符串可写 1.2亿、500万、"
            "1,234.5、全角数字;null 为未填",
        }
    ),
]
FigureMap = dict[Annotated[str, Field(max_length=40)], TypedFigure]


# --- helpers --------------------------------------------------------------------------------


def period_text(period: int) -> str:
    return str(Period.of(period))


def sees_zone(user, model, zone, action: str = VIEW) -> bool:
    """Whether `user` may `action` `model` across `zone` as an officer, leader or the province
    (not only their own enterprise's rows)."""
    return can_in_zone(user, model, zone, action)


def figures_in(data: dict | None) -> dict[str, Decimal | None]:
    """A return's stored data ({code: "decimal string"}) as Decimals."""
    out = {}
    for code, value in (data or {}).items():
        out[code] = None if value in (None, "") else Decimal(str(value))
    return out


def check_codes(zone, data: dict, *, source: str = "return", field: str = "data") -> None:
    """Every key of `data` must be an indicator of the zone's catalogue of that source."""
    known = {i.code for i in catalogue.indicators_for(zone, source=source)}
    unknown = [code for code in data if code not in known]
    if unknown:
        raise ValidationError(
            {f"{field}.{code}": _("未知的指标代码 %(c)s") % {"c": code} for code in unknown}
        )


def enterprise_ref(e: Enterprise) -> dict:
    return {"id": e.pk, "name": e.name}


# --- schemas --------------------------------------------------------------------------------


class StatEnterpriseRef(Schema):
    id: int
    name: str


class StatFindingBrief(Schema):
    id: int
    rule_code: str
    kind: str
    indicator: str | None
    severity: str
    severity_name: str
    message: str
    status: str
    status_name: str
    explanation: str


class StatReturnOut(Schema):
    id: int
    zone: str
    enterprise: StatEnterpriseRef
    period: str = Field(description="YYYY-MM")
    period_label: str
    status: str
    status_name: str
    data: dict[str, int | float | None] = Field(description="{指标代码: 数值};累计指标为本年累计")
    explanations: dict[str, str]
    due_on: datetime.date | None
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    returned_reason: str
    revision: int
    version: int
    updated_at: datetime.datetime


class StatReturnDetail(StatReturnOut):
    findings: list[StatFindingBrief]


class StatReturnList(PageOut):
    items: list[StatReturnOut]


class StatReturnQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    period: str | None = Field(None, max_length=20, description="YYYY-MM")
    status: StatusCode | None = None
    enterprise: Id | None = Field(None, description="企业编号")
    page: Int = 1
    page_size: Int = 50
    cursor: str | None = CURSOR


class StatReturnIn(Input):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: Id | None = Field(None, description="企业编号;企业用户可省略(默认本企业)")
    period: PeriodText
    data: FigureMap = Field(default_factory=dict, description="{指标代码: 数字或 null}")
    explanations: dict[str, Annotated[str, Field(max_length=2000)]] = Field(default_factory=dict)


class StatReturnPatch(Input):
    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    data: FigureMap = Field(default_factory=dict, description="要修改的指标;未提供的保持不变")
    explanations: dict[str, Annotated[str, Field(max_length=2000)]] | None = None


class StatVersionIn(Input):
    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="操作开始时的版本;也可用 If-Match 请求头")


class StatReasonIn(StatVersionIn):
    reason: str = Field("", max_length=2000)


class StatReviseIn(StatReasonIn):
    data: FigureMap = Field(default_factory=dict, description="修订的指标;未提供的保持不变")


class StatMissingItem(Schema):
    enterprise: StatEnterpriseRef
    uscc: str
    status: str | None = Field(description="无报表为 null;否则 draft / returned")
    status_name: str
    reminders: int
    last_reminded_at: datetime.datetime | None


class StatMissingOut(Schema):
    zone: str
    period: str
    due_on: datetime.date
    expected: int = Field(description="应报企业数")
    reported: int = Field(description="已报送或已审核的企业数")
    items: list[StatMissingItem]


class StatReminderIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    period: PeriodText
    enterprise_ids: list[Id] | None = Field(
        None, max_length=10000, description="省略则提醒所有未报企业"
    )
    message: str = Field("", max_length=300)


class StatReminderOut(Schema):
    sent: int


class StatFindingOut(StatFindingBrief):
    zone: str
    return_id: int
    enterprise: StatEnterpriseRef
    period: str
    kind_name: str
    indicator_name: str | None
    query_due_on: datetime.date | None
    queried_at: datetime.datetime | None
    created_at: datetime.datetime
    closed_at: datetime.datetime | None


class StatFindingList(PageOut):
    items: list[StatFindingOut]


class StatFindingQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    period: str | None = Field(None, max_length=20, description="YYYY-MM")
    severity: SeverityCode | None = None
    status: FindingStatusCode | Literal["all"] | None = Field(
        None, description="默认未关闭的(open / explained / queried);all 为全部"
    )
    kind: KindCode | None = None
    indicator: str | None = Field(None, max_length=40, description="指标代码")
    enterprise: Id | None = None
    page: Int = 1
    page_size: Int = 50
    cursor: str | None = CURSOR


class StatExplainIn(Input):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=2000)


class StatQueryIn(Input):
    model_config = ConfigDict(extra="forbid")

    due_on: IsoDate = Field(description="企业回复期限")
    message: str = Field("", max_length=300)


class StatCloseIn(Input):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=300)


class StatOfficialOut(Schema):
    id: int
    zone: str
    indicator: str
    indicator_name: str
    unit: str
    period: str
    value: int | float | None
    yoy_pct: float | None = Field(description="同比增长(%)")
    source: str
    source_name: str
    source_label: str = Field(description="如「官方·统计局」")
    source_note: str
    version: int
    entered_by_name: str
    updated_at: datetime.datetime


class StatOfficialList(PageOut):
    items: list[StatOfficialOut]


class StatOfficialQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    period: str | None = Field(None, max_length=20, description="YYYY-MM")
    indicator: str | None = Field(None, max_length=40, description="指标代码")
    source: SourceCode | None = None
    page: Int = 1
    page_size: Int = 50
    cursor: str | None = CURSOR


class StatOfficialIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    indicator: str = Field(max_length=40, description="指标代码")
    period: PeriodText
    value: Figure | None = Field(None, description="以指标的计量单位")
    yoy_pct: Figure | None = Field(None, description="同比增长(%)")
    source: SourceCode
    source_note: str = Field("", max_length=200)


class StatOfficialPatch(Input):
    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    value: Figure | None = None
    yoy_pct: Figure | None = None
    source: SourceCode = None
    source_note: str = Field(None, max_length=200)


class StatIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    frequency: str
    frequency_name: str
    cumulative: bool
    source: str
    source_name: str
    aggregation: str
    aggregation_name: str
    numerator: str | None
    denominator: str | None
    decimal_places: int
    definition: str
    department: str
    is_active: bool
    standard: bool = Field(description="全平台标准指标(否则为本园区自设)")


class StatIndicatorList(Schema):
    zone: str
    items: list[StatIndicatorOut]
    count: int


class StatCatalogueQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认当前园区")
    source: Literal["return", "official", "computed"] | None = None


class StatRuleOut(Schema):
    code: str
    name: str
    kind: str
    kind_name: str
    indicator: str | None
    other: str | None
    params: dict[str, Any]
    severity: str
    severity_name: str
    is_active: bool
    overridden: bool = Field(description="本园区已调整(覆盖标准规则)或自设")


class StatRuleList(Schema):
    zone: str
    items: list[StatRuleOut]
    count: int
