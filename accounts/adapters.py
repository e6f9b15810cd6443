from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are created by the head; partner users are invited by a Lotse. Company
        # self-registration opens sign-up for companies only (companies issue).
        return False
