"""Innovation on the enterprise page (its certifications, IP, platforms, talents, cloud and a
link to its pre-assessment) and on the home page: the 科技创新局 officer's reminders to act on,
and the leader's key figures. Each starts from `restrict()` and returns None when there is
nothing for this user."""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import clock, workbench
from gaoxin.core.models import Membership
from gaoxin.core.models.access import VIEW

from . import reminders, summary
from .models import (
    Certification,
    CertKind,
    CertStatus,
    CloudAdoption,
    PatentKind,
    Platform,
    Talent,
    Target,
)
from .models import Patent as PatentModel

SHOWN = 5
OFFICER_DEPARTMENT = "科技创新局"
REMINDER_BADGES = {
    reminders.EXPIRING: gettext_lazy("证书临期"),
    reminders.REPORT_MISSING: gettext_lazy("年报未报"),
    reminders.AT_RISK: gettext_lazy("资格风险"),
}


def enterprise(request, enterprise) -> dict | None:
    """The enterprise's innovation records the user may see (一企一档)."""
    user, today = request.user, clock.today()
    certs = list(
        Certification.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise)
        .select_related("title")
        .order_by("-issued_on", "-year", "-pk")[:SHOWN]
    )
    for c in certs:
        c.valid_now = (
            c.kind == CertKind.HIGHTECH and c.status == CertStatus.CERTIFIED
            and c.issued_on is not None and c.issued_on <= today <= (c.expires_on or today)
        )  # fmt: skip
    patents = dict(
        PatentModel.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise, status="granted")
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    platforms = list(Platform.objects.restrict(user, VIEW).filter(enterprise=enterprise)[:SHOWN])
    talents = list(Talent.objects.restrict(user, VIEW).filter(enterprise=enterprise)[:SHOWN])
    cloud = list(CloudAdoption.objects.restrict(user, VIEW).filter(enterprise=enterprise))
    records = bool(certs or patents or platforms or talents or cloud)
    try:
        assessment_url = reverse("innovation:assessment", args=[enterprise.pk])
    except NoReverseMatch:
        assessment_url = ""
    if not records and not assessment_url:
        return None
    return {
        "certifications": certs,
        "patents": [
            {"label": str(k.label), "n": patents.get(k.value, 0)}
            for k in PatentKind
            if patents.get(k.value)
        ],
        "platforms": platforms,
        "talents": talents,
        "cloud": cloud,
        "records": records,
        "assessment_url": assessment_url,
    }


# -- home cards (core.workbench) ---------------------------------------------------------------


def is_innovation_officer(user, zone) -> bool:
    return Membership.objects.filter(
        user=user, zone=zone, department__name=OFFICER_DEPARTMENT
    ).exists()


def officer_card(request) -> dict | None:
    """For the 科技创新局's officers: the reminders to act on today, those to act on first."""
    zone = request.zone
    if zone is None or not is_innovation_officer(request.user, zone):
        return None
    found = reminders.for_zone(zone, clock.today())
    pipeline = reverse("innovation:pipeline")
    tasks = [
        workbench.Task(
            r.message,
            f"{pipeline}#reminder-{r.kind}-{r.target.pk}",
            tone=r.tone,
            badge=str(REMINDER_BADGES[r.kind]),
        )  # fmt: skip
        for r in found[:SHOWN]
    ]
    return workbench.card(
        _("高企培育提醒"), icon="bi-lightbulb", url=pipeline, tasks=tasks, count=len(found),
        empty=_("没有需要处理的高企提醒。"), key="innovation",
    )  # fmt: skip


def leader_card(request) -> dict | None:
    """For leaders: this year's key innovation figures, each opening the list behind it."""
    zone = request.zone
    if zone is None or not summary.can_read(request.user, zone):
        return None
    year = clock.today().year
    data = summary.summary(zone, year)
    target = Target.objects.filter(zone=zone, year=year).first()

    def goal(value):
        return _("目标 %(n)s") % {"n": value} if target else ""

    certs = reverse("innovation:certifications")
    figures = [
        workbench.KeyFigure(
            _("有效高企"), str(data["hightech"]["valid"]), url=f"{certs}?kind=hightech&valid=1"
        ),
        workbench.KeyFigure(
            _("今年新认定高企"), str(data["hightech"]["new"]),
            url=f"{certs}?kind=hightech&year={year}", note=goal(target and target.new_hightech),
        ),
        workbench.KeyFigure(
            _("今年发明专利授权"), str(data["patents"]["invention_granted"]),
            url=reverse("innovation:patents") + f"?kind=invention&year={year}",
            note=goal(target and target.invention_patents),
        ),
        workbench.KeyFigure(
            _("上云企业"), str(data["cloud"]["enterprises"]), url=reverse("innovation:cloud")
        ),
    ]  # fmt: skip
    return workbench.card(
        _("科技创新"), icon="bi-lightbulb", url=reverse("innovation:cockpit"), figures=figures,
        key="innovation-figures",
    )  # fmt: skip
