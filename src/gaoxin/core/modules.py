"""The module contract: each domain app declares itself once, in its AppConfig, and the platform
is assembled from the installed modules (docs/architecture.md, docs/adding-a-module.md).

A module subclasses `Module` instead of `AppConfig` and fills in what it has: its menu entry and
the roles that see it, its URL prefix (its `urls` module by convention), its API routers, its
import targets, its demo step and the modules it needs first, its daily job, its home-page cards
and its panels on the enterprise and project pages. Everything is given as dotted paths, imported
when first used, so that declaring a module imports none of its code (nor core any module's).

Core reads the declarations through `installed()`; it never names a module.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

from .roles import PARTNER

EVERYONE = None  # a menu item, card or panel every signed-in role sees


@dataclass(frozen=True)
class MenuItem:
    """An entry in the top menu. roles: the roles that see it (None: everyone signed in).
    url_for: a different page for some roles, e.g. {"enterprise_user": "statistics:my"}."""

    label: str
    icon: str
    url_name: str
    roles: frozenset | None = EVERYONE
    url_for: dict = field(default_factory=dict)
    order: int = 100

    def url_name_for(self, roles: set) -> str | None:
        """The page this entry opens for someone with these roles, or None when hidden."""
        if self.roles is not None and not roles & self.roles:
            return None
        if len(roles) == 1 and next(iter(roles)) in self.url_for:
            return self.url_for[next(iter(roles))]
        return self.url_name


@dataclass(frozen=True)
class Block:
    """A card on the home page or a panel on an object's page.

    context: dotted path of `f(request)` for cards, `f(request, obj)` for panels, returning the
    template's context (a dict), or None when there is nothing to show to this user.
    """

    template: str
    context: str
    roles: frozenset | None = EVERYONE
    order: int = 100

    def shown_to(self, roles: set) -> bool:
        return self.roles is None or bool(roles & self.roles)

    def render_context(self, *args):
        return import_string(self.context)(*args)


class Module(AppConfig):
    """A domain module of the platform. Subclass it in `<app>/apps.py` as `modules.Module` (so
    Django sees one AppConfig there) and declare what you have; leave out what you do not."""

    # The top menu entry (MenuItem) or None.
    menu: MenuItem | None = None
    # The other modules (besides enterprises, which every module stands on) whose code this one
    # imports, each through a hook named in docs/architecture.md; `gaoxin floors` forbids the rest.
    uses: tuple[str, ...] = ()
    # Pages under this prefix ("investment/"), from `<app>.urls` with app_name = label.
    url_prefix: str | None = None
    # API routers under /api/v1: (prefix, dotted path of a ninja Router).
    api_routers: tuple[tuple[str, str], ...] = ()
    # `gaoxin import/export KIND`: kind → dotted path of a core.spreadsheets.registry.Target.
    import_targets: dict[str, str] = {}
    # The demo step (dotted path of `f(demo)`) and the module labels whose steps run first.
    demo_step: str | None = None
    demo_after: tuple[str, ...] = ()
    # The daily job (dotted path of `f(today, stdout) -> str` returning a one-line summary).
    daily_job: str | None = None
    # Cards on the home page and panels on the enterprise's and the project's pages.
    home_cards: tuple[Block, ...] = ()
    enterprise_panels: tuple[Block, ...] = ()
    project_panels: tuple[Block, ...] = ()
    # Whether an outside organisation's partner account (core.roles.PARTNER) may reach this
    # module's pages and API; elsewhere it gets 404 (core.middleware.PartnerDoorMiddleware).
    partner_access: bool = False

    @property
    def urls(self) -> str:
        return f"{self.name}.urls"


@cache
def installed() -> tuple[Module, ...]:
    """The installed modules, in INSTALLED_APPS order (the order the menu shows them in)."""
    return tuple(c for c in apps.get_app_configs() if isinstance(c, Module))


def get(label: str) -> Module | None:
    return next((m for m in installed() if m.label == label), None)


def menu_for(roles: set) -> list[tuple[str, MenuItem, str]]:
    """(module label, item, url name) for every entry these roles see, in menu order."""
    entries = []
    partner_only = roles == {PARTNER}  # a partner's door opens only these modules (core.partners)
    for module in installed():
        if partner_only and not module.partner_access:
            continue
        item = module.menu
        url_name = item.url_name_for(roles) if item else None
        if url_name:
            entries.append((module.label, item, url_name))
    return sorted(entries, key=lambda e: e[1].order)


def blocks(kind: str, roles: set) -> list[Block]:
    """The home cards ("home_cards") or panels ("enterprise_panels", "project_panels") shown to
    these roles, in order."""
    found = [b for m in installed() for b in getattr(m, kind) if b.shown_to(roles)]
    return sorted(found, key=lambda b: b.order)


@dataclass(frozen=True)
class Shown:
    template: str
    context: dict


def shown(kind: str, request, *args) -> list[Shown]:
    """The blocks of `kind` this request's user sees, each with its context: cards get
    (request), panels (request, obj). A block whose context is None has nothing to show."""
    found = []
    for block in blocks(kind, request.user.roles()):
        context = block.render_context(request, *args)
        if context is not None:
            found.append(Shown(block.template, context))
    return found


def import_targets() -> dict[str, str]:
    return {kind: path for m in installed() for kind, path in m.import_targets.items()}


def in_dependency_order(modules, after=lambda m: m.demo_after) -> list:
    """Modules ordered so that each comes after those it names (a stable topological sort).
    Raises ValueError on an unknown name or a cycle."""
    by_label = {m.label: m for m in modules}
    ordered, done, visiting = [], set(), set()

    def visit(m):
        if m.label in done:
            return
        if m.label in visiting:
            raise ValueError(f"module dependency cycle through {m.label}")
        visiting.add(m.label)
        for label in after(m):
            if label not in by_label:
                raise ValueError(f"{m.label} depends on {label}, which is not installed")
            visit(by_label[label])
        visiting.discard(m.label)
        done.add(m.label)
        ordered.append(m)

    for m in modules:
        visit(m)
    return ordered
