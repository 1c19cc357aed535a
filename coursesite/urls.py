from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("coursesite.pages.course_urls")),
    path("", include("coursesite.people.urls")),
    path("", include("coursesite.pages.assignment_urls")),
    path("", include("coursesite.grades.urls")),
    path("", include("coursesite.autograding.urls")),
    path("", include("coursesite.rubrics.urls")),
    path("", include("coursesite.reports.urls")),
    path("", include("coursesite.audit.urls")),
    path("", include("coursesite.regrades.urls")),
]
