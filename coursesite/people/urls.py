from django.urls import path

from coursesite.people import views

app_name = "people"
urlpatterns = [
    path("courses/<slug:slug>/people/", views.roster, name="roster"),
]
