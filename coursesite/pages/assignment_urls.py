from django.urls import path

from coursesite.pages import assignments as views

app_name = "assignments"
urlpatterns = [
    path("courses/<slug:slug>/assignments/<slug:key>/", views.assignment_detail, name="detail"),
    path("courses/<slug:slug>/assignments/<slug:key>/handout/<str:name>", views.handout_file, name="handout-file"),
    path("courses/<slug:slug>/assignments/<slug:key>/submit/", views.submission_upload, name="submission-upload"),
    path("courses/<slug:slug>/assignments/<slug:key>/submissions/", views.submission_list, name="submission-list"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:submission_id>/activate/", views.submission_activate, name="submission-activate"),
    path("submissions/<int:submission_id>/files/<int:file_id>/", views.file_download, name="file-download"),
]
