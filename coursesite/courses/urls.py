from django.urls import path

from coursesite.courses import views

app_name = "courses"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<slug:slug>/", views.syllabus, name="syllabus"),
    path("courses/<slug:slug>/calendar.ics", views.calendar, name="calendar"),
    path("courses/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
]
