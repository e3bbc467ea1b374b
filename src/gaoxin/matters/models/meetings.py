"""Scheduling meetings (重大项目调度会); the problems raised are matters (`Matter.meeting`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel
from gaoxin.core.models.access import ZONE_FIGURES_POLICY


class Meeting(Versioned, ZoneScopedModel):
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

    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "-held_on", "-id"]
        indexes = [models.Index(fields=["zone", "held_on"])]
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"
