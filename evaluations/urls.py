"""Pages of the evaluations app (mounted at /evaluations/)."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("results/", views.results, name="results"),
    path("whitelist/", views.whitelist, name="whitelist"),
    path("whitelist/new/", views.whitelist_edit, name="whitelist_new"),
    path("whitelist/<int:pk>/edit/", views.whitelist_edit, name="whitelist_edit"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/scores/", views.assessment_scores, name="assessment_scores"),
    path("assessments/<int:pk>/transition/", views.assessment_transition, name="assessment_transition"),
    path("assessments/<int:pk>/figures/", views.assessment_figures, name="assessment_figures"),
    path("assessments/<int:pk>/evidence/", views.assessment_evidence, name="assessment_evidence"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"
    ),
    path("assessments/<int:pk>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("reports/summary/", views.summary_pdf, name="summary_pdf"),
    path("cycles/<int:pk>/publish/", views.cycle_publish, name="cycle_publish"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_edit, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/publish/", views.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
    path("rectification/", views.rectification_list, name="rectification_list"),
    path("rectification/<int:pk>/", views.rectification_detail, name="rectification"),
]
