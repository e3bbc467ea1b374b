"""The registry of the zone's enterprises (一企一档)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core import clock
from gaoxin.core.codes import normalize_uscc, uscc_problem
from gaoxin.core.models import RestrictedQuerySet, SoftDeleted, Versioned, ZoneScopedModel


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Status(models.TextChoices):
    OPERATING = "operating", _("在营")
    SUSPENDED = "suspended", _("停产")
    MOVED_OUT = "moved_out", _("迁出")
    DEREGISTERED = "deregistered", _("注销")


class EnterpriseQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_deleted=False)


class Enterprise(Versioned, SoftDeleted, ZoneScopedModel):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    uscc_override_reason = models.CharField(
        _("校验例外理由"),
        max_length=200,
        blank=True,
        help_text=_("早期颁发的少数真实代码不符合校验规则;仅管理员可登记例外并说明理由"),
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本(万元)"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    industry = models.ForeignKey(
        "core.Industry",
        verbose_name=_("国民经济行业"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "class"},
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    scale = models.CharField(_("企业规模"), max_length=10, choices=Scale.choices, blank=True)
    above_scale = models.BooleanField(_("规上企业"), default=False)
    above_scale_since = models.DateField(_("入规日期"), null=True, blank=True)
    high_tech = models.BooleanField(_("高新技术企业"), default=False)
    status = models.CharField(
        _("经营状态"), max_length=15, choices=Status.choices, default=Status.OPERATING
    )
    status_since = models.DateField(_("状态日期"), null=True, blank=True)
    tags = models.ManyToManyField("core.Tag", verbose_name=_("产业链标签"), blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()
    access_enterprise_path = "pk"
    # Fields an enterprise user may edit on their own record; the rest is the zone's to keep.
    enterprise_editable = frozenset({"legal_representative", "address"})

    class Meta:
        # Within a zone (every page) this is the order of the index below; across zones the zones
        # come grouped (the API orders them by code).
        ordering = ["zone_id", "name", "id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(is_deleted=False), name="enterprise_active_uscc_unique"
            ),
        ]
        indexes = [
            # The registry's order within a zone (name, then id): a list's first page and its
            # capped count read this index, never the whole zone.
            models.Index(fields=["zone", "name", "id"], name="enterprise_zone_name_id"),
            models.Index(fields=["zone", "status"]),
            models.Index(fields=["zone", "industry"]),
            models.Index(fields=["zone", "uscc"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        self.uscc = normalize_uscc(self.uscc)
        self.name = " ".join((self.name or "").split())
        problem = uscc_problem(self.uscc)
        if problem and not self.uscc_override_reason.strip():
            errors["uscc"] = problem
        today = clock.today()
        if self.established_on and self.established_on > today:
            errors["established_on"] = _("成立日期不能晚于今天")
        if self.status_since and self.status_since > today:
            errors["status_since"] = _("状态日期不能晚于今天")
        if self.above_scale_since and not self.above_scale:
            errors["above_scale_since"] = _("非规上企业不应填写入规日期")
        if self.industry_id and len(self.industry_id) != 4:
            errors["industry"] = _("请选择 4 位的小类行业代码")
        if errors:
            raise ValidationError(errors)


class StatusChange(ZoneScopedModel):
    """The dated history of an enterprise's status (在营 / 停产 / 迁出 / 注销)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor_name = models.CharField(_("登记人"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        indexes = [models.Index(fields=["zone", "enterprise", "-on"])]


class Contact(ZoneScopedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        indexes = [models.Index(fields=["zone", "enterprise"])]

    def __str__(self):
        return self.name


class EnterpriseNameGram(models.Model):
    """The search index of enterprise names (enterprises/search.py): every 2-character piece
    of the folded name, every 2-letter piece of its pinyin initials (marked) and the whole
    initials (marked). Kept in step by the services, the importer and the demo; rebuilt by
    `gaoxin search_index`. Not a record of its own: no audit, no restrict()."""

    zone = models.ForeignKey(
        "core.Zone", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    gram = models.CharField(max_length=101)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["zone", "gram", "enterprise"], name="enterprise_gram_lookup"),
            # Covering: an enterprise's own rows (its initials) without reading the table.
            models.Index(fields=["zone", "enterprise", "gram"], name="enterprise_gram_own"),
        ]

    def __str__(self):
        return self.gram
