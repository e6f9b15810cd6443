from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the center's name, the unread notification count and
    the languages the switcher offers (German and English to staff, every intake language on
    the public pages)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
        languages = settings.STAFF_LANGUAGES
    else:
        unread = 0
        languages = [code for code, _name in settings.LANGUAGES]
    return {
        "center_name": settings.CENTER_NAME,
        "unread_notifications": unread,
        "switcher_languages": languages,
    }
