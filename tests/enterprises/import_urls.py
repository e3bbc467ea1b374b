"""The project's URLs plus the import pages, until they are wired into enterprises/urls.py.

Once they are, the names below are already there and nothing is added twice.
"""

from django.urls import include, path

from gaoxin import urls as root
from gaoxin.enterprises import urls as enterprise_urls
from gaoxin.enterprises.views import imports

IMPORT_PATTERNS = [
    path("import/", imports.import_page, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/jobs/<uuid:job_id>/", imports.import_job, name="import_job"),
    path("import/jobs/<uuid:job_id>/status/", imports.import_job_status, name="import_job_status"),
    path("import/jobs/<uuid:job_id>/errors/", imports.import_errors, name="import_errors"),
]
_known = {p.name for p in enterprise_urls.urlpatterns}
_enterprise_patterns = [
    *enterprise_urls.urlpatterns,
    *(p for p in IMPORT_PATTERNS if p.name not in _known),
]
urlpatterns = [
    path("enterprises/", include((_enterprise_patterns, "enterprises"))),
    *(p for p in root.urlpatterns if getattr(p, "namespace", None) != "enterprises"),
]
