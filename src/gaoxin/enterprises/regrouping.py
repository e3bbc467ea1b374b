"""Figures that other modules keep grouped by an enterprise's industry, scale, above-scale flag
and tags (the statistics module's rollups) move when those change. A module registers a hook in
its AppConfig.ready(); the registry's writes (the edit, the import) call the hooks around every
write that may change the grouping (docs/architecture.md, "Hooks").

A hook is `hook(zone_id, enterprise_ids) -> apply`: called in the writer's transaction before
the write (it takes what the enterprises contribute under their old grouping), `apply()` after
the write (it puts that back under the new one)."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

# The enterprise fields figures are grouped by.
GROUPING = frozenset({"industry", "scale", "above_scale", "tags"})

_hooks: list[Callable] = []


def register(hook: Callable) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


@contextmanager
def regrouping(zone_id: int, enterprise_ids: Iterable[int]):
    """Around a write that may change these enterprises' grouping (nothing when there are
    none, or no module keeps grouped figures)."""
    ids = sorted(set(enterprise_ids))
    pending = [hook(zone_id, ids) for hook in _hooks] if ids else []
    yield
    for apply in pending:
        apply()
