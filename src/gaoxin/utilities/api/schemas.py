"""Schemas of the utilities' endpoints (names prefixed `Utility`, unique in the project). Money
travels as decimal strings in 元 ("1280.5"), volumes in the account's unit (kWh or m³). A batch's
rows are checked here first (types, bounds, at most 10,000 rows), each error named by its row
("rows[3].index"); the ledger's own rules are the services'."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Id,
    Input,
    Int,
    IsoDate,
    PageOut,
)
from gaoxin.core.api_types import DATETIME_PATTERN, Schema

from ..models import Kind, Register

MAX_ROWS = 10_000


def _no_nul(value: str) -> str:
    if "\x00" in value:  # PostgreSQL cannot store it (a 500): refused here
        raise ValueError(_("不能包含空字符(\\x00)"))
    return value.strip()


_MOMENT = re.compile(DATETIME_PATTERN)


def _moment(value):
    """core.api's IsoDateTime, its pattern compiled once: a batch has 10,000 of them."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _MOMENT.match(value):
        return value
    raise ValueError(_("时间格式应为 YYYY-MM-DDTHH:MM(如 2026-11-04T10:00)"))


# Rows are many: they are plain pydantic models (a ninja Schema runs a Python root validator
# for each), their text fields checked one by one rather than by Input's catch-all validator.
Text = Annotated[str, AfterValidator(_no_nul)]
Moment = Annotated[
    datetime.datetime,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
KindCode = Literal[tuple(Kind.values)]
RegisterCode = Literal[tuple(Register.values)]
# The ledger's columns: 元 with 2 decimals under 10^12, volumes with 3 under 10^13.
Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Index = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=3)]


class UtilityRef(Schema):
    id: int
    name: str


class UtilityAccountQuery(Input):
    zone: str | None = Field(None, max_length=40, description="园区代码;默认所有可见园区")
    risk: Literal["red", "yellow", "green"] | None = Field(
        None, description="风险等级:red 二级预警及余额耗尽,yellow 一级预警,green 正常"
    )
    kind: KindCode | None = Field(None, description="electricity 电 / water 水 / gas 气")
    enterprise: Id | None = Field(None, description="企业编号")
    company: Id | None = Field(None, description="供应单位编号")
    meter_no: str | None = Field(None, max_length=32, description="表号(精确匹配)")
    protected: bool | None = Field(None, description="只看保电账户(true)或非保电账户(false)")
    page: Int = Field(1, ge=1, le=1_000_000)
    page_size: Int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    cursor: str | None = CURSOR


class UtilityAccountOut(Schema):
    id: int
    zone: str
    enterprise: UtilityRef
    kind: str
    kind_name: str
    unit: str = Field(description="计量单位:kWh 或 m³")
    meter_no: str
    company: UtilityRef
    tariff: UtilityRef
    capacity_kva: float | None
    demand_kw: float | None
    protected: bool = Field(description="保电(不得停供)")
    protected_reason: str
    protected_from: datetime.date | None
    protected_until: datetime.date | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    balance: str = Field(description="余额(元)")
    balance_at: datetime.datetime | None
    daily_cost: str | None = Field(description="预测日均费用(元)")
    days_left: float | None = Field(description="预计可用天数")
    level: int = Field(description="0 正常 / 1 一级预警 / 2 二级预警 / 3 余额耗尽")
    level_name: str
    band: str = Field(description="green / yellow / red")
    forecast_at: datetime.datetime | None
    version: int


class UtilityWarningOut(Schema):
    level: int
    level_name: str
    raised_at: datetime.datetime
    days_left: float | None
    balance: str


class UtilityAccountDetailOut(UtilityAccountOut):
    open_warnings: list[UtilityWarningOut] = Field(description="未解除的预警")


class UtilityAccountList(PageOut):
    items: list[UtilityAccountOut]


# --- batches ---------------------------------------------------------------------------------


class UtilityRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meter_no: Text = Field(min_length=1, max_length=32, description="表号")
    kind: KindCode | None = Field(
        None, description="electricity / water / gas;不填时按表号确定(供应单位账户为其类别)"
    )


class UtilityReadingRow(UtilityRow):
    read_at: Moment = Field(description="抄表时间(无时区时按北京时间)")
    # "register" names a method of pydantic's models: the attribute is register_
    register_: RegisterCode = Field(
        "total", alias="register", description="total 总 / critical / peak / flat / valley"
    )
    index: Index = Field(description="示数(累计读数)")


class UtilityTopUpRow(UtilityRow):
    paid_at: Moment = Field(description="充值时间")
    amount: Amount = Field(gt=0, description="金额(元)")
    transaction_id: Text = Field(min_length=1, max_length=64, description="交易号(同一账户唯一)")
    channel: Text = Field("", max_length=20, description="渠道")


class UtilityCutOffRow(UtilityRow):
    at: Moment = Field(description="停供时间")
    reason: Text = Field("", max_length=100, description="原因")
    restored_at: Moment | None = Field(None, description="恢复时间")


class UtilityBatchIn(Input):
    model_config = ConfigDict(extra="forbid")


class UtilityReadingsIn(UtilityBatchIn):
    rows: list[UtilityReadingRow] = Field(min_length=1, max_length=MAX_ROWS)


class UtilityTopUpsIn(UtilityBatchIn):
    rows: list[UtilityTopUpRow] = Field(min_length=1, max_length=MAX_ROWS)


class UtilityCutOffsIn(UtilityBatchIn):
    rows: list[UtilityCutOffRow] = Field(min_length=1, max_length=MAX_ROWS)


class UtilityBatchOut(Schema):
    batch: int = Field(description="批次编号")
    rows: int = Field(description="本批行数")
    written: int = Field(description="入账行数")
    repeated: int = Field(description="与已入账完全相同、已跳过的行数(重发不会重复入账)")


# --- summary ---------------------------------------------------------------------------------


class UtilitySummaryQuery(Input):
    zone: str | None = Field(None, max_length=40, description="园区代码;默认为当前用户所在园区")
    on: IsoDate | None = Field(None, description="截至日期;默认今天")


class UtilityBandsOut(Schema):
    red: int = Field(description="二级预警及余额耗尽的账户数")
    yellow: int = Field(description="一级预警的账户数")
    green: int = Field(description="正常的账户数")


class UtilitySummaryOut(Schema):
    zone: str
    on: datetime.date
    accounts: int = Field(description="在用账户数")
    bands: UtilityBandsOut
    open_warnings: int = Field(description="未解除的预警数")
    cutoffs: int = Field(description="当年停供次数")
    surprise_stops: int = Field(description="当年未经两级预警的停供次数(应为 0)")
    protected: int = Field(description="保电账户数")
