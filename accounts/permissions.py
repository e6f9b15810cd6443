"""Who may open the staff pages at all. Which objects they then see is each model's
`visible_to(user)`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User


def require_center_staff(request: HttpRequest) -> User:
    """The workspace is for Lotsen and the head; partner and company users get a 403
    (anonymous visitors never get here: LoginRequiredMiddleware sends them to the login)."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_center_staff:
        raise PermissionDenied
    return user


def require_head(request: HttpRequest) -> User:
    """The data-protection pages (audit trail, erasure, retention) and user administration are
    for the head of center only."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_head:
        raise PermissionDenied
    return user
