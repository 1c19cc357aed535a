from django.urls import path

from coursesite.courses import views
from coursesite.pages import dashboard

app_name = "courses"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<slug:slug>/", views.syllabus, name="syllabus"),
    path("courses/<slug:slug>/calendar.ics", views.calendar, name="calendar"),
    path("courses/<slug:slug>/dashboard/", dashboard.dashboard, name="dashboard"),
]
