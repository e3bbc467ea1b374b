
app_name = "utilities"
urlpatterns: list = []
