"""Errors that services raise and every front door (page, API, import, CLI) answers the same way."""

from django.http import Http404
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


class NotFound(Http404):
    """The object does not exist or the actor may not see it: every door answers 404, the same
    for both, so an error never tells that something out of scope exists (pages as Http404)."""
