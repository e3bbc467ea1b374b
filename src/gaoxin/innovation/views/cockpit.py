"""The innovation cockpit (科技创新驾驶舱, /innovation/): a year's figures with ECharts charts,
every number linking to the list behind it, exported to .xlsx; the cultivation pipeline (培育库)
with the year's targets, progress and the reminders; the targets page for the zone's admins.

Readers: officers, leaders, admins and the province (the zone chosen with the zone switcher);
enterprise users get 404. Targets are set by the zone's admins (services.save_target).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit, clock
from gaoxin.core.forms import style_form
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import ServiceCall, zone_for
from gaoxin.core.spreadsheets import XLSX

from .. import reminders, summary
from ..cockpit_export import write_cockpit
from ..models import Target
from ..services import save_target


def link(name: str, **params) -> str:
    """The list page `innovation:<name>` filtered by `params` ("" when the list is missing)."""
    try:
        url = reverse(f"innovation:{name}")
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def selected_year(request) -> tuple[int, str]:
    """The year asked for (default: this year) and the error message when it is not one."""
    raw = request.GET.get("year", "")
    if not raw:
        return clock.today().year, ""
    try:
        return summary.check_year(raw.strip()), ""
    except ValueError as error:
        return clock.today().year, str(error)


def years() -> list[int]:
    this = clock.today().year
    return list(range(this, this - summary.TREND_YEARS - 2, -1))


def _links(data: dict) -> dict:
    year, current = data["year"], data["year"] == clock.today().year
    valid = {"kind": "hightech", "valid": "1"} if current else {"kind": "hightech"}
    return {
        "valid": link("certifications", **valid),
        "new": link("certifications", kind="hightech", year=year),
        "platforms": link("platforms", year=year),
        "platforms_provincial": link("platforms", year=year, level="provincial_plus"),
        "inventions": link("patents", kind="invention", year=year),
        "talents": link("talents", year=year, level="provincial_plus"),
        "cloud": link("cloud"),
        "reserve": link("certifications", kind="hightech", status="cultivating"),
        "applied": link("certifications", kind="hightech", status="applied"),
        "certified": link("certifications", kind="hightech", valid="1"),
        "renewal": reverse("innovation:pipeline") + "#renewal",
    }


def _decorate(data: dict) -> None:
    """Each row's links to its list."""
    year = data["year"]
    for row in data["by_field"]:
        row["valid_url"] = link("certifications", kind="hightech", valid="1", field=row["field"])
        row["new_url"] = link("certifications", kind="hightech", year=year, field=row["field"])
    for row in data["platforms"]:
        row["new_url"] = link("platforms", year=year, level=row["level"])
        row["total_url"] = link("platforms", level=row["level"])
    for row in data["talents"]:
        row["url"] = link("talents", year=year, level=row["level"])
    for row in data["cloud"]:
        row["url"] = link("cloud", level=row["level"])
    for row in data["patents"]["trend"]:
        row["url"] = link("patents", kind="invention", year=row["year"])
    for row in data["patents"]["granted_by_kind"]:
        row["url"] = link("patents", kind=row["kind"], year=year)


def _bar(labels, series, *, horizontal=False) -> dict:
    category = {"type": "category", "data": labels}
    value = {"type": "value", "minInterval": 1}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 110 if horizontal else 40, "right": 20, "top": 10, "bottom": 50},
        "xAxis": value if horizontal else category,
        "yAxis": {**category, "inverse": True} if horizontal else value,
        "series": [{"name": name, "type": "bar", "data": data} for name, data in series],
    }


def charts(data: dict) -> dict:
    """ECharts options (drawn by core/gaoxin.js from json_script tags)."""
    fields = data["by_field"]
    trend = data["patents"]["trend"]
    pipeline = data["pipeline"]
    tiers = [(_("培育库"), "reserve"), (_("已申报"), "applied"), (_("有效高企"), "certified"),
             (_("待重新认定"), "renewal")]  # fmt: skip
    return {
        "chart-fields": _bar(
            [r["label"] for r in fields],
            [
                (_("有效"), [r["valid"] for r in fields]),
                (_("当年新认定"), [r["new"] for r in fields]),
            ],
            horizontal=True,
        ),
        "chart-patents": _bar(
            [str(r["year"]) for r in trend], [(_("发明专利授权"), [r["granted"] for r in trend])]
        ),
        "chart-pipeline": {
            "tooltip": {"trigger": "item"},
            "series": [
                {
                    "type": "funnel",
                    "sort": "none",
                    "left": "10%",
                    "width": "80%",
                    "label": {"show": True, "position": "inside"},
                    "data": [{"name": label, "value": pipeline[key]} for label, key in tiers],
                }
            ],
        },  # fmt: skip
        "chart-platforms": _bar(
            [r["label"] for r in data["platforms"]],
            [
                (_("累计"), [r["total"] for r in data["platforms"]]),
                (_("当年新增"), [r["new"] for r in data["platforms"]]),
            ],
        ),  # fmt: skip
    }


