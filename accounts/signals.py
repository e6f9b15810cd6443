"""User.mfa_enabled_at follows the user's TOTP authenticator (allauth.mfa)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from accounts.models import User


def _totp_saved(sender: type[Authenticator], instance: Authenticator, **kwargs: Any) -> None:
    if instance.type == Authenticator.Type.TOTP:
        User.objects.filter(pk=instance.user_id, mfa_enabled_at__isnull=True).update(
            mfa_enabled_at=timezone.now()
        )


def _totp_deleted(sender: type[Authenticator], instance: Authenticator, **kwargs: Any) -> None:
    if instance.type == Authenticator.Type.TOTP:
        User.objects.filter(pk=instance.user_id).update(mfa_enabled_at=None)


def connect() -> None:
    post_save.connect(_totp_saved, sender=Authenticator, dispatch_uid="accounts.totp_saved")
    post_delete.connect(_totp_deleted, sender=Authenticator, dispatch_uid="accounts.totp_deleted")
