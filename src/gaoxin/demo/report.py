"""The demo accounts table (账号 / 角色 / 范围 / 初始密码), aligned for a terminal."""

import unicodedata

from gaoxin.core.models import Membership, User

from .plan import ACCOUNTS, PASSWORD

HEADER = ("账号", "姓名", "角色", "范围", "初始密码")


def scope(membership: Membership) -> str:
    if membership.enterprise_id:
        return membership.enterprise.name
    if membership.department_id:
        return f"{membership.zone} · {membership.department}"
    if membership.zone_id:
        return str(membership.zone)
    if membership.province_id:
        return membership.province.name
    return "全平台"


def account_rows(pairs) -> list[tuple[str, ...]]:
    """One row per (user, membership) pair."""
    return [
        (user.username, user.full_name, m.get_role_display(), scope(m), PASSWORD)
        for user, m in pairs
    ]


def existing_accounts() -> list[tuple[User, Membership]]:
    """The demo accounts still in the database, in the plan's order."""
    order = {a.username: i for i, a in enumerate(ACCOUNTS)}
    memberships = Membership.objects.filter(user__username__in=order).select_related(
        "user", "zone", "province", "department", "enterprise"
    )
    pairs = [(m.user, m) for m in memberships]
    return sorted(pairs, key=lambda pair: (order[pair[0].username], pair[1].pk))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows) -> str:
    rows = [HEADER, *rows]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
