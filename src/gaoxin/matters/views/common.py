"""What every matters page does with a service: core's `ServiceCall`, as these pages answer.

    done, status = submit(form, lambda data: services.assign(user, matter, **data))

A bad form and a service's ValidationError answer 422 with the errors by field, a stale version
409 with what was typed kept (core's rules). Two things are the matters pages' own: a refused
action (`Forbidden`) and an object gone meanwhile (`DoesNotExist`) answer 404, as a page the user
cannot see does (these pages show no reason); and `renames` puts an error the service gives
under its own name (`resolution`) onto the form's field (`text`).
"""

from gaoxin.core.pages import PageCall


def submit(form, act, renames=None):
    """Run `act(cleaned_data)` when the form is valid: (what it returned, None) when done, else
    (None, the status the page answers with: 422 or 409), the errors on the form."""
    if not form.is_valid():
        return None, 422
    call = PageCall(form, renames)
    with call:
        return act(form.cleaned_data), None
    return None, call.status
