from django.urls import path

from .views import imports, registry

app_name = "enterprises"
urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_create, name="create"),
    path("validate/", registry.enterprise_validate, name="validate"),
    path("import/", imports.import_page, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/jobs/<uuid:job_id>/", imports.import_job, name="import_job"),
    path("import/jobs/<uuid:job_id>/status/", imports.import_job_status, name="import_job_status"),
    path("import/jobs/<uuid:job_id>/errors/", imports.import_errors, name="import_errors"),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/status/", registry.enterprise_status, name="status"),
    path("<int:pk>/delete/", registry.enterprise_delete, name="delete"),
]
