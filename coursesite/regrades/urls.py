from django.urls import path

from coursesite.regrades import views

app_name = "regrades"
urlpatterns = [
    # A student asks about one part of a released grade; the staff take and answer from the queue.
    path("submissions/<int:submission_id>/regrade/", views.regrade_open, name="open"),
    path("courses/<slug:slug>/assignments/<slug:key>/regrade/", views.regrade_open_exam, name="open-exam"),
    path("courses/<slug:slug>/regrades/", views.regrade_queue, name="queue"),
    path("regrade-requests/<int:request_id>/", views.regrade_detail, name="detail"),
    path("regrade-requests/<int:request_id>/take/", views.regrade_take, name="take"),
    path("regrade-requests/<int:request_id>/answer/", views.regrade_answer, name="answer"),
]
