"""Pages of the admission app."""

from django.urls import path

from admission import views

app_name = "admission"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("inbox/", views.request_inbox, name="inbox"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/submit/", views.request_submit, name="submit"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/opinion/", views.request_opinion, name="opinion"),
    path("<int:pk>/review/", views.request_review, name="review"),
    path("<int:pk>/legal-reviewer/", views.legal_reviewer_assign, name="legal_assign"),
    path("<int:pk>/legal-reviewer/end/", views.legal_reviewer_unassign, name="legal_unassign"),
    path("<int:pk>/legal-opinion/", views.legal_opinion, name="legal_opinion"),
    path("<int:pk>/decision/", views.request_decision, name="decision"),
    path("<int:pk>/revoke/", views.request_revoke, name="revoke"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attach"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/notice.pdf", views.notice_download, name="notice"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:admission_no>/", views.verify, name="verify"),
]
