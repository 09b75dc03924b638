"""Building blocks of the planning admin: every view asks `backoffice.access.policy`.

- Listings show `policy.scope(principal, rows, "view")`; edit/delete links only where `policy.can`.
- An object view looks the id up inside the principal's scope first: another department's draft
  is "not found" (404) however its id is guessed; a visible object the principal may not change
  is refused (PermissionDenied: Wagtail answers with a redirect to the dashboard and a message).
- Writes with rules beyond a form save go through the planning services; their ValidationError is
  shown on the form fields it names (Indonesian messages from the services).
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from backoffice.access import policy
from backoffice.access.models import Role

VIEW_ACTIONS = ["view", "add", "change", "delete"]


def principal_of(request):
    """The access principal of the request's user, computed once per request."""
    principal = getattr(request, "_planning_principal", None)
    if principal is None:
        principal = request._planning_principal = policy.principal_for_user(request.user)
    return principal


def scoped_object(request, queryset, pk, action="view"):
    """The object with `pk` if the user may see it (else 404: guessing ids reveals nothing) and
    may `action` it (else PermissionDenied)."""
    principal = principal_of(request)
    try:
        obj = policy.scope(principal, queryset, "view").filter(pk=pk).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise Http404("Tidak ditemukan.")
    if action != "view" and not policy.can(principal, action, obj):
        raise PermissionDenied(f"Anda tidak berwenang {policy.ACTION_LABELS.get(action, action)} {obj._meta.verbose_name} ini.")
    return obj


def apply_errors(form, error, field_map=None, default=None):
    """Put a service's ValidationError on the form: each named field on that field (or on the form
    field `field_map` names for it), the rest on `default` (a field name) or the whole form."""
    field_map = field_map or {}
    items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
    for name, errors in items:
        target = field_map.get(name, name)
        if target not in form.fields:
            target = default if default in form.fields else None
        for item in errors:
            form.add_error(target, item.messages if hasattr(item, "messages") else item)


class ScopedObjectMixin:
    """Object views (edit, delete, inspect, history) find their object inside the policy's scope."""

    object_action = "view"
    object_select_related = ()

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None:
            return self.object
        pk = unquote(str(self.kwargs[getattr(self, "pk_url_kwarg", "pk")]))
        return scoped_object(self.request, self.get_object_queryset(), pk, self.object_action)

    def get_object_queryset(self):
        return self.model._default_manager.select_related(*self.object_select_related)


class PlanIndexView(generic.IndexView):
    """A listing of what the user may see; titles link to the detail page; edit and delete only
    where the policy allows them for that row."""

    def get_base_queryset(self):
        return policy.scope(principal_of(self.request), super().get_base_queryset(), "view")

    def allowed(self, action, instance):
        principal = principal_of(self.request)
        if principal.role == Role.BAPPEDA_ADMIN:
            return True
        cache = self.__dict__.setdefault("_allowed_pks", {})
        if action not in cache:
            # One query per action for the whole listing (no query per row).
            cache[action] = set(policy.scope(principal, self.model._default_manager.all(), action).values_list("pk", flat=True))
        return instance.pk in cache[action]

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.allowed("change", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.allowed("delete", instance) else None

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        view = self

        class DetailTitleColumn(column_class):
            def get_link_url(self, instance, parent_context):
                return view.get_inspect_url(instance) or super().get_link_url(instance, parent_context)

        return super()._get_title_column(field_name, DetailTitleColumn, **kwargs)


class ServiceSaveMixin:
    """Create and edit views whose save is a service call (or a plain save after the policy's
    check): errors the service raises are shown on the form, nothing is written."""

    field_map = {}
    error_default = None
    log_on_save = True  # False when the view logs itself (service writes bypass Wagtail's actions)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("for_user", None)
        kwargs["principal"] = principal_of(self.request)
        return kwargs

    def save_with_service(self, instance):
        """Write `instance`; by default the policy's check, then Wagtail's action (which logs)."""
        action = "change" if instance.pk else "add"
        policy.require(principal_of(self.request), action, instance)
        return super().save_instance()

    def save_instance(self):
        return self.save_with_service(self.form.instance)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            apply_errors(form, error, self.field_map, self.error_default)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class PlanCreateView(ServiceSaveMixin, generic.CreateView):
    pass


class PlanEditView(ServiceSaveMixin, ScopedObjectMixin, generic.EditView):
    object_action = "change"

    @cached_property
    def can_delete(self):
        return policy.can(principal_of(self.request), "delete", self.object)


class PlanDeleteView(ScopedObjectMixin, generic.DeleteView):
    object_action = "delete"

    def before_delete(self, instance):
        """A hook for checks beyond the policy (a stage lock); raise ValidationError to refuse."""

    def form_valid(self, form):
        try:
            self.before_delete(self.object)
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, f"{self.object} masih dipakai oleh data lain dan tidak dapat dihapus.")
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        return redirect(self.get_success_url())


class PlanInspectView(ScopedObjectMixin, generic.InspectView):
    def get_edit_url(self):
        if policy.can(principal_of(self.request), "change", self.object):
            return super().get_edit_url()

    def get_delete_url(self):
        if policy.can(principal_of(self.request), "delete", self.object):
            return super().get_delete_url()


class PlanHistoryView(ScopedObjectMixin, history.HistoryView):
    permission_required = None
    any_permission_required = VIEW_ACTIONS


class PlanUsageView(ScopedObjectMixin, usage.UsageView):
    permission_required = None
    any_permission_required = VIEW_ACTIONS


class PlanViewSet(ModelViewSet):
    """A plan object's admin: scoped views, no copy, the detail page as the object's home."""

    index_view_class = PlanIndexView
    add_view_class = PlanCreateView
    edit_view_class = PlanEditView
    delete_view_class = PlanDeleteView
    inspect_view_class = PlanInspectView
    history_view_class = PlanHistoryView
    usage_view_class = PlanUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    select_related = ()

    def get_index_view_kwargs(self, **kwargs):
        # Related rows the listing shows, joined in its one query.
        return super().get_index_view_kwargs(queryset=self.model._default_manager.select_related(*self.select_related), **kwargs)

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()  # the access policy decides, not group permissions

    def inspect_url(self, obj):
        return reverse(self.get_url_name("inspect"), args=[quote(obj.pk)])
