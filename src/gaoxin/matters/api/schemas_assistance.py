"""Schemas of the help ledgers' endpoints (names prefixed `Assistance`, unique in the project).
Amounts are JSON numbers in 万元, as the statistics endpoints answer figures."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Input,
    IsoDate,
    PageOut,
    Schema,
)


def check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and start > end:
        raise ValidationError({"start": _("开始日期不能晚于结束日期")})


class AssistancePeriodQuery(Input):
    start: IsoDate = Field(..., description="开始日期 YYYY-MM-DD(含)")
    end: IsoDate = Field(..., description="结束日期 YYYY-MM-DD(含)")
    zone: str | None = Field(None, max_length=40, description="园区代码;默认为当前用户所在园区")


class AssistanceListQuery(Input):
    start: IsoDate | None = Field(None, description="开始日期 YYYY-MM-DD(含)")
    end: IsoDate | None = Field(None, description="结束日期 YYYY-MM-DD(含)")
    zone: str | None = Field(None, max_length=40, description="园区代码;默认为当前用户所在园区")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = CURSOR


class AssistanceTotals(Schema):
    enterprises: int = Field(description="企业数(去重)")
    count: int = Field(description="笔数")
    amount_wan: int | float = Field(description="金额(万元)")


class AssistanceLoans(Schema):
    credit: AssistanceTotals
    guaranteed: AssistanceTotals
    total: AssistanceTotals


class AssistanceJobs(Schema):
    fairs: int = Field(description="期间举办的招聘会场次")
    enterprises: int = Field(description="参会企业数(去重)")
    positions: int = Field(description="提供岗位数")


class AssistanceRate(Schema):
    tracked: int
    resumed: int
    rate: float | None = Field(description="复工率(%),一位小数;无跟踪对象为 null")


class AssistanceResumption(Schema):
    as_of: datetime.date
    enterprises: AssistanceRate
    projects: AssistanceRate
    overall: AssistanceRate


class AssistanceSummaryOut(Schema):
    zone: str
    start: datetime.date
    end: datetime.date
    awards: AssistanceTotals
    loans: AssistanceLoans
    jobs: AssistanceJobs
    resumption: AssistanceResumption


class AssistanceEnterpriseRef(Schema):
    id: int
    name: str


class AssistanceAwardOut(Schema):
    id: int
    enterprise: AssistanceEnterpriseRef
    policy: str
    amount_wan: int | float
    paid_on: datetime.date
    note: str
    created_by_name: str


class AssistanceAwardCreated(AssistanceAwardOut):
    warnings: list[str] = Field(
        default_factory=list, description="登记后的提醒(如高企的高新收入占比将低于 60%)"
    )


class AssistanceLoanOut(Schema):
    id: int
    enterprise: AssistanceEnterpriseRef
    bank: str
    kind: str
    kind_name: str
    amount_wan: int | float
    granted_on: datetime.date
    note: str
    created_by_name: str


class AssistanceOfferOut(Schema):
    enterprise: AssistanceEnterpriseRef
    positions: int
    jobs: str


class AssistanceFairOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    ends_on: datetime.date | None
    online: bool
    positions: int
    offers: list[AssistanceOfferOut]


class AssistanceResumptionOut(Schema):
    id: int
    subject: str
    subject_name: str
    enterprise: AssistanceEnterpriseRef | None
    project: AssistanceEnterpriseRef | None
    tracked_from: datetime.date
    resumed_on: datetime.date | None
    workers_back: int | None
    workers_total: int | None
    version: int


class AssistanceAwardList(PageOut):
    items: list[AssistanceAwardOut]


class AssistanceLoanList(PageOut):
    items: list[AssistanceLoanOut]


class AssistanceFairList(PageOut):
    items: list[AssistanceFairOut]


class AssistanceResumptionList(PageOut):
    items: list[AssistanceResumptionOut]


class AssistanceAwardIn(Input):
    enterprise: int = Field(..., ge=1, le=2**63 - 1, description="企业 id")
    policy: str = Field(..., max_length=100)
    amount_wan: Decimal = Field(..., allow_inf_nan=False, description="金额(万元)")
    paid_on: IsoDate
    note: str = Field("", max_length=200)


class AssistanceLoanIn(Input):
    enterprise: int = Field(..., ge=1, le=2**63 - 1, description="企业 id")
    bank: str = Field(..., max_length=50)
    kind: str = Field(..., max_length=20, description="credit 信贷 / guaranteed 担保专项贷款")
    amount_wan: Decimal = Field(..., allow_inf_nan=False, description="金额(万元)")
    granted_on: IsoDate
    note: str = Field("", max_length=200)
