"""Help for enterprises (帮扶): support working groups and the help ledgers (awards, loans, job
fairs and their offers, work resumption)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel
from gaoxin.core.models.access import VIEW, ZONE_FIGURES_POLICY
from gaoxin.core.roles import ENTERPRISE_USER

from .choices import MONEY


class WorkingGroup(Versioned, ZoneScopedModel):
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

    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "name"]
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

    # Officers keep the ledgers; an enterprise reads its own entries (一企一档), nobody else's.
    access_policy = {**ZONE_FIGURES_POLICY, ENTERPRISE_USER: {VIEW}}
    access_enterprise_path = "enterprise"

    class Meta:
        abstract = True


class Award(LedgerEntry):
    """An award or subsidy paid to an enterprise (奖补资金)."""

    policy = models.CharField(_("政策名称"), max_length=100)
    amount = models.DecimalField(_("金额(万元)"), **MONEY)
    paid_on = models.DateField(_("兑现日期"))

    class Meta:
        ordering = ["zone_id", "-paid_on", "-id"]
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
        ordering = ["zone_id", "-granted_on", "-id"]
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

    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "-held_on", "-id"]
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


class Resumption(Versioned, ZoneScopedModel):
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

    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "subject", "id"]
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
