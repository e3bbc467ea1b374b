"""Matters (服务闭环): the one closed-loop object behind agency cases (项目代办), problems raised at
scheduling meetings (重大项目调度), help requests (帮扶诉求), statistics data queries and visit
follow-ups. A matter is something an enterprise or a project needs, owned by a department, due by a
date, followed until closed and rated by the enterprise (DOMAIN.md, "Services and help").

Beside the matter: its timeline (`MatterEvent`), the approval checklist and appointments of an
agency case, scheduling meetings, support working groups, the help ledgers (awards, loans, job
fairs, work resumption) and each person's notifications.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, ZoneScopedModel
from gaoxin.core.models.access import CHANGE, VIEW, user_scope_q

MONEY = {"max_digits": 16, "decimal_places": 4, "validators": [MinValueValidator(0)]}

# A matter turns yellow this many calendar days before its due date (DOMAIN: red / yellow / green).
DUE_SOON_DAYS = 3


class Kind(models.TextChoices):
    AGENCY = "agency", _("项目代办")
    SCHEDULING = "scheduling", _("调度问题")
    HELP = "help", _("帮扶诉求")
    DATA_QUERY = "data_query", _("数据询问")
    VISIT = "visit", _("走访跟进")


# The service level of a kind when its category sets none, in working days.
KIND_SERVICE_DAYS = {
    Kind.AGENCY: 60,
    Kind.SCHEDULING: 15,
    Kind.HELP: 10,
    Kind.DATA_QUERY: 5,
    Kind.VISIT: 10,
}
# The number prefix of each kind: DB-2026-0001 (代办), DD (调度), BF (帮扶), XW (询问), ZF (走访).
KIND_PREFIX = {
    Kind.AGENCY: "DB",
    Kind.SCHEDULING: "DD",
    Kind.HELP: "BF",
    Kind.DATA_QUERY: "XW",
    Kind.VISIT: "ZF",
}


class Status(models.TextChoices):
    OPEN = "open", _("待受理")
    ASSIGNED = "assigned", _("已分派")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")
    REOPENED = "reopened", _("已重办")
    WITHDRAWN = "withdrawn", _("已撤回")


# Matters still being worked on (the traffic light applies to these).
ACTIVE = (Status.OPEN, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)
DONE = (Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN)


class Light(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("逾期")
    DONE = "done", _("已办结")


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    HIGH = "high", _("紧急")
    URGENT = "urgent", _("特急")


class Channel(models.TextChoices):
    PLATFORM = "platform", _("平台提交")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("调度会")
    WECHAT = "wechat", _("微信")
    LETTER = "letter", _("来函")
    SYSTEM = "system", _("系统生成")


class ServiceMode(models.TextChoices):
    REGULAR = "regular", _("常规办理")
    APPOINTMENT = "appointment", _("预约办理")
    AFTER_HOURS = "after_hours", _("延时办理")
    ON_SITE = "on_site", _("上门办理")


# The zone's matter settings (categories, working groups, meetings, ledgers): admins and officers
# write, leaders and the province read; enterprise users do not see them.
OFFICERS_POLICY = {
    "platform_admin": {"view", "add", "change", "delete"},
    "province_viewer": {"view"},
    "zone_admin": {"view", "add", "change", "delete"},
    "zone_leader": {"view"},
    "zone_staff": {"view", "add", "change"},
}
SETTINGS_POLICY = {**OFFICERS_POLICY, "zone_staff": {"view"}}


class CategoryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Officers by the settings policy; enterprise users read their zone's categories to
        raise a request."""
        qs = super().restrict(user, action)
        if action != VIEW or not (user and user.is_authenticated and user.is_active):
            return qs
        zones = [m.zone_id for m in user.memberships_cached() if m.role == "enterprise_user"]
        return (qs | self.filter(zone_id__in=zones)) if zones else qs


class Category(ZoneScopedModel):
    """A zone's sub-category of a kind: an approval item of agency cases (施工许可), one of the six
    help measures (资金), a kind of scheduling problem. Its service level sets the due date and its
    department receives the matters raised under it."""

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=50)
    service_days = models.PositiveSmallIntegerField(
        _("办理时限(工作日)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("默认责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CategoryQuerySet.as_manager()
    access_policy = SETTINGS_POLICY

    class Meta:
        ordering = ["zone", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "kind", "code"], name="matter_category_code")
        ]
        verbose_name = _("事项分类")
        verbose_name_plural = _("事项分类")

    def __str__(self):
        return self.name


class MatterQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Officers by zone; zone staff change their department's matters and those they own or
        help with (1+1+N teams span departments); enterprise users see their enterprise's matters
        that are open to them (scheduling problems are internal)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        q = user_scope_q(user, action, department_path="department", policy=Matter.access_policy)
        if q is True:
            return self.all()
        for m in user.memberships_cached():
            if m.role == "zone_staff" and action == CHANGE:
                q |= Q(zone_id=m.zone_id, officer=user) | Q(
                    zone_id=m.zone_id,
                    pk__in=Matter.helpers.through.objects.filter(user=user).values("matter_id"),
                )
            elif m.role == "enterprise_user" and action in (VIEW, CHANGE):
                q |= Q(enterprise_id=m.enterprise_id, visible_to_enterprise=True)
        return self.filter(q)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def with_light(self, today: datetime.date):
        """Annotate `light_db` (green / yellow / red / done) as the database computes it, for
        counting and filtering; `Matter.light()` is the same rule in Python."""
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        return self.annotate(
            light_db=models.Case(
                models.When(status__in=DONE, then=models.Value(Light.DONE)),
                models.When(due_on__lt=today, then=models.Value(Light.RED)),
                models.When(due_on__lte=soon, then=models.Value(Light.YELLOW)),
                default=models.Value(Light.GREEN),
                output_field=models.CharField(),
            )
        )

    def light(self, light: str, today: datetime.date):
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        if light == Light.DONE:
            return self.filter(status__in=DONE)
        active = self.filter(status__in=ACTIVE)
        if light == Light.RED:
            return active.filter(due_on__lt=today)
        if light == Light.YELLOW:
            return active.filter(due_on__gte=today, due_on__lte=soon)
        return active.filter(due_on__gt=soon)


