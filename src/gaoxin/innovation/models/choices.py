"""The vocabulary of innovation: the 8 supported technical fields, certification kinds and
statuses, patent kinds and states, platform kinds, levels (DOMAIN.md, "Innovation")."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 4, "validators": [MinValueValidator(0)]}
HIGHTECH_VALID_YEARS = 3  # a high-tech certificate holds three years from its issue date


class TechField(models.TextChoices):
    """The eight fields high technology is supported in (国家重点支持的高新技术领域)."""

    ELECTRONICS = "electronics", _("电子信息")
    BIOMEDICINE = "biomedicine", _("生物与新医药")
    AEROSPACE = "aerospace", _("航空航天")
    MATERIALS = "materials", _("新材料")
    SERVICES = "services", _("高技术服务")
    ENERGY = "energy", _("新能源与节能")
    ENVIRONMENT = "environment", _("资源与环境")
    MANUFACTURING = "manufacturing", _("先进制造与自动化")


class CertKind(models.TextChoices):
    HIGHTECH = "hightech", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    TITLE = "title", _("其他称号")


class CertStatus(models.TextChoices):
    """Also the tiers of the cultivation pipeline (高企培育库): reserve, applied, certified."""

    CULTIVATING = "cultivating", _("培育中")
    APPLIED = "applied", _("已申报")
    CERTIFIED = "certified", _("已认定")
    EXPIRED = "expired", _("已到期")
    REVOKED = "revoked", _("已撤销")


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("发明")
    UTILITY = "utility", _("实用新型")
    DESIGN = "design", _("外观设计")
    PCT_INVENTION = "pct_invention", _("PCT 发明")
    PCT_UTILITY = "pct_utility", _("PCT 实用新型")


# The kind digit of an application number (DOMAIN.md, "Chinese patent application numbers").
PATENT_KIND_DIGITS = {
    "1": PatentKind.INVENTION,
    "2": PatentKind.UTILITY,
    "3": PatentKind.DESIGN,
    "8": PatentKind.PCT_INVENTION,
    "9": PatentKind.PCT_UTILITY,
}
# Class I IP (I类知识产权) among patents; utility models and designs are Class II.
CLASS_ONE_PATENTS = (PatentKind.INVENTION, PatentKind.PCT_INVENTION)


class PatentStatus(models.TextChoices):
    PENDING = "pending", _("审查中")
    GRANTED = "granted", _("有效(已授权)")
    REJECTED = "rejected", _("驳回")
    WITHDRAWN = "withdrawn", _("撤回")
    LAPSED = "lapsed", _("失效")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")


PROVINCIAL_PLUS = (Level.NATIONAL, Level.PROVINCIAL)


class PlatformKind(models.TextChoices):
    KEY_LAB = "key_lab", _("重点实验室")
    ENGINEERING_CENTER = "engineering_center", _("工程技术研究中心")
    ENTERPRISE_CENTER = "enterprise_center", _("企业技术中心")
    NEW_RD_INSTITUTE = "new_rd_institute", _("新型研发机构")
    ACADEMICIAN = "academician", _("院士工作站")
    POSTDOCTORAL = "postdoctoral", _("博士后工作站")
    OTHER = "other", _("其他")


class CloudLevel(models.TextChoices):
    BASIC = "basic", _("基础上云")
    PLATFORM = "platform", _("平台上云")
    DEEP = "deep", _("深度用云")


class Source(models.TextChoices):
    ENTERED = "entered", _("录入")
    IMPORTED = "imported", _("导入")
