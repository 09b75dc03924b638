"""E-mail about the annual cycle, off by default: set PLANNING_EMAIL_NOTIFICATIONS = True (and an
e-mail backend) to mail departments when their items are returned, verified or set, and Bappeda's
verifiers when items are submitted. The dashboard panels show the same things without e-mail."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from backoffice.access.models import BAPPEDA_ROLES, OPD_ROLES

from .common import email_notifications_enabled

logger = logging.getLogger(__name__)

SUBJECTS = {
    "submit": "{what} diajukan untuk verifikasi",
    "verify": "{what} telah diverifikasi",
    "return": "{what} dikembalikan",
    "set": "{what} telah ditetapkan",
    "accept": "{what} diterima",
}


def _bappeda():
    return get_user_model().objects.filter(Q(is_superuser=True) | Q(access_profile__role__in=BAPPEDA_ROLES))


def _department(unit_id):
    return get_user_model().objects.filter(access_profile__role__in=OPD_ROLES, access_profile__perangkat_daerah_id=unit_id)


def notify(action, what, unit_id, note="", link=""):
    """Mail the people who act next: Bappeda after a submit, the department after anything else."""
    if not email_notifications_enabled():
        return 0
    users = _bappeda() if action == "submit" else _department(unit_id)
    recipients = sorted({u.email for u in users.filter(is_active=True).exclude(email="")})
    if not recipients:
        return 0
    subject = SUBJECTS.get(action, "{what}").format(what=what)
    body = "\n\n".join(part for part in (subject + ".", f"Catatan: {note}" if note else "", link) if part)
    try:
        return send_mail(subject, body, None, recipients)
    except Exception:  # a mail server down must never undo or hide a verification step
        logger.exception("E-mail notifikasi tahapan gagal dikirim")
        return 0
