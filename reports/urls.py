from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("order/", views.order, name="order"),
    path("list/", views.report_list, name="list"),
    path("baseline/", views.baseline, name="baseline"),
    path("registers/<slug:kind>/", views.register, name="register"),
    path("public/", views.public_index, name="public"),
    path("public/<str:code>/", views.public, name="public_org"),
]
