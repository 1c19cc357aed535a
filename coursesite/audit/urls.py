from django.urls import path

from coursesite.audit import views

app_name = "audit"
urlpatterns = [
    # Who changed what, when, from which value to which, and why: for the course staff.
    path("courses/<slug:slug>/people/<int:member_id>/history/", views.student_history, name="student"),
    path("courses/<slug:slug>/assignments/<slug:key>/history/", views.assignment_history, name="assignment"),
    path("courses/<slug:slug>/history/", views.course_history, name="course"),
    # On the roster page: (re)send a member the e-mail that lets them choose a password.
    path("courses/<slug:slug>/people/<int:member_id>/invite/", views.invitation_send, name="invitation-send"),
]
