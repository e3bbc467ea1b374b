"""What statistics provides to other modules through their named seams.

- investment delivery (`gaoxin.investment.delivery.register_figures_provider`): an investor
  enterprise's annual output, tax and jobs, to set against what it promised at signing.

`register()` is called once from the statistics app's `ready()`.
"""

from decimal import Decimal

from .models import ReturnValue

# the delivery seam's key → the return indicator it reads
ANNUAL_FIGURES = {"output": "output_value", "tax": "industrial_tax", "jobs": "employees"}


def annual_figures(enterprise, year: int) -> dict | None:
    """{"output": 万元, "tax": 万元, "jobs": 人} from the enterprise's accepted returns of `year`:
    each indicator's December value (cumulative, so the whole year), or its latest reporting
    month of that year when December is not in yet; None without any accepted value. One query."""
    rows = (
        ReturnValue.objects.filter(
            enterprise_id=enterprise.pk,
            period__gte=year * 100 + 1,
            period__lte=year * 100 + 12,
            indicator__code__in=ANNUAL_FIGURES.values(),
        )
        .order_by("-period")
        .values_list("indicator__code", "value")
    )
    latest: dict[str, Decimal] = {}
    for code, value in rows:
        latest.setdefault(code, value)
    if not latest:
        return None
    out = {key: latest.get(code) for key, code in ANNUAL_FIGURES.items()}
    if out["jobs"] is not None:
        out["jobs"] = int(out["jobs"])
    return out


def register() -> None:
    from gaoxin.investment.delivery import register_figures_provider

    register_figures_provider(annual_figures)
