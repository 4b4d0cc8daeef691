"""Signing in and out, and the second factor (an authenticator app)."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.accounts import services
from livingwell.accounts.models import WorkerGender
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Outcome
from livingwell.audit.policy import current_memberships
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Your email address or password is not right. Check them and try again",
        "inactive": "This account is not active. Ask your site administrator",
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).lower()

    def clean(self) -> dict[str, Any]:
        # A refused sign-in is shown by the password field, so that the error summary links somewhere
        # (the NHS pattern); a form-wide error would leave its link pointing at "#".
        try:
            return super().clean()
        except forms.ValidationError as error:
            self.add_error("password", error)
            return self.cleaned_data


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.jinja"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(actor=form.get_user(), action=Action.SIGN_IN, request=self.request)
        if services.two_factor_required(form.get_user()):  # type: ignore[arg-type]
            return redirect(f"{reverse('accounts:two_factor')}?next={self.get_success_url()}")
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        audit.record(
            actor=None,
            action=Action.SIGN_IN_FAILED,
            outcome=Outcome.REFUSED,
            detail={"email": str(form.data.get("username", ""))[:200]},
            request=self.request,
        )
        return super().form_invalid(form)


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Called by django-axes when too many sign-ins have failed."""
    email = (credentials or {}).get("username") or request.POST.get("username", "")
    audit.record(
        actor=None,
        action=Action.LOCKED_OUT,
        outcome=Outcome.REFUSED,
        detail={"email": str(email)[:200]},
        request=request,
    )
    return render(request, "accounts/locked_out.jinja", status=429)


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.is_authenticated:
            audit.record(actor=request.user, action=Action.SIGN_OUT, request=request)
        logout(request)
        messages.success(request, "You have signed out")
        return redirect("core:landing")
    if not request.user.is_authenticated:
        return redirect("core:landing")
    return render(request, "accounts/sign_out.jinja")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, like 123456",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "classes": "nhsuk-input--width-10"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app after the password."""
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    device = services.confirmed_device(request.user)  # type: ignore[arg-type]
    if device is None:
        return redirect(f"{reverse('accounts:two_factor_set_up')}?next={_safe_next(request)}")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_check(device=device, code=form.cleaned_data["code"])
        except DomainError as error:
            audit.record(
                actor=request.user,
                action=Action.SIGN_IN_FAILED,
                outcome=Outcome.REFUSED,
                detail={"two_factor": error.code},
                request=request,
            )
            add_domain_error(form, error)
        else:
            otp_login(request, device)
            audit.record(actor=request.user, action=Action.SIGN_IN, detail={"two_factor": "verified"}, request=request)
            return HttpResponseRedirect(_safe_next(request))
    return render(request, "accounts/two_factor.jinja", {"form": form, "next": _safe_next(request)})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@require_http_methods(["GET", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code (or type the key), then enter a code to confirm."""
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    user = request.user
    device_id = request.session.get("lw_totp_setup")
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    if device is None:
        device = services.two_factor_start(user=user)  # type: ignore[arg-type]
        request.session["lw_totp_setup"] = device.pk
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_confirm(user=user, device=device, code=form.cleaned_data["code"], request=request)  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session.pop("lw_totp_setup", None)
            otp_login(request, device)
            messages.success(
                request, "Your authenticator app is set up. You will need a code from it each time you sign in"
            )
            return HttpResponseRedirect(_safe_next(request))
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "required": services.two_factor_required_by_role(user),  # type: ignore[arg-type]
        "form": form,
        "qr_src": _qr_svg(device.config_url),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_set_up.jinja", context)


@login_required
@require_http_methods(["GET"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's own account: who they are, their roles, and two-factor."""
    user = request.user
    memberships = current_memberships(user)
    return render(
        request,
        "accounts/account.jinja",
        {
            "memberships": memberships,
            "two_factor_on": services.confirmed_device(user) is not None,
            "two_factor_required": services.two_factor_required_by_role(user),
            "own_record": hasattr(user, "person"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_turn_off(request: AuthenticatedRequest) -> HttpResponse:
    """Turn off two-step sign-in, for someone whose role does not need it (people reading their own record)."""
    user = request.user
    if services.two_factor_required_by_role(user):
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE,
            reason="Two-step sign-in is required for this role",
            request=request,
            message="Your role needs two-step sign-in, so it cannot be turned off.",
        )
    if services.confirmed_device(user) is None:
        return redirect("accounts:account")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_turn_off(user=user, code=form.cleaned_data["code"], request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Two-step sign-in is off. You will sign in with your password only")
            return redirect("accounts:account")
    return render(
        request, "accounts/two_factor_turn_off.jinja", {"form": form, "back_href": reverse("accounts:account")}
    )


class WorkerProfileForm(forms.Form):
    gender = forms.ChoiceField(
        label="Your gender",
        required=False,
        choices=[*WorkerGender.choices, ("not_said", "I'd rather not say")],
        widget=forms.RadioSelect,
        help_text="Some people ask to meet a woman, or a man. This is only used to offer them someone who fits.",
        error_messages={"invalid_choice": "Choose a gender from the list, or leave it empty"},
    )
    languages = forms.CharField(
        label="Languages you can work in",
        required=False,
        max_length=200,
        help_text="Separate languages with commas, for example English, Portuguese, Somali.",
        error_messages={"max_length": "Languages must be 200 characters or fewer"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def worker_profile(request: AuthenticatedRequest) -> HttpResponse:
    """What people may ask for in a worker: the worker's gender and languages, said by themself."""
    user = request.user
    form = WorkerProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"gender": user.gender or "not_said", "languages": user.languages},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_profile_change(
                user=user,
                gender="" if form.cleaned_data["gender"] == "not_said" else form.cleaned_data["gender"],
                languages=form.cleaned_data["languages"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Saved")
            return redirect("accounts:account")
    return render(
        request,
        "accounts/worker_profile.jinja",
        {"form": form, "back_href": reverse("accounts:account")},
    )