@login_required
def cockpit(request):
    zone = zone_for(request, Target, VIEW)
    year, error = selected_year(request)
    data = summary.cockpit(zone, year)
    _decorate(data)
    context = {
        **data,
        "zone": zone,
        "nav": "cockpit",
        "error": error,
        "years": years(),
        "links": _links(data),
        "charts": charts(data),
        "progress": summary.progress(data["target"], data["summary"]),
        "export_url": reverse("innovation:cockpit_export") + f"?year={year}",
    }
    return render(request, "innovation/cockpit.html", context, status=422 if error else 200)


@login_required
def cockpit_export(request):
    zone = zone_for(request, Target, VIEW)
    year, error = selected_year(request)
    if error:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    data = summary.cockpit(zone, year)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=innovation-{zone.code}-{year}.xlsx"
    write_cockpit(zone, data, response)
    audit.record(
        request.user, AuditRecord.Action.EXPORT, zone=zone, repr_=_("科技创新驾驶舱导出"),
        message=_("导出科技创新驾驶舱:%(y)s 年") % {"y": year},
    )  # fmt: skip
    return response


@login_required
def pipeline(request):
    zone = zone_for(request, Target, VIEW)
    year, error = selected_year(request)
    today = clock.today()
    day = summary.reference_day(year)
    figures = summary.summary(zone, year)
    target = Target.objects.filter(zone=zone, year=year).first()
    renewal = (
        summary.valid_on(zone, day)
        .filter(expires_on__lte=summary.renewal_until(day))
        .select_related("enterprise")
        .order_by("expires_on", "pk")
    )
    context = {
        "zone": zone,
        "nav": "pipeline",
        "year": year,
        "error": error,
        "years": years(),
        "day": day,
        "tiers": summary.pipeline(zone, day),
        "links": _links({"year": year}),
        "target": target,
        "progress": summary.progress(target, figures),
        "reserve_target": target.reserve if target else None,
        "renewal": renewal,
        "reminders": reminders.for_zone(zone, today),
        "can_set_targets": can_in_zone(request.user, Target, zone, CHANGE),
    }
    return render(request, "innovation/pipeline.html", context, status=422 if error else 200)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"))
    new_hightech = forms.IntegerField(label=gettext_lazy("新认定高新技术企业"))
    reserve = forms.IntegerField(label=gettext_lazy("入库培育企业"))
    invention_patents = forms.IntegerField(label=gettext_lazy("发明专利授权"))
    provincial_platforms = forms.IntegerField(label=gettext_lazy("新增省级以上平台"))
    provincial_talents = forms.IntegerField(label=gettext_lazy("新增省级以上人才"))
    cloud_enterprises = forms.IntegerField(label=gettext_lazy("上云企业"))
    population = forms.IntegerField(label=gettext_lazy("常住人口"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    FIGURES = ("new_hightech", "reserve", "invention_patents", "provincial_platforms",
               "provincial_talents", "cloud_enterprises", "population")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year", *self.FIGURES):
            self.fields[name].widget.attrs["max"] = 99999999
        style_form(self)


@login_required
def targets(request):
    zone = zone_for(request, Target, CHANGE)
    rows = Target.objects.filter(zone=zone).order_by("-year")
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            call = ServiceCall(form)
            with call:
                save_target(
                    request.user, zone, year=d["year"], version=d["version"],
                    **{k: d[k] for k in TargetForm.FIGURES},
                )  # fmt: skip
            if call.ok:
                return redirect(reverse("innovation:targets") + f"?year={d['year']}")
            status = call.status
        else:
            status = 422
    else:
        year, _error = selected_year(request)
        current = rows.filter(year=year).first()
        initial = {"year": year}
        if current is not None:
            initial.update({k: getattr(current, k) for k in TargetForm.FIGURES})
            initial["version"] = current.version
        form = TargetForm(initial=initial)
    context = {"zone": zone, "nav": "pipeline", "form": form, "rows": rows}
    return render(request, "innovation/targets.html", context, status=status)


urlpatterns = [
    path("", cockpit, name="cockpit"),
    path("cockpit/export/", cockpit_export, name="cockpit_export"),
    path("pipeline/", pipeline, name="pipeline"),
    path("targets/", targets, name="targets"),
]
