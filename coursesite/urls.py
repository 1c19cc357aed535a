from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coursesite.people import university
from coursesite.people import views as people_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", university.LoginView.as_view(), name="login"),
    # mozilla-django-oidc's names, which its views reverse; 404 while university sign-in is not configured.
    path("accounts/university/", university.signin_start, name="oidc_authentication_init"),
    path("accounts/university/callback/", university.signin_callback, name="oidc_authentication_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", people_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", people_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("", include("coursesite.pages.course_urls")),
    path("", include("coursesite.people.urls")),
    path("", include("coursesite.pages.assignment_urls")),
    path("", include("coursesite.grades.urls")),
    path("", include("coursesite.autograding.urls")),
    path("", include("coursesite.rubrics.urls")),
    path("", include("coursesite.reports.urls")),
    path("", include("coursesite.audit.urls")),
    path("", include("coursesite.regrades.urls")),
    path("", include("coursesite.integrity.urls")),
    path("", include("coursesite.similarity.urls")),
    path("", include("coursesite.staffwork.urls")),
]

# The error pages in the site's header, with the view's reason and what to do next (coursesite/pages/errors.py).
handler403 = "coursesite.pages.errors.permission_denied"
handler404 = "coursesite.pages.errors.page_not_found"
