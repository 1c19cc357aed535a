"""University sign-in through OpenID Connect (mozilla-django-oidc), and who may still use a local password.

The university says who a person is; the roster says whether they belong here. A university account is
matched to exactly one active site account by one configured claim (settings.OIDC_MATCH_CLAIM) and only
if that account is on a roster: no account is ever created from a sign-in. With
settings.LOCAL_PASSWORDS_FOR_STUDENTS off, a person who is only ever a student signs in through the
university alone; staff and superusers keep their passwords (the way in when the university is down).
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core import checks
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from coursesite.people.models import Membership, User

# The claim a university sends -> the account field it must equal (case-insensitively).
MATCH_FIELDS = {"email": "email", "preferred_username": "username", "username": "username"}
REQUIRED_SETTINGS = ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                     "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT")


def university_signin_enabled() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)


@checks.register(checks.Tags.security)
def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start on a sign-in configuration that would fail only when someone signs in."""
    errors = []
    if settings.OIDC_MATCH_CLAIM not in MATCH_FIELDS:
        errors.append(checks.Error(f"OIDC_MATCH_CLAIM must be one of {sorted(MATCH_FIELDS)}, "
                                   f"not {settings.OIDC_MATCH_CLAIM!r}", id="people.E001"))
    if (university_signin_enabled() and settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES"))
            and not settings.OIDC_OP_JWKS_ENDPOINT):
        errors.append(checks.Error(f"OIDC_OP_JWKS_ENDPOINT must be set to check {settings.OIDC_RP_SIGN_ALGO} "
                                   "signatures", id="people.E002"))
    return errors


def signin_page_context() -> dict:
    """What the login page needs to offer the university's button (None: no button)."""
    return {"university": settings.OIDC_PROVIDER_NAME if university_signin_enabled() else None}


def rostered_users() -> QuerySet[User]:
    """Active accounts that are on some course's roster: the only ones a university sign-in may reach."""
    # A student the registrar's roster dropped is off the roster (unless still a member of another course).
    return User.objects.filter(is_active=True, id__in=Membership.objects.current().values("user_id"))


def match_accounts(claims: dict, claim: str) -> QuerySet[User]:
    """Rostered accounts whose matched field equals the claim's value, ignoring case (empty if it is absent)."""
    if claim not in MATCH_FIELDS:
        raise ValueError(f"OIDC_MATCH_CLAIM must be one of {sorted(MATCH_FIELDS)}, not {claim!r}")
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        return User.objects.none()
    return rostered_users().filter(**{f"{MATCH_FIELDS[claim]}__iexact": value.strip()})


def no_match_message(claims: dict, claim: str) -> str:
    who = claims.get(claim) or claims.get("email") or claims.get("sub") or "you signed in with"
    return (f"No course account matches the university account {who}: "
            "ask your course staff to add you to the roster.")


class UniversityBackend(OIDCAuthenticationBackend):
    """Signs in the one rostered account the university's claim names; never creates one."""

    def verify_claims(self, claims) -> bool:
        # A missing claim is refused with a message in filter_users_by_claims, not as a suspicious operation.
        return True

    def filter_users_by_claims(self, claims) -> QuerySet[User]:
        claim = settings.OIDC_MATCH_CLAIM
        users = match_accounts(claims, claim)
        if len(users) != 1:
            # Two accounts with one address is a roster mistake for staff to fix, not a choice to make here.
            self.request.university_refusal = no_match_message(claims, claim)    # shown by CallbackView
            return User.objects.none()
        return users

    def create_user(self, claims):
        raise PermissionError("university sign-in never creates accounts (OIDC_CREATE_USER is off)")

    def update_user(self, user, claims):
        return user         # the roster, not the university, owns names and addresses


def password_barred(user: User) -> bool:
    """True if settings forbid this account a local password: it is a student in every course it is in."""
    if settings.LOCAL_PASSWORDS_FOR_STUDENTS or user.is_superuser:
        return False
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return roles == {Membership.Role.STUDENT}


class PasswordBackend(ModelBackend):
    """Django's username and password sign-in, closed to students when LOCAL_PASSWORDS_FOR_STUDENTS is off."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not password_barred(user)


class SignInForm(AuthenticationForm):
    """The login form; says "Students sign in with <university>" to a student whose password is closed."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            user = User.objects.filter(username=username).first() if username else None
            if user is not None and password_barred(user):
                self.students_use_university = True
            raise


class LoginView(auth_views.LoginView):
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **signin_page_context()}


def _only_when_enabled(view):
    def wrapped(request: HttpRequest) -> HttpResponse:
        # mozilla-django-oidc's views read their settings when built: without them there is nothing here.
        if not university_signin_enabled():
            raise Http404("University sign-in is not configured.")
        return view(request)
    return wrapped


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the university: a refusal returns to the login page saying why."""

    def login_failure(self):
        reason = getattr(self.request, "university_refusal", None) or (
            f"Signing in with {settings.OIDC_PROVIDER_NAME} did not complete. Please try again.")
        messages.error(self.request, reason)
        return super().login_failure()


signin_start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
signin_callback = _only_when_enabled(CallbackView.as_view())
