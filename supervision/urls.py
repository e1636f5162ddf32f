"""Pages of supervision."""

from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.public, name="public"),
    path("file/", views.complaint_file, name="file"),
    path("file/done/", views.complaint_filed, name="filed"),
    path("track/", views.track_form, name="track_form"),
    path("track/<str:code>/", views.track, name="track"),
    path("notices/<str:code>/", views.notice, name="notice"),
    path("notices/<str:code>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/export.csv", views.complaint_export, name="export"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="reveal"),
    path("complaints/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("complaints/<int:pk>/<str:action>/", views.complaint_act, name="act"),
    path("criticisms/", views.criticism_list, name="criticisms"),
    path("criticisms/<int:pk>/", views.criticism_detail, name="criticism"),
    path("department/", views.department_home, name="department"),
    path("department/statements/<int:pk>/", views.department_respond, name="respond"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify, name="rectification_verify"),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/new/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
]
