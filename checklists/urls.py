"""Pages of the checklists app."""

app_name = "checklists"

urlpatterns: list = []
