"""People who log in, what the portal tells them in-app, and the e-mail outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from companies.models import Company
    from partners.models import Partner


class Role(models.TextChoices):
    LOTSE = "lotse", _("Lotse (case worker)")
    HEAD = "head", _("Head of center")
    PARTNER = "partner", _("Partner agency")
    COMPANY = "company", _("Company")


class StaffLanguage(models.TextChoices):
    """The staff interface (and mail to staff, partners and companies) speaks these."""

    GERMAN = "de", "Deutsch"
    ENGLISH = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.HEAD)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def center_staff(self) -> models.QuerySet[User]:
        return self.filter(is_active=True, role__in=[Role.LOTSE, Role.HEAD])

    def visible_to(self, user: User) -> models.QuerySet[User]:
        """The head administers the accounts (two-factor resets); everyone else sees only
        their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_head:
            return self.all()
        return self.filter(pk=user.pk)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in. Partner and company users belong to their organisation through
    their contact person record (`partner_contact`, `company_contact`)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=StaffLanguage.choices, default=StaffLanguage.GERMAN
    )
    # Lotsen on duty are told at once when an intake arrives.
    is_on_duty = models.BooleanField(_("on duty for new intakes"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Django's flag for the admin site; only the head and superusers get it.
    is_staff = models.BooleanField(_("admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Kept by accounts.signals from allauth's authenticators, so that the check on every
    # request (accounts.middleware) costs no query.
    mfa_enabled_at = models.DateTimeField(_("two-factor login since"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            # The admin is for the head of center and superusers only.
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role=Role.HEAD) | Q(is_superuser=True),
                name="user_admin_only_head_or_superuser",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def has_perm(self, perm: str, obj: object | None = None) -> bool:
        # The head administers the center's data in the admin; nobody else does.
        if self.is_active and self.role == Role.HEAD and self.is_staff:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == Role.HEAD and self.is_staff:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_center_staff(self) -> bool:
        """Lotsen and the head: they see every case and newcomer of the center."""
        return self.is_active and self.role in (Role.LOTSE, Role.HEAD)

    @property
    def is_head(self) -> bool:
        return self.is_active and self.role == Role.HEAD

    @property
    def is_lotse(self) -> bool:
        return self.is_active and self.role == Role.LOTSE

    @property
    def partner(self) -> Partner | None:
        if self.role != Role.PARTNER:
            return None
        contact = getattr(self, "partner_contact", None)
        return contact.partner if contact else None

    @property
    def company(self) -> Company | None:
        if self.role != Role.COMPANY:
            return None
        contact = getattr(self, "company_contact", None)
        return contact.company if contact else None


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one user; the navigation shows the unread count."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return self.text


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def pending(self) -> OutgoingEmailQuerySet:
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def due(self) -> OutgoingEmailQuerySet:
        return self.pending().filter(next_attempt_at__lte=timezone.now())


class OutgoingEmail(models.Model):
    """The outbox. Every e-mail is rendered into a row inside the transaction that causes it;
    a Celery task sends it after commit, and a periodic sweep sends whatever a broker or mail
    server outage left behind. So an outage delays mail but never loses it."""

    MAX_ATTEMPTS = 10

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outgoingemail_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
