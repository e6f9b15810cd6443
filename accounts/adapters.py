from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Sign-up is company registration (companies.forms.CompanySignupForm, which makes a
        # company user of a pending company). Staff accounts are created by the head; partner
        # users and colleagues at a company are invited.
        return True


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Users who must have two-factor login cannot switch it off; the head can reset it
        # (accounts.views.user_mfa_reset), after which the next login sets it up anew.
        user = authenticator.user
        if settings.MFA_REQUIRED and user.role in settings.MFA_REQUIRED_ROLES:
            return False
        return super().can_delete_authenticator(authenticator)
