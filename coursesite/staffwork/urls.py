from django.urls import path

from coursesite.staffwork import views

app_name = "staffwork"
urlpatterns = [
    # Work waiting for the staff: the digest e-mail's choice, and the gradings that failed.
    path("courses/<slug:slug>/staff/digest/", views.digest_choice, name="digest"),
    path("courses/<slug:slug>/could-not-be-graded/", views.could_not_be_graded, name="could-not-be-graded"),
]
