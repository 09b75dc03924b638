"""Admin for access: the "Pengguna & Akses" menu (Bappeda's admins only).

- Profil Akses: a staff user's role, OPD and wilayah (saving puts the user in the role's group).
- Token API: Bappeda issues a key to an external system, bound to a role and scope. The raw key is
  shown once, right after it is issued (kept in the session only until that page is shown); the
  listing shows the prefix, last use and revocation; revoking is an action with its audit entry.

This module also registers the permission policies of the planning models (permissions.py) first
thing: Wagtail imports this app's hooks before the planning app's.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from backoffice.reference.models import PerangkatDaerah, Wilayah

from . import policy
from .models import AccessProfile, ApiToken, Role
from .permissions import register_policies

register_policies()

TOKEN_REVOKE_ACTION = "access.token_revoke"
ISSUED_KEYS_SESSION = "access_issued_keys"


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    actions.register_action(TOKEN_REVOKE_ACTION, "Token API dicabut", "Token API dicabut")


def _is_bappeda_admin(user):
    return policy.principal_for_user(user).role == Role.BAPPEDA_ADMIN


def _scope_fields(form):
    form.fields["perangkat_daerah"].queryset = PerangkatDaerah.objects.filter(is_active=True).order_by("code")
    form.fields["wilayah"].queryset = (
        Wilayah.objects.of_region()
        .filter(level__in=[Wilayah.Level.KECAMATAN, Wilayah.Level.DESA_KELURAHAN])
        .only("id", "code", "name", "level")
    )


# --------------------------------------------------------------------------------------------
# Profil akses


class AccessProfileForm(forms.ModelForm):
    class Meta:
        model = AccessProfile
        fields = ["user", "role", "perangkat_daerah", "wilayah"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.order_by("username")
        if self.instance.pk is None:
            users = users.filter(access_profile__isnull=True)
        else:
            users = users.filter(pk=self.instance.user_id)
            self.fields["user"].disabled = True
        self.fields["user"].queryset = users
        _scope_fields(self)


class AccessProfileViewSet(ModelViewSet):
    model = AccessProfile
    name = "access_profile"
    url_prefix = "akses/profil"
    icon = "user"
    menu_label = "Profil Akses"
    form_class = AccessProfileForm
    copy_view_enabled = False
    list_display = [
        "user",
        Column("role", label="Peran", accessor="get_role_display", sort_key="role"),
        Column("perangkat_daerah", label="Perangkat daerah"),
        Column("wilayah", label="Wilayah"),
    ]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["user__username"]

    def get_form_class(self, for_update=False):
        return AccessProfileForm

    def get_index_view_kwargs(self, **kwargs):
        queryset = AccessProfile.objects.select_related("user", "perangkat_daerah", "wilayah").defer("wilayah__boundary")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()  # the role decides, not a group permission


# --------------------------------------------------------------------------------------------
# Token API


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "role", "perangkat_daerah", "wilayah", "expires_at"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        _scope_fields(self)
        self.fields["expires_at"].help_text = "Kosong: berlaku sampai dicabut. Format: 2026-12-31 23:59."


class ApiTokenStatusColumn(Column):
    def get_value(self, instance):
        if instance.revoked_at:
            return "Dicabut"
        if instance.expires_at and instance.expires_at <= timezone.now():
            return "Kedaluwarsa"
        return "Aktif"


class ApiTokenCreateView(generic.CreateView):
    """Issues the token (ApiToken.issue keeps only a hash) and shows the raw key on the next page, once."""

    def save_instance(self):
        data = self.form.cleaned_data  # the form ran the model's scope rules (role vs OPD/wilayah)
        token, raw_key = ApiToken.issue(
            name=data["name"], role=data["role"], perangkat_daerah=data.get("perangkat_daerah"),
            wilayah=data.get("wilayah"), expires_at=data.get("expires_at"), created_by=self.request.user,
        )
        log(instance=token, action="wagtail.create", user=self.request.user, data={"role": token.role, "prefix": token.key_prefix})
        keys = self.request.session.get(ISSUED_KEYS_SESSION, {})
        keys[str(token.pk)] = raw_key
        self.request.session[ISSUED_KEYS_SESSION] = keys
        return token

    def get_success_url(self):
        return reverse("access_token:issued", args=[quote(self.object.pk)])

    def get_success_message(self, instance):
        return None


class ApiTokenIssuedView(WagtailAdminTemplateMixin, TemplateView):
    """The raw key, taken out of the session as it is shown: reloading the page does not show it again."""

    template_name = "access/admin/token_issued.html"
    page_title = "Token API diterbitkan"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not _is_bappeda_admin(request.user):
            raise PermissionDenied
        self.token = get_object_or_404(ApiToken, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keys = self.request.session.get(ISSUED_KEYS_SESSION, {})
        raw_key = keys.pop(str(self.token.pk), None)
        self.request.session[ISSUED_KEYS_SESSION] = keys
        context.update(token=self.token, raw_key=raw_key, index_url=reverse("access_token:index"))
        return context


class ApiTokenRevokeView(WagtailAdminTemplateMixin, TemplateView):
    """Revoking, not deleting: the token stays listed (who had it, when it was last used)."""

    template_name = "access/admin/token_revoke.html"
    page_title = "Cabut token API"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not _is_bappeda_admin(request.user):
            raise PermissionDenied
        self.token = get_object_or_404(ApiToken, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.token)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "token": self.token, "index_url": reverse("access_token:index")}

    def post(self, request, *args, **kwargs):
        token = self.token
        if token.revoked_at is None:
            token.revoke()
            log(instance=token, action=TOKEN_REVOKE_ACTION, user=request.user)
            messages.success(request, f"Token '{token}' dicabut: sistem yang memakainya tidak dapat masuk lagi.")
        return redirect("access_token:index")


class ApiTokenIndexView(generic.IndexView):
    def get_edit_url(self, instance):
        return None  # a token is not edited: it is issued, used and revoked

    def get_inspect_url(self, instance):
        return reverse("access_token:inspect", args=[quote(instance.pk)])


class ApiTokenInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.revoked_at is None:
            buttons.append(Button("Cabut", url=reverse("access_token:revoke", args=[quote(self.object.pk)]), icon_name="bin", priority=20))
        return buttons

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    name = "access_token"
    url_prefix = "akses/token"
    icon = "key"
    menu_label = "Token API"
    form_class = ApiTokenForm
    index_view_class = ApiTokenIndexView
    add_view_class = ApiTokenCreateView
    inspect_view_class = ApiTokenInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "name", "role", "perangkat_daerah", "wilayah", "key_prefix", "created_by", "created_at",
        "expires_at", "last_used_at", "revoked_at",
    ]
    list_display = [
        "name",
        Column("role", label="Peran", accessor="get_role_display", sort_key="role"),
        Column("perangkat_daerah", label="Perangkat daerah"),
        Column("key_prefix", label="Awalan kunci"),
        DateColumn("created_at", label="Dibuat"),
        DateColumn("last_used_at", label="Terakhir dipakai"),
        DateColumn("revoked_at", label="Dicabut"),
        ApiTokenStatusColumn("status", label="Status"),
    ]
    list_filter = ["role"]
    search_fields = ["name", "key_prefix"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return ApiTokenForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=ApiToken.objects.select_related("perangkat_daerah"), **kwargs)

    def get_urlpatterns(self):
        # No edit, delete or copy: a token is issued once and revoked, never changed.
        patterns = [p for p in super().get_urlpatterns() if p.name not in {"edit", "delete", "copy"}]
        return patterns + [
            path("kunci/<int:pk>/", ApiTokenIssuedView.as_view(), name="issued"),
            path("cabut/<int:pk>/", ApiTokenRevokeView.as_view(), name="revoke"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"edit_url_name": None, "delete_url_name": None, **kwargs})

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()


class AccessViewSetGroup(ModelViewSetGroup):
    menu_label = "Pengguna & Akses"
    menu_name = "pengguna-akses"
    menu_icon = "lock"
    menu_order = 700
    items = (AccessProfileViewSet, ApiTokenViewSet)


@hooks.register("register_admin_viewset")
def register_access_viewsets():
    return AccessViewSetGroup()
