"""The matters endpoints' schemas (names prefixed `Matter`: ninja schema names are global)."""

import datetime
from typing import Literal

from ninja import Field
from pydantic import ConfigDict

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    Id,
    Input,
    Int,
    IsoDate,
    IsoDateTime,
    PageOut,
    Schema,
)

from ..models import Channel, Kind, Light, Priority, ServiceMode, Status

KindCode = Literal[tuple(Kind.values)]
StatusCode = Literal[tuple(Status.values)]
LightCode = Literal[tuple(Light.values)]
PriorityCode = Literal[tuple(Priority.values)]
ChannelCode = Literal[tuple(Channel.values)]
ModeCode = Literal[tuple(ServiceMode.values)]


class MatterRef(Schema):
    id: int
    name: str


class MatterEventOut(Schema):
    id: int
    type: str
    type_name: str
    time: datetime.datetime
    actor_name: str
    text: str
    from_status: str
    to_status: str
    internal: bool
    attachment_name: str


class MatterApprovalItemOut(Schema):
    id: int
    category: MatterRef
    state: str
    state_name: str
    approver: str
    submitted_on: datetime.date | None
    approved_on: datetime.date | None
    due_on: datetime.date | None
    note: str
    version: int


class MatterOut(Schema):
    id: int
    zone: str
    number: str
    kind: str
    kind_name: str
    category: MatterRef | None
    title: str
    description: str
    enterprise: MatterRef | None
    project: MatterRef | None
    finding_id: int | None
    meeting_id: int | None
    working_group_id: int | None
    channel: str
    channel_name: str
    raised_by_name: str
    contact: str
    department: MatterRef | None
    officer: MatterRef | None
    helpers: list[MatterRef]
    service_mode: str
    priority: str
    priority_name: str
    due_on: datetime.date
    status: str
    status_name: str
    light: str = Field(description="green 正常 / yellow 临期 / red 逾期 / done 已办结")
    light_name: str
    visible_to_enterprise: bool
    resolution: str
    escalated_at: datetime.datetime | None
    rating: int | None
    rating_comment: str
    rated_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    version: int


class MatterDetailOut(MatterOut):
    timeline: list[MatterEventOut]
    approval_items: list[MatterApprovalItemOut] = Field(description="项目代办的审批事项清单")


class MatterList(PageOut):
    items: list[MatterOut]


class MatterListQuery(Input):
    """The matter list page's filter parameters (the cockpit links to it with them)."""

    zone: str | None = Field(None, description="园区代码;默认当前工作园区")
    q: str | None = Field(None, max_length=100, description="编号、标题或企业名称片段")
    kind: KindCode | None = None
    status: list[StatusCode] = Field([], description="状态,可重复")
    light: LightCode | None = None
    department: str | None = Field(None, max_length=20, description="部门编号;none 为未分派")
    category: Id | None = None
    enterprise: Id | None = Field(None, description="企业编号(工作人员)")
    project: Id | None = None
    meeting: Id | None = None
    working_group: Id | None = None
    escalated: Literal["1"] | None = Field(None, description="1:已升级督办")
    created_from: IsoDate | None = None
    created_to: IsoDate | None = None
    closed_from: IsoDate | None = Field(None, description="办结日期起")
    closed_to: IsoDate | None = Field(None, description="办结日期止")
    rated: Literal["1"] | None = Field(None, description="1:已评价")
    rating: Literal["1", "2", "3", "4", "5"] | None = Field(None, description="评价星级 1–5")
    page: Int = 1
    page_size: Int = Field(DEFAULT_PAGE_SIZE, description="最大 500,超出按 500")
    cursor: str | None = CURSOR


class MatterIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    kind: KindCode = Field(description="企业用户只能提交 help(帮扶诉求)")
    title: str = Field(max_length=100)
    description: str = Field("", max_length=5000)
    category: Id | None = Field(None, description="分类编号(帮扶诉求必填)")
    enterprise: Id | None = Field(None, description="企业编号(企业用户为本企业)")
    project: Id | None = Field(None, description="投资项目编号(项目代办必填)")
    channel: ChannelCode | None = None
    department: Id | None = Field(None, description="责任部门编号;不填按分类自动分派")
    officer: Id | None = Field(None, description="责任人用户编号")
    helpers: list[Id] = Field([], max_length=20, description="协办人用户编号")
    due_on: IsoDate | None = Field(None, description="不填按分类办理时限计算")
    priority: PriorityCode | None = None
    service_mode: ModeCode | None = None
    contact: str = Field("", max_length=100)
    working_group: Id | None = Field(None, description="帮扶工作组编号")
    visible_to_enterprise: bool | None = None


class MatterPatch(Input):
    """Only the fields sent change; several at once in one transaction."""

    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本号(或 If-Match 请求头)")
    title: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    category: Id | None = None
    priority: PriorityCode | None = None
    contact: str | None = Field(None, max_length=100)
    service_mode: ModeCode | None = None
    visible_to_enterprise: bool | None = None
    project: Id | None = None
    enterprise: Id | None = None
    status: StatusCode | None = Field(None, description="目标状态;办结、撤回、重办须附 text")
    text: str | None = Field(None, max_length=5000, description="办理结果或原因")
    department: Id | None = Field(None, description="分派:责任部门编号")
    officer: Id | None = Field(None, description="分派:责任人用户编号")
    helpers: list[Id] | None = Field(None, max_length=20, description="分派:协办人用户编号")
    due_on: IsoDate | None = Field(None, description="新的办理期限(须附 due_reason)")
    due_reason: str | None = Field(None, max_length=300)


class MatterCommentIn(Input):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=5000)
    internal: bool = Field(False, description="仅内部可见(工作人员)")


class MatterRatingIn(Input):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


class MatterEscalateIn(Input):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300)


class AppointmentIn(Input):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["appointment", "after_hours", "on_site"] = Field(
        description="预约办理 / 延时办理 / 上门办理"
    )
    starts_at: IsoDateTime = Field(description="预约时间(同一窗口同一时间只能预约一次)")
    place: str = Field(max_length=100, description="地点(窗口)")
    item: Id | None = Field(None, description="审批事项(清单中的一项)")
    note: str = Field("", max_length=200)


class AppointmentOut(Schema):
    id: int
    matter: int
    item: int | None
    mode: str
    mode_name: str
    starts_at: datetime.datetime
    place: str
    note: str
    created_by_name: str
    is_cancelled: bool
