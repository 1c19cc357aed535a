from django.urls import path

from coursesite.autograding import views

app_name = "autograding"
urlpatterns = [
    path("submissions/<int:submission_id>/grading/", views.feedback, name="feedback"),
]
