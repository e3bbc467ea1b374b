"""What every investment page does with a service: core's `ServiceCall`, as these pages answer."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from gaoxin.core.errors import Forbidden
from gaoxin.core.pages import ServiceCall


class PageCall(ServiceCall):
    """`ServiceCall` as the investment pages answer: a refused action (Forbidden) and a row the
    service does not find for this user (DoesNotExist) answer 404, as for those the page is not
    open to; `renames` puts an error the service names by its field under the form's field."""

    def __init__(self, form=None, renames=None):
        super().__init__(form)
        self.renames = renames or {}

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, Forbidden | ObjectDoesNotExist):
            raise Http404 from None
        if isinstance(exc, ValidationError) and self.renames and hasattr(exc, "error_dict"):
            exc = ValidationError({self.renames.get(f, f): m for f, m in exc.message_dict.items()})
        return super().__exit__(kind, exc, tb)

    def messages(self) -> list[str]:
        """The error as the lines a page shows (one per message of a ValidationError)."""
        if isinstance(self.error, ValidationError):
            return list(self.error.messages)
        return [str(self.error)] if self.error is not None else []
