"""Pages of the admission app."""

app_name = "admission"

urlpatterns: list = []
