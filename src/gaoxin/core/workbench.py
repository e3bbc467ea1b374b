"""Each person's workbench (工作台): the home page is built from the installed modules' cards
(`home_cards` in their declarations, core.modules), each shown to the roles that work with it.

A module's card function `f(request)` returns `card(...)` (or None when the person has nothing
there), and the one template `core/_workbench_card.html` draws every card alike: a title that
opens the module's full list, the key figures with their growth, then the tasks, red first.
Nothing here knows a module.
"""

from dataclasses import dataclass
from decimal import Decimal

# A task's tone, most urgent first: the order tasks are shown in.
TONES = ("danger", "warning", "info", "secondary", "success")
CARD_TEMPLATE = "core/_workbench_card.html"


@dataclass(frozen=True)
class Task:
    """A line on a card: what to do, where to do it, and why it is urgent."""

    text: str
    url: str
    note: str = ""
    tone: str = "secondary"
    badge: str = ""

    def __post_init__(self):
        if self.tone not in TONES:
            raise ValueError(f"unknown tone {self.tone!r}; one of {TONES}")


@dataclass(frozen=True)
class KeyFigure:
    """A figure on a card, its growth on the same period a year earlier (percent), and the page
    with what is behind it."""

    label: str
    value: str
    url: str = ""
    growth: Decimal | None = None
    note: str = ""
    tone: str = ""


def card(
    title,
    *,
    icon: str = "bi-list-check",
    url: str = "",
    tasks=(),
    figures=(),
    count: int | None = None,
    empty: str = "",
    key: str = "",
) -> dict:
    """A card's context. tasks are shown red first (then in the order given); count: how many
    there are in all when the card shows only the first few; empty: what to say when there is
    nothing to do (a card without it and without tasks or figures is not shown)."""
    ordered = sorted(tasks, key=lambda t: TONES.index(t.tone))
    return {
        "title": title,
        "icon": icon,
        "url": url,
        "tasks": ordered,
        "figures": list(figures),
        "count": len(ordered) if count is None else count,
        "more": (count or 0) > len(ordered),
        "empty": empty,
        "key": key,
    }


def growth_tone(growth: Decimal | None) -> str:
    if growth is None:
        return "secondary"
    return "success" if growth >= 0 else "danger"
