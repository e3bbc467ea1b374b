"""What every module's pages share: the zone a request works in, and running a service call for
a page (its errors onto the form, the right status, the typed input kept).

    zone = zone_for(request, Model, CHANGE)       # 404 unless the user may change Model there
    call = ServiceCall(form)
    with call:
        services.update_thing(request.user, thing, form.changes(), version=...)
    if call.ok:
        return redirect(...)
    return render(request, "thing/form.html", {"form": form}, status=call.status)

A service's ValidationError goes next to the fields it names (422); StaleVersion above the form
(409, what was typed stays in the form); Forbidden above the form with its reason (403: the user
sees the object but may not do this); NotFound (an Http404) answers 404 like a missing page.
"""

from functools import partial

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from .errors import Forbidden, StaleVersion
from .forms import add_service_errors
from .models.access import VIEW, can_in_zone


def zone_for(request, model=None, action: str = VIEW):
    """The zone this request works in (the user's, or the one a province or platform user has
    switched to); 404 when there is none, or when `model` is given and the user may not
    `action` it across the zone."""
    zone = getattr(request, "zone", None)
    if zone is None:
        raise Http404(_("未找到园区"))
    if model is not None and not can_in_zone(request.user, model, zone, action):
        raise Http404(_("未找到该页面"))
    return zone


class ServiceCall:
    """A context manager around one service call made for a page; see the module docstring.
    status is None after success, else the HTTP status the page should answer with.

    refused: 403 shows a refused action's reason above the form; 404 answers it like a page the
    user cannot open (pages that show no reason). A row the service cannot find for this user
    (DoesNotExist, NotFound) is always a 404. renames: the service's field name → the form's."""

    def __init__(self, form=None, renames=None, *, refused: int = 403):
        self.form = form
        self.renames = renames or {}
        self.refused = refused
        self.status = None
        self.error = None

    @property
    def ok(self) -> bool:
        return self.status is None

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, ObjectDoesNotExist) or (
            isinstance(exc, Forbidden) and self.refused == 404
        ):
            raise Http404 from None
        if isinstance(exc, ValidationError) and self.renames and hasattr(exc, "error_dict"):
            exc = ValidationError({self.renames.get(f, f): m for f, m in exc.message_dict.items()})
        if isinstance(exc, StaleVersion):
            self.status = 409
        elif isinstance(exc, ValidationError):
            self.status = 422
        elif isinstance(exc, Forbidden):
            self.status = 403
        else:
            return False  # not a service's answer: let it propagate
        self.error = exc
        if self.form is not None:
            if isinstance(exc, ValidationError):
                add_service_errors(self.form, exc)
            else:
                self.form.add_error(None, str(exc))
        return True

    def messages(self) -> list[str]:
        """The error as the lines a page flashes (one per message of a ValidationError)."""
        if isinstance(self.error, ValidationError):
            return list(self.error.messages)
        return [str(self.error)] if self.error is not None else []

    def message(self) -> str:
        """The error as one line."""
        return ";".join(self.messages())


# For pages that show no reason for a refusal (most module pages): a refused action answers 404,
# like a page the user cannot open.
PageCall = partial(ServiceCall, refused=404)