class Matter(ZoneScopedModel):
    number = models.CharField(_("编号"), max_length=20, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("详细情况"), blank=True)
    # The subject: an enterprise and/or an investment project.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    project = models.ForeignKey(
        "investment.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    # Where it came from: a statistics finding (data query), a meeting (scheduling problem).
    finding = models.OneToOneField(
        "statistics.Finding",
        verbose_name=_("审核发现"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter",
    )
    meeting = models.ForeignKey(
        "matters.Meeting",
        verbose_name=_("调度会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    working_group = models.ForeignKey(
        "matters.WorkingGroup",
        verbose_name=_("帮扶工作组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.PLATFORM
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_by_name = models.CharField(_("提出人"), max_length=150, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    # Who owns it: a department and an officer, with helpers (1+1+N agency teams).
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("协办人"), blank=True, related_name="+"
    )
    service_mode = models.CharField(
        _("服务方式"), max_length=20, choices=ServiceMode.choices, default=ServiceMode.REGULAR
    )
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    visible_to_enterprise = models.BooleanField(
        _("企业可见"), default=True, help_text=_("调度会问题等内部事项对企业不可见")
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    # Reminders already sent, so the daily job sends each one once.
    due_soon_notified_on = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = MatterQuerySet.as_manager()
    access_enterprise_path = "enterprise"
    access_department_path = "department"
    access_policy = {
        "platform_admin": {"view", "add", "change"},
        "province_viewer": {"view"},
        "zone_admin": {"view", "add", "change"},
        "zone_leader": {"view", "change"},  # leaders comment and press escalated matters
        "zone_staff": {"view", "add", "change"},
        "enterprise_user": {"view", "add", "change"},
    }

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="matter_unique_number")
        ]
        indexes = [
            models.Index(fields=["zone", "status", "due_on"]),
            models.Index(fields=["zone", "kind", "status"]),
            models.Index(fields=["zone", "department", "status"]),
            models.Index(fields=["enterprise", "status"]),
        ]
        verbose_name = _("事项")
        verbose_name_plural = _("事项")

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def light(self, today: datetime.date) -> str:
        if self.status in DONE:
            return Light.DONE
        if self.due_on < today:
            return Light.RED
        if self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            return Light.YELLOW
        return Light.GREEN


def attachment_path(instance, filename):
    """A random name on disk (the user's name is kept in `attachment_name`); files are served only
    through the access path, never from a public media URL."""
    return f"matters/{instance.zone_id}/{uuid.uuid4().hex}"


class MatterEvent(ZoneScopedModel):
    """One entry of a matter's timeline: a comment, a status change, an assignment, a due-date
    change with its reason, an attachment, an escalation, a rating."""

    class Type(models.TextChoices):
        CREATED = "created", _("提出")
        COMMENT = "comment", _("留言")
        STATUS = "status", _("状态变更")
        ASSIGN = "assign", _("分派")
        DUE = "due", _("调整期限")
        ATTACHMENT = "attachment", _("附件")
        ESCALATE = "escalate", _("升级督办")
        RATING = "rating", _("评价")
        REMINDER = "reminder", _("提醒")
        UPDATE = "update", _("修改")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("类型"), max_length=20, choices=Type.choices)
    time = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    text = models.TextField(_("内容"), blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    internal = models.BooleanField(_("仅内部可见"), default=False)
    attachment = models.FileField(_("附件"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("附件名"), max_length=200, blank=True)

    access_enterprise_path = "matter__enterprise"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["time", "id"]
        indexes = [models.Index(fields=["matter", "time"])]
        verbose_name = _("事项动态")
        verbose_name_plural = _("事项动态")

    def __str__(self):
        return f"{self.get_type_display()} {self.actor_name}"


# --- agency service (项目代办) --------------------------------------------------------------------


class ApprovalItem(ZoneScopedModel):
    """One approval on an agency case's checklist (施工许可), with its state and dates."""

    class State(models.TextChoices):
        PENDING = "pending", _("未启动")
        PREPARING = "preparing", _("材料准备")
        SUBMITTED = "submitted", _("已受理")
        APPROVED = "approved", _("已办结")
        RETURNED = "returned", _("退回补正")
        NOT_NEEDED = "not_needed", _("不涉及")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="approval_items")
    category = models.ForeignKey(
        Category, verbose_name=_("审批事项"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    approver = models.CharField(
        _("审批部门/经办人"), max_length=100, blank=True, help_text=_("1+1+N 中的审批人员")
    )
    submitted_on = models.DateField(_("受理日期"), null=True, blank=True)
    approved_on = models.DateField(_("办结日期"), null=True, blank=True)
    due_on = models.DateField(_("承诺办结日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access_enterprise_path = "matter__enterprise"
    access_department_path = "matter__department"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["matter", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "category"], name="approval_item_unique")
        ]
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")

    def __str__(self):
        return f"{self.category} · {self.get_state_display()}"


class Appointment(ZoneScopedModel):
    """An appointment of an agency case: by appointment, after hours or on site, with a date and
    a place."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="appointments")
    item = models.ForeignKey(
        ApprovalItem,
        verbose_name=_("审批事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by_name = models.CharField(_("预约人"), max_length=150, blank=True)
    is_cancelled = models.BooleanField(_("已取消"), default=False)

    access_enterprise_path = "matter__enterprise"
    access_department_path = "matter__department"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")

    def __str__(self):
        return f"{self.get_mode_display()} {self.starts_at:%Y-%m-%d %H:%M} {self.place}"


# --- scheduling meetings (重大项目调度会) ---------------------------------------------------------


class Meeting(ZoneScopedModel):
    title = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    chair = models.CharField(_("主持人"), max_length=50)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    projects = models.ManyToManyField(
        "investment.Project", verbose_name=_("调度项目"), blank=True, related_name="+"
    )
    summary = models.TextField(_("会议纪要"), blank=True)
    created_by_name = models.CharField(_("记录人"), max_length=150, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access_policy = OFFICERS_POLICY

    class Meta:
        ordering = ["zone", "-held_on", "-id"]
        indexes = [models.Index(fields=["zone", "held_on"])]
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


# --- help for enterprises (帮扶) -----------------------------------------------------------------


class WorkingGroup(ZoneScopedModel):
    """A support working group (帮扶工作组) with its members and the enterprises assigned to it."""

    name = models.CharField(_("工作组"), max_length=50)
    leader_name = models.CharField(_("组长"), max_length=50)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="+"
    )
    member_names = models.CharField(
        _("其他成员"), max_length=300, blank=True, help_text=_("没有平台账号的成员,逗号分隔")
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("包联企业"), blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    access_policy = OFFICERS_POLICY

    class Meta:
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="working_group_unique_name")
        ]
        verbose_name = _("帮扶工作组")
        verbose_name_plural = _("帮扶工作组")

    def __str__(self):
        return self.name


class LedgerEntry(ZoneScopedModel):
    """What the help ledgers share: the enterprise helped, the date, who recorded it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by_name = models.CharField(_("登记人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    access_policy = OFFICERS_POLICY

    class Meta:
        abstract = True


class Award(LedgerEntry):
    """An award or subsidy paid to an enterprise (奖补资金)."""

    policy = models.CharField(_("政策名称"), max_length=100)
    amount = models.DecimalField(_("金额(万元)"), **MONEY)
    paid_on = models.DateField(_("兑现日期"))

    class Meta:
        ordering = ["zone", "-paid_on", "-id"]
        indexes = [models.Index(fields=["zone", "paid_on"])]
        verbose_name = _("奖补兑现")
        verbose_name_plural = _("奖补兑现")

    def __str__(self):
        return f"{self.policy} {self.amount}"


class Loan(LedgerEntry):
    """A loan arranged for an enterprise (政银企对接): credit or a special guaranteed loan."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("信贷")
        GUARANTEED = "guaranteed", _("担保专项贷款")

    bank = models.CharField(_("银行"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("金额(万元)"), **MONEY)
    granted_on = models.DateField(_("放款日期"))

    class Meta:
        ordering = ["zone", "-granted_on", "-id"]
        indexes = [models.Index(fields=["zone", "granted_on"])]
        verbose_name = _("融资对接")
        verbose_name_plural = _("融资对接")

    def __str__(self):
        return f"{self.bank} {self.get_kind_display()} {self.amount}"


class JobFair(ZoneScopedModel):
    """A job fair (网络招聘会) and the positions each enterprise offered at it."""

    title = models.CharField(_("招聘会"), max_length=100)
    held_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    online = models.BooleanField(_("线上"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    access_policy = OFFICERS_POLICY

    class Meta:
        ordering = ["zone", "-held_on", "-id"]
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")

    def __str__(self):
        return self.title


class JobOffer(LedgerEntry):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="offers")
    positions = models.PositiveIntegerField(_("岗位数"), validators=[MinValueValidator(1)])
    jobs = models.CharField(_("招聘岗位"), max_length=200, blank=True)

    class Meta:
        ordering = ["fair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "enterprise"], name="job_offer_unique")
        ]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")

    def __str__(self):
        return f"{self.enterprise} {self.positions}"


class Resumption(ZoneScopedModel):
    """Work resumption (复工) of an above-scale enterprise or a key project; the rate on a day is
    the share of those tracked that had resumed by then."""

    class Subject(models.TextChoices):
        ENTERPRISE = "enterprise", _("规上企业")
        PROJECT = "project", _("重点项目")

    subject = models.CharField(_("对象"), max_length=20, choices=Subject.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "investment.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tracked_from = models.DateField(_("纳入跟踪日期"))
    resumed_on = models.DateField(_("复工日期"), null=True, blank=True)
    workers_back = models.PositiveIntegerField(_("返岗人数"), null=True, blank=True)
    workers_total = models.PositiveIntegerField(_("职工总数"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access_policy = OFFICERS_POLICY

    class Meta:
        ordering = ["zone", "subject", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject="enterprise", enterprise__isnull=False, project__isnull=True)
                    | Q(subject="project", project__isnull=False, enterprise__isnull=True)
                ),
                name="resumption_one_subject",
            ),
            models.UniqueConstraint(
                fields=["zone", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="resumption_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["zone", "project"],
                condition=Q(project__isnull=False),
                name="resumption_unique_project",
            ),
        ]
        verbose_name = _("复工复产")
        verbose_name_plural = _("复工复产")

    def __str__(self):
        return str(self.enterprise or self.project)


# --- notifications -----------------------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        """Everyone reads and marks only their own notifications."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Type(models.TextChoices):
        ASSIGNED = "assigned", _("新分派")
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")
        ESCALATED = "escalated", _("升级督办")
        COMMENT = "comment", _("新留言")
        RESOLVED = "resolved", _("已办结待评价")
        REOPENED = "reopened", _("重新办理")
        RATED = "rated", _("企业评价")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    matter = models.ForeignKey(
        Matter, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    type = models.CharField(_("类型"), max_length=20, choices=Type.choices)
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.text
