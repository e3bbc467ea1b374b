"""The vocabulary of matters: kinds, statuses, the traffic light, priorities, channels, service
modes, each kind's service level and number prefix. (Who may read and keep what is core's named
policies: categories follow ZONE_SETTINGS_POLICY, the working groups, meetings and help ledgers
ZONE_FIGURES_POLICY, the matters their own, `Matter.access_policy`.)"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
