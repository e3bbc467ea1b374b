from django.urls import include, path

from .views import imports, picker, registry

app_name = "enterprises"
urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_create, name="create"),
    path("validate/", registry.enterprise_validate, name="validate"),
    path("search/", picker.enterprise_search, name="search"),
    path("import/", include(imports.urlpatterns)),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/status/", registry.enterprise_status, name="status"),
    path("<int:pk>/delete/", registry.enterprise_delete, name="delete"),
]
