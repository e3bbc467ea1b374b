"""Schemas of the innovation records' endpoints (names prefixed `Innovation`, unique in the
project). Choices travel as their codes and are checked by the services (Chinese messages);
amounts are in 万元."""

import datetime
from decimal import Decimal

from ninja import Field
from pydantic import ConfigDict

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Id,
    Input,
    Int,
    IsoDate,
    PageOut,
    Schema,
)

Text = str  # lengths are the services' to check, with the field's name in the message


class InnovationRef(Schema):
    id: int
    name: str


class InnovationListQuery(Input):
    zone: str | None = Field(None, max_length=40, description="园区代码;默认所有可见园区")
    enterprise: Id | None = Field(None, description="企业编号")
    year: Int | None = Field(None, ge=1900, le=2100, description="年度")
    kind: str | None = Field(None, max_length=20, description="类别 / 类型")
    level: str | None = Field(None, max_length=20, description="级别")
    status: str | None = Field(None, max_length=20, description="状态")
    page: Int = Field(1, ge=1, le=1_000_000)
    page_size: Int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = CURSOR


class Strict(Input):
    model_config = ConfigDict(extra="forbid")


# --- certifications ------------------------------------------------------------------------


class InnovationReportOut(Schema):
    year: int
    due_on: datetime.date
    filed_on: datetime.date | None


class InnovationCertificationOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    kind: str
    kind_name: str
    title: InnovationRef | None
    status: str
    status_name: str
    number: str
    field: str
    field_name: str
    applied_on: datetime.date | None
    issued_on: datetime.date | None
    expires_on: datetime.date | None = Field(description="发证日期 + 3 年 − 1 天(计算得出)")
    year: int | None
    score: int | None
    note: str
    source: str
    version: int
    reports: list[InnovationReportOut]


class InnovationCertificationIn(Strict):
    enterprise: Id
    kind: Text = Field(description="hightech / tech_sme / title")
    status: Text = Field(description="cultivating / applied / certified / expired / revoked")
    number: Text = Field("", description="证书编号;高新技术企业如 GR201936000123")
    field: Text = Field("", description="技术领域(八大领域之一,高新技术企业已认定时必填)")
    applied_on: IsoDate | None = None
    issued_on: IsoDate | None = None
    year: Int | None = None
    score: Int | None = Field(None, description="科技型中小企业评价得分 0–100")
    title: Id | None = Field(None, description="称号编号(类别为其他称号时)")
    note: Text = ""


class InnovationCertificationPatch(Strict):
    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    status: Text = None
    number: Text = None
    field: Text = None
    applied_on: IsoDate | None = None
    issued_on: IsoDate | None = None
    year: Int | None = None
    score: Int | None = None
    title: Id | None = None
    note: Text = None


class InnovationReportIn(Strict):
    year: Int = Field(description="报告年度")
    filed_on: IsoDate = Field(description="填报日期")


# --- patents and software copyrights --------------------------------------------------------


class InnovationPatentOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    number: str = Field(description="申请号(规范形式,如 201710601862.3)")
    kind: str
    kind_name: str
    title: str
    applied_on: datetime.date
    granted_on: datetime.date | None
    status: str
    status_name: str
    source: str
    version: int


class InnovationPatentIn(Strict):
    enterprise: Id
    number: Text = Field(description="申请号;可带 ZL 前缀,须含校验位")
    title: Text
    applied_on: IsoDate
    status: Text = Field(description="pending / granted / rejected / withdrawn / lapsed")
    granted_on: IsoDate | None = None
    kind: Text | None = Field(None, description="省略时按申请号第 5 位(旧号第 3 位)确定")


class InnovationPatentPatch(Strict):
    version: Int | None = None
    enterprise: Id = None
    number: Text = None
    title: Text = None
    applied_on: IsoDate = None
    status: Text = None
    granted_on: IsoDate | None = None
    kind: Text | None = None


class InnovationCopyrightOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    number: str
    title: str
    registered_on: datetime.date


class InnovationCopyrightIn(Strict):
    enterprise: Id
    number: Text = Field(description="登记号,如 2019SR0123456")
    title: Text
    registered_on: IsoDate


class InnovationCopyrightPatch(Strict):
    version: Int | None = Field(None, description="(不分版本,忽略)")
    enterprise: Id = None
    number: Text = None
    title: Text = None
    registered_on: IsoDate = None


# --- platforms, talents, cooperation, cloud -----------------------------------------------


class InnovationPlatformOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    name: str
    kind: str
    kind_name: str
    level: str
    level_name: str
    recognised_on: datetime.date
    note: str
    source: str
    version: int


class InnovationPlatformIn(Strict):
    enterprise: Id
    name: Text
    kind: Text
    level: Text = Field(description="national / provincial / municipal")
    recognised_on: IsoDate
    note: Text = ""


class InnovationPlatformPatch(Strict):
    version: Int | None = None
    enterprise: Id = None
    name: Text = None
    kind: Text = None
    level: Text = None
    recognised_on: IsoDate = None
    note: Text = None


class InnovationTalentOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    name: str
    programme: str
    level: str
    level_name: str
    year: int
    note: str
    source: str


class InnovationTalentIn(Strict):
    enterprise: Id
    name: Text
    programme: Text
    level: Text
    year: Int
    note: Text = ""


class InnovationTalentPatch(Strict):
    version: Int | None = Field(None, description="(不分版本,忽略)")
    enterprise: Id = None
    name: Text = None
    programme: Text = None
    level: Text = None
    year: Int = None
    note: Text = None


class InnovationCooperationOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    partner: str
    project: str
    amount_wan: int | float | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    note: str
    source: str


class InnovationCooperationIn(Strict):
    enterprise: Id
    partner: Text
    project: Text
    amount_wan: Decimal | None = Field(None, allow_inf_nan=False, description="合同金额(万元)")
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    note: Text = ""


class InnovationCooperationPatch(Strict):
    version: Int | None = Field(None, description="(不分版本,忽略)")
    enterprise: Id = None
    partner: Text = None
    project: Text = None
    amount_wan: Decimal | None = Field(None, allow_inf_nan=False)
    starts_on: IsoDate = None
    ends_on: IsoDate | None = None
    note: Text = None


class InnovationCloudOut(Schema):
    id: int
    zone: str
    enterprise: InnovationRef
    level: str
    level_name: str
    adopted_on: datetime.date
    provider: str
    note: str
    source: str


class InnovationCloudIn(Strict):
    enterprise: Id
    level: Text = Field(description="basic / platform / deep")
    adopted_on: IsoDate
    provider: Text = ""
    note: Text = ""


class InnovationCloudPatch(Strict):
    version: Int | None = Field(None, description="(不分版本,忽略)")
    enterprise: Id = None
    level: Text = None
    adopted_on: IsoDate = None
    provider: Text = None
    note: Text = None


def page_of(item):
    """The paginated list schema of `item`."""
    return type(
        f"{item.__name__[:-3]}List",
        (PageOut,),
        {"__annotations__": {"items": list[item]}},
    )
