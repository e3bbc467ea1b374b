"""What every investment page does with a service: core's `ServiceCall`, as these pages answer."""

from functools import partial

from gaoxin.core.pages import ServiceCall

# These pages show no reason for a refusal: a refused action answers 404, like a page the user
# cannot open; `renames` puts an error the service names by its field under the form's field.
PageCall = partial(ServiceCall, refused=404)
