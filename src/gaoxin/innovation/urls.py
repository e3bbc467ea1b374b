"""The innovation module's pages, one module a concept (each in its views module)."""

app_name = "innovation"
urlpatterns = []
