"""Pages of the certificates app."""

from django.urls import path

from certificates import views
from portal.views.verify import verify_lookup

app_name = "certificates"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("barred/", views.barred, name="barred"),
    path("verify/", verify_lookup, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("apply/", views.apply, name="apply"),
    path("my/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/supplement/", views.application_supplement, name="application_supplement"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("applications/<int:pk>/reveal-id/", views.reveal_id, name="reveal_id"),
    path("applications/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("applications/<int:pk>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("queue/", views.review_queue, name="queue"),
    path("register/issued/", views.issued_register, name="issued_register"),
    path("register/seal/", views.seal_register, name="seal_register"),
    path("manage/", views.manage_catalogue, name="manage"),
    path("manage/types/new/", views.manage_type, name="manage_type_new"),
    path("manage/types/<int:pk>/", views.manage_type, name="manage_type"),
    path("manage/barred/new/", views.manage_barred, name="manage_barred_new"),
    path("manage/barred/<int:pk>/", views.manage_barred, name="manage_barred"),
]
