"""Pages of the checklists app (mounted at /lists/)."""

from django.urls import path

from checklists import views

app_name = "checklists"

urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check_redirect, name="check_redirect"),
    path("negative/", views.negative, name="negative"),
    path("district/<str:code>/", views.district_page, name="district"),
    path("district/<str:code>/pdf/", views.district_pdf, name="district_pdf"),
    path("district/<str:code>/excel/", views.district_excel, name="district_excel"),
    path("district/<str:code>/registers/", views.registers, name="registers"),
    path("community/<str:code>/", views.community_page, name="community"),
    path("community/<str:code>/pdf/", views.community_pdf, name="community_pdf"),
    path("community/<str:code>/excel/", views.community_excel, name="community_excel"),
    path("community/<str:code>/qr/", views.community_qr, name="community_qr"),
    path("history/<str:code>/", views.history, name="history"),
    path("history/<str:code>/<int:number>/", views.version_detail, name="version"),
    # Editing (city admin: base lists; district official: district additions)
    path("manage/", views.manage, name="manage"),
    path("manage/lists/<str:code>/", views.manage_lists, name="manage_lists"),
    path("manage/lists/<str:code>/items/new/", views.item_edit, name="item_new"),
    path("manage/lists/<str:code>/items/<str:item_code>/", views.item_edit, name="item_edit"),
    path("manage/lists/<str:code>/items/<str:item_code>/delete/", views.item_delete, name="item_delete"),
    path("manage/lists/<str:code>/publish/", views.publish, name="publish"),
    path("manage/lists/<str:code>/discard/", views.discard, name="discard"),
    # Registers
    path("manage/registers/<str:code>/", views.registers_manage, name="registers_manage"),
    path("manage/registers/<str:code>/ledgers/new/", views.ledger_edit, name="ledger_new"),
    path("manage/registers/<str:code>/ledgers/<int:pk>/", views.ledger_edit, name="ledger_edit"),
    path("manage/registers/<str:code>/ledgers/<int:pk>/delete/", views.ledger_delete, name="ledger_delete"),
    path("manage/registers/<str:code>/organisations/new/", views.organisation_edit, name="organisation_new"),
    path(
        "manage/registers/<str:code>/organisations/<int:pk>/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "manage/registers/<str:code>/organisations/<int:pk>/delete/",
        views.organisation_delete,
        name="organisation_delete",
    ),
    path("manage/plaques/", views.plaques_home, name="plaques_home"),
    path("manage/plaques/<str:code>/", views.plaques_manage, name="plaques_manage"),
    path("manage/plaques/<str:code>/<int:pk>/delete/", views.plaque_delete, name="plaque_delete"),
]
