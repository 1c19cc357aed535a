from django.urls import path

from coursesite.rubrics import views

app_name = "rubrics"
urlpatterns = [
    path("courses/<slug:slug>/assignments/<slug:key>/rubric/", views.rubric_edit, name="edit"),
    path("courses/<slug:slug>/assignments/<slug:key>/rubric/questions/<int:question_id>/delete/",
         views.delete_question, name="question-delete"),
    path("courses/<slug:slug>/assignments/<slug:key>/rubric/items/<int:item_id>/delete/",
         views.delete_item, name="item-delete"),
    path("courses/<slug:slug>/assignments/<slug:key>/grading/", views.grading_progress, name="progress"),
    path("courses/<slug:slug>/assignments/<slug:key>/grading/<int:question_id>/next/", views.grade_next, name="next"),
    path("courses/<slug:slug>/assignments/<slug:key>/grading/<int:question_id>/<int:submission_id>/",
         views.grade, name="grade"),
]
