"""National code lists: GB/T 4754-2017 industries and GB/T 2260 divisions (loaded from CSV)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """国民经济行业分类 GB/T 4754-2017: 门类 → 大类 → 中类 → 小类."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    section = models.CharField(_("门类"), max_length=1, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self):
        return f"{self.code} {self.name}"


class Division(models.Model):
    """行政区划 GB/T 2260 (county level and above)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"
