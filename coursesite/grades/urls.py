from django.urls import path

from coursesite.grades.views import extensions, gradebook, ledger, roster, scores

app_name = "grades"
urlpatterns = [
    # Grace days: every student's ledger, and days added to one student's budget.
    path("courses/<slug:slug>/grace-days/", ledger.ledger, name="ledger"),
    path("courses/<slug:slug>/grace-days/<int:member_id>/add/", ledger.grace_days_add, name="grace-days-add"),
    # Extensions: a student asks, the education associate or instructor decides.
    path("courses/<slug:slug>/assignments/<slug:key>/extension/", extensions.extension_request, name="extension-request"),
    path("courses/<slug:slug>/extensions/", extensions.extension_list, name="extension-list"),
    path("extension-requests/<int:request_id>/", extensions.extension_detail, name="extension-detail"),
    path("extension-requests/<int:request_id>/decide/", extensions.extension_decide, name="extension-decide"),
    path("extension-requests/<int:request_id>/document/", extensions.extension_document, name="extension-document"),
    # Staff-entered scores (exams and the rest), by form and by CSV, and their release.
    path("courses/<slug:slug>/assignments/<slug:key>/scores/", scores.score_entry, name="scores"),
    path("courses/<slug:slug>/assignments/<slug:key>/scores/upload/", scores.score_upload, name="scores-upload"),
    path("courses/<slug:slug>/assignments/<slug:key>/scores/<int:member_id>/clear-override/",
         scores.score_override_clear, name="score-override-clear"),
    path("courses/<slug:slug>/assignments/<slug:key>/scores/<int:member_id>/adjust/",
         scores.score_adjust, name="score-adjust"),
    path("courses/<slug:slug>/assignments/<slug:key>/release/", scores.grades_release, name="release"),
    # The gradebook and its CSV export.
    path("courses/<slug:slug>/people/import/", roster.roster_import, name="roster-import"),
    path("courses/<slug:slug>/people/import/apply/", roster.roster_import_apply, name="roster-import-apply"),
    path("courses/<slug:slug>/gradebook/", gradebook.gradebook, name="gradebook"),
    path("courses/<slug:slug>/gradebook.csv", gradebook.gradebook_csv, name="gradebook-csv"),
]
