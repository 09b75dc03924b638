"""Wagtail permission policies that answer from `backoffice.access.policy`.

Wagtail asks a model's permission policy whether to show a menu item, an "add" button, an edit
link, and which rows a chooser or bulk action may touch. For plans those answers come from the one
access policy (role and OPD scope in `AccessProfile`), never from Django's model permissions, so a
group permission granted by hand cannot widen what a role may do.

- model level ("may this user add/change some Renja?"): what the role could do to some row;
- instance level and querysets: `policy.can` and `policy.scope`.

Staff without a planning role are the public here and get nothing in the admin.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from . import policy
from .models import Role

# Wagtail actions outside view/add/change/delete (publish, lock, ...) count as changing.
_POLICY_ACTION = {"view": "view", "add": "add", "change": "change", "delete": "delete"}


def _action(action):
    return _POLICY_ACTION.get(action, "change")


class AccessPolicyPermissionPolicy(BasePermissionPolicy):
    """A model governed by `policy.RULES`: delegates every decision to the access policy."""

    def _principal(self, user):
        return policy.principal_for_user(user)

    def user_has_permission(self, user, action):
        principal = self._principal(user)
        if principal.is_public:
            return False
        if action == "view":
            return True  # every role reads something (at least what is published); scope() says what
        return policy.can_create_any(principal, self.model)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        principal = self._principal(user)
        return not principal.is_public and policy.can(principal, _action(action), instance)

    def instances_user_has_any_permission_for(self, user, actions):
        principal = self._principal(user)
        queryset = self.model._default_manager.all()
        if principal.is_public:
            return queryset.none()
        condition = Q(pk__in=[])
        for action in {_action(a) for a in actions}:
            condition |= Q(pk__in=policy.scope(principal, self.model._default_manager.all(), action).values("pk"))
        return queryset.filter(condition)

    def users_with_any_permission(self, actions):
        roles = {Role.BAPPEDA_ADMIN}
        if "view" in actions:
            roles |= set(Role.values)
        elif policy.can_create_any(policy.Principal(role=Role.OPD_OPERATOR, perangkat_daerah_id=0), self.model):
            roles.add(Role.OPD_OPERATOR)
        return get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(access_profile__role__in=roles))


class BappedaAdminPermissionPolicy(BasePermissionPolicy):
    """Objects only Bappeda's admins manage (access profiles, API tokens): all or nothing."""

    def user_has_permission(self, user, action):
        return policy.principal_for_user(user).role == Role.BAPPEDA_ADMIN

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True).filter(
            Q(is_superuser=True) | Q(access_profile__role=Role.BAPPEDA_ADMIN)
        )


def register_policies(app_labels=("planning",)):
    """Register the policies for the plans (and access objects) before any viewset asks Wagtail for
    a fallback one: called from this app's wagtail_hooks, which Wagtail imports before the planning
    app's. Other apps governed by `policy.RULES` may call it with their own label."""
    from django.apps import apps
    from wagtail.permissions import policy_registry, register_permission_policy

    from .models import AccessProfile, ApiToken

    for label in policy.RULES:
        if label.split(".")[0] not in app_labels:
            continue
        model = apps.get_model(label)
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, AccessPolicyPermissionPolicy(model), exact_class=True)
    for model in (AccessProfile, ApiToken):
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, BappedaAdminPermissionPolicy(model), exact_class=True)
