"""The kinds of records `gaoxin import KIND FILE` and `gaoxin export KIND FILE` handle, and what
those commands share (who acts, in which zone, the progress bar).

A module makes its records importable by naming a `Target` it defines in its declaration
(`import_targets` in its AppConfig, core.modules); core imports it only when that kind is used.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .. import modules
from ..roles import PLATFORM_ADMIN
from .result import stage_label


@dataclass(frozen=True)
class Target:
    """import_file(actor, zone, path, *, update_existing, progress, **options) -> ImportResult;
    export_file(actor, zone, path) -> number of rows written; it audits the export itself.
    options: the extra command-line options import_file takes by keyword (e.g. "period")."""

    label: str
    import_file: Callable
    export_file: Callable | None = None
    options: tuple[str, ...] = ()


def kinds() -> list[str]:
    return sorted(modules.import_targets())


def get_target(kind: str) -> Target:
    targets = modules.import_targets()
    if kind not in targets:
        raise CommandError(
            _("未知的数据类型 %(k)s,可选:%(all)s") % {"k": kind, "all": ", ".join(kinds())}
        )
    return import_string(targets[kind])


def resolve_zone(code: str):
    from gaoxin.core.models import Zone

    zone = Zone.objects.filter(code=code).first()
    if zone is None:
        known = ", ".join(Zone.objects.values_list("code", flat=True)) or _("无")
        raise CommandError(_("园区代码 %(c)s 不存在(已有:%(k)s)") % {"c": code, "k": known})
    return zone


def resolve_actor(username: str | None):
    """The named user, or by default the first platform administrator."""
    from gaoxin.core.models import User

    users = User.objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户 %(u)s 不存在或已停用") % {"u": username})
        return user
    user = users.filter(memberships__role=PLATFORM_ADMIN).order_by("pk").first()
    if user is None:
        raise CommandError(_("没有可用的平台管理员账号,请用 --user 指定操作人"))
    return user


class ProgressBar:
    """A tqdm bar per stage (读取 / 校验 / 写入); silent when the stream is not a terminal."""

    def __init__(self, stream):
        self.stream, self.stage, self.bar = stream, None, None

    def __call__(self, done: int, total: int, stage: str = "read") -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total, desc=str(stage_label(stage)), unit=_("行"), file=self.stream,
                disable=None, dynamic_ncols=True,
            )  # fmt: skip
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
