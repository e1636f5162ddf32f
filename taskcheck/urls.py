"""Pages of the taskcheck app (mounted at /check/)."""

from django.urls import path

from taskcheck import views

app_name = "taskcheck"

urlpatterns = [
    path("", views.check, name="check"),
    path("refuse/", views.refusal_create, name="refuse"),
    path("refusals/", views.refusal_list, name="refusals"),
    path("refusals/<int:pk>/", views.refusal_detail, name="refusal"),
    path("refusals/<int:pk>/notice.pdf", views.refusal_pdf, name="refusal_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("policy/", views.policy, name="policy"),
]
