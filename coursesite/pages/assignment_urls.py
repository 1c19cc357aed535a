from django.urls import path

from coursesite.pages import assignments as views
from coursesite.pages import groups

app_name = "assignments"
urlpatterns = [
    path("courses/<slug:slug>/assignments/<slug:key>/", views.assignment_detail, name="detail"),
    path("courses/<slug:slug>/assignments/<slug:key>/handout/<str:name>", views.handout_file, name="handout-file"),
    path("courses/<slug:slug>/assignments/<slug:key>/submit/", views.submission_upload, name="submission-upload"),
    path("courses/<slug:slug>/assignments/<slug:key>/submissions/", views.submission_list, name="submission-list"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:submission_id>/activate/", views.submission_activate, name="submission-activate"),
    path("submissions/<int:submission_id>/files/<int:file_id>/", views.file_download, name="file-download"),
    path("submissions/<int:submission_id>/question-pages/", views.question_pages, name="question-pages"),
    # Groups (issue 19): the student's group, and staff's page of every group.
    path("courses/<slug:slug>/assignments/<slug:key>/group/", groups.group_page, name="group"),
    path("courses/<slug:slug>/assignments/<slug:key>/group/invite/", groups.group_invite_view, name="group-invite"),
    path("courses/<slug:slug>/assignments/<slug:key>/group/invitations/<int:invitation_id>/",
         groups.invitation_answer, name="group-invitation-answer"),
    path("courses/<slug:slug>/assignments/<slug:key>/group/leave/", groups.group_leave_view, name="group-leave"),
    path("courses/<slug:slug>/assignments/<slug:key>/group/size/", groups.group_size_request_view,
         name="group-size-request"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/", groups.groups_page, name="groups"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/form/", groups.groups_form_view, name="groups-form"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/<int:group_id>/change/", groups.groups_change_view,
         name="groups-change"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/<int:group_id>/dissolve/", groups.groups_dissolve_view,
         name="groups-dissolve"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/<int:group_id>/approve/", groups.groups_approve_view,
         name="groups-approve"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/import/", groups.groups_import_view, name="groups-import"),
    path("courses/<slug:slug>/assignments/<slug:key>/groups/import/apply/", groups.groups_import_apply,
         name="groups-import-apply"),
]
