from django.urls import path

from coursesite.people import views

app_name = "people"
urlpatterns = [
    path("courses/<slug:slug>/people/", views.roster, name="roster"),
    path("courses/<slug:slug>/people/<int:member_id>/unlock/", views.signin_unlock_view, name="signin-unlock"),
    path("courses/<slug:slug>/welcome/<uidb64>/<token>/", views.InvitationAcceptView.as_view(),
         name="invitation-accept"),
]
