"""People pages: the account list, creation, an account's page (profile, roles, activation,
password reset), and one's own password change. An account outside the admin's scope is a 404;
a one-time password is shown once, in the answer to the POST that made it, and stored nowhere."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import otp, tokens
from ..errors import Forbidden
from ..forms import add_service_errors
from ..models import ApiToken, AuditRecord, Membership, User
from ..passwords import change_reason, password_age_days
from ..tables import paginate_table
from . import services
from .forms import AccountForm, DisableForm, PasswordChangeForm, ProfileForm, ScopeForm
from .tables import AccountFilter, AccountTable


def require_admin(request) -> None:
    if not services.is_people_admin(request.user):
        raise Http404


def _memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related(
            "province", "zone", "department", "enterprise"
        ).order_by("pk"),
    )


def _account(request, pk, action="view") -> User:
    require_admin(request)
    try:
        return services.get_for(request.user, pk, action)
    except User.DoesNotExist:
        raise Http404(_("未找到该用户")) from None


@login_required
def account_list(request):
    require_admin(request)
    accounts = services.visible_accounts(request.user).prefetch_related(_memberships())
    flt = AccountFilter(request.GET or None, queryset=accounts, actor=request.user)
    rows = flt.qs if flt.is_bound and flt.is_valid() else accounts
    table = AccountTable(rows)
    paginate_table(request, table)
    return render(request, "core/people/list.html", {"filter": flt, "table": table})


@login_required
def account_create(request):
    require_admin(request)
    initial = {k: request.GET[k] for k in ("role", "zone") if request.GET.get(k)}
    form = AccountForm(request.POST or None, actor=request.user, zone=request.zone, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = services.create_account(
                    request.user,
                    data.get("zone"),
                    data["username"],
                    data["full_name"],
                    data.get("phone", ""),
                    data.get("email", ""),
                    data["role"],
                    department=data.get("department"),
                    enterprise=data.get("enterprise"),
                    province=data.get("province"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Forbidden as exc:
                form.add_error("role", str(exc))
            else:
                return render(
                    request,
                    "core/people/password_issued.html",
                    {"account": user, "password": password, "created": True},
                )
    return render(request, "core/people/form.html", {"form": form, "creating": True}, status=status)


@login_required
def account_detail(request, pk):
    account = _account(request, pk)
    actor = request.user
    can_change = services.changeable_accounts(actor).filter(pk=pk).exists()
    memberships = account.memberships.select_related(
        "province", "zone", "department", "enterprise"
    ).order_by("pk")
    timeline = AuditRecord.objects.for_object(account).order_by("-time", "-id")[:100]
    return render(
        request,
        "core/people/detail.html",
        {
            "account": account,
            "memberships": [
                (m, can_change and services.may_grant(actor, m.role, m.zone)) for m in memberships
            ],
            "password_age": password_age_days(account),
            "can_change": can_change,
            "is_self": account.pk == actor.pk,
            "scope_form": ScopeForm(actor=actor, zone=request.zone, auto_id="id_m_%s"),
            "disable_form": DisableForm(),
            "timeline": timeline,
            # Sign-in security: the person's live API tokens and second factor.
            "tokens": ApiToken.objects.live().filter(user=account).order_by("-created_at")
            if can_change
            else [],
            "has_device": otp.has_device(account),
            "can_reset_otp": otp.can_reset_two_factor(actor, account),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk, token_id):
    """An admin revokes one API token of a person they may change."""
    account = _account(request, pk, "change")
    live = ApiToken.objects.live().filter(user=account, pk=token_id)
    if not tokens.revoke(request.user, live, _("管理员撤销")):
        raise Http404
    messages.success(request, _("令牌已撤销"))
    return redirect("people:detail", account.pk)


@login_required
def account_edit(request, pk):
    account = _account(request, pk, "change")
    initial = {f: getattr(account, f) for f in services.EDITABLE}
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.update_account(request.user, account, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Forbidden:
                raise Http404 from None
            else:
                messages.success(request, _("已保存"))
                return redirect("people:detail", pk=account.pk)
    return render(
        request,
        "core/people/form.html",
        {"form": form, "account": account, "creating": False},
        status=status,
    )


def _fail(request, exc) -> None:
    msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    messages.error(request, ";".join(str(m) for m in msgs))


@login_required
@require_POST
def membership_add(request, pk):
    account = _account(request, pk, "change")
    form = ScopeForm(request.POST, actor=request.user, zone=request.zone)
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label}:{'、'.join(msgs)}" if f in form.fields else "、".join(msgs)
            for f, msgs in form.errors.items()
        ]
        messages.error(request, _("未授予:") + ";".join(errors))
        return redirect("people:detail", pk=pk)
    try:
        m = services.add_membership(
            request.user, account, form.cleaned_data["role"], **form.scope()
        )
    except (ValidationError, Forbidden) as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已授予角色:%(m)s") % {"m": m})
    return redirect("people:detail", pk=pk)


@login_required
@require_POST
def membership_remove(request, pk, membership_id):
    account = _account(request, pk, "change")
    membership = account.memberships.filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    try:
        services.remove_membership(request.user, account, membership)
    except Forbidden:
        raise Http404 from None
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已撤销角色:%(m)s") % {"m": membership})
    return redirect("people:detail", pk=pk)


@login_required
@require_POST
def account_active(request, pk):
    account = _account(request, pk, "change")
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request.user, account, active, request.POST.get("reason", ""))
    except (ValidationError, Forbidden) as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("账号已启用") if active else _("账号已停用"))
    return redirect("people:detail", pk=pk)


@login_required
@require_POST
def account_reset(request, pk):
    account = _account(request, pk, "change")
    try:
        password = services.reset_password(request.user, account)
    except (ValidationError, Forbidden) as exc:
        _fail(request, exc)
        return redirect("people:detail", pk=pk)
    return render(
        request,
        "core/people/password_issued.html",
        {"account": account, "password": password, "created": False},
    )


@login_required
def password_change(request):
    """One's own password: the old one, the new one twice. A forced change (first sign-in, reset,
    expiry) says why; afterwards the person goes where they were heading, or home."""
    form = PasswordChangeForm(request.POST or None)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.change_password(
                    request.user, data["old_password"], data["new_password1"]
                )
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    form.add_error("new_password1" if field == "new_password" else field, msgs)
            else:
                update_session_auth_hash(request, user)  # stay signed in here, nowhere else
                messages.success(request, _("密码已修改。"))
                return redirect(target or "home")
    return render(
        request,
        "core/people/password_change.html",
        {"form": form, "reason": change_reason(request.user), "next": target},
        status=status,
    )
