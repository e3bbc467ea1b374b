"""Errors that services raise and every front door (page, API, import, CLI) answers the same way."""

from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """Someone saved the record since this edit began (答 409; nothing is lost or overwritten)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(
            _("该记录已被他人修改(当前版本 %(v)s),请刷新后重新编辑。") % {"v": current_version}
        )


class Forbidden(Exception):
    """The actor may not do this; front doors answer it like a missing object."""
