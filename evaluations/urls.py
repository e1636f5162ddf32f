"""Pages of the evaluations app."""

app_name = "evaluations"

urlpatterns: list = []
