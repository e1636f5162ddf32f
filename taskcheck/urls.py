"""Pages of the taskcheck app."""

app_name = "taskcheck"

urlpatterns: list = []
