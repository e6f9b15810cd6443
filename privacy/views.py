"""The head's data-protection pages: the audit trail, the newcomers' rights, retention and the
record of processing activities."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from accounts.models import Notification, User
from accounts.permissions import require_center_staff, require_head
from migrants.models import ConsentRecord, ConsentScope, Newcomer
from privacy import export, services
from privacy.forms import AuditFilterForm, EraseForm, RetentionPolicyForm
from privacy.models import RetentionPolicy
from privacy.register import ACTIVITIES
from welcome_center import audit

AUDIT_PAGE_SIZE = 50
CSV_CHUNK = 2000


def _audit_entries(request: HttpRequest) -> tuple[AuditFilterForm, Iterable[LogEntry]]:
    form = AuditFilterForm(request.GET or None)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    return form, entries


def _newcomer_references(entries: Iterable[LogEntry]) -> dict[int, str]:
    """The reference of the newcomer each entry concerns, in one query for a page of entries."""
    ids = {
        entry.additional_data["newcomer"]
        for entry in entries
        if isinstance(entry.additional_data, dict) and entry.additional_data.get("newcomer")
    }
    return dict(Newcomer.objects.filter(pk__in=ids).values_list("pk", "reference"))


def audit_trail(request: HttpRequest) -> HttpResponse:
    require_head(request)
    form, entries = _audit_entries(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    references = _newcomer_references(page.object_list)
    rows = [
        (entry, references.get((entry.additional_data or {}).get("newcomer")))
        for entry in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "privacy/audit_trail.html", context, status=status)


class _Echo:
    """csv.writer writes into this and gets the line back, for a streamed response."""

    def write(self, value: str) -> str:
        return value


def audit_trail_csv(request: HttpRequest) -> HttpResponse:
    require_head(request)
    form, entries = _audit_entries(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("The filter is not valid: %(errors)s") % {"errors": form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                _("Time"),
                _("Person"),
                _("Action"),
                _("Record type"),
                _("Record id"),
                _("Record"),
                _("Newcomer"),
                _("Changes"),
            ]
        )
        iterator = entries.iterator(chunk_size=CSV_CHUNK)  # type: ignore[attr-defined]
        while chunk := list(islice(iterator, CSV_CHUNK)):
            references = _newcomer_references(chunk)
            for entry in chunk:
                yield writer.writerow(
                    [
                        timezone.localtime(entry.timestamp).isoformat(),
                        entry.actor.email if entry.actor else "",
                        entry.get_action_display(),
                        f"{entry.content_type.app_label}.{entry.content_type.model}",
                        entry.object_pk,
                        entry.object_repr,
                        references.get((entry.additional_data or {}).get("newcomer"), ""),
                        json.dumps(entry.changes or {}, ensure_ascii=False),
                    ]
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


# ---- the newcomers' rights ----------------------------------------------------------------


def newcomer_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Art. 15 and 20: everything on one newcomer as one ZIP (JSON, HTML, documents)."""
    user = require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user).not_anonymised(), pk=pk)
    audit.record_read(newcomer, by=user, purpose="export")
    content = export.build_zip(newcomer)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"{newcomer.reference}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def newcomer_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Art. 17 and withdrawal of consent: the head anonymises a newcomer, confirmed twice."""
    user = require_head(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user).not_anonymised(), pk=pk)
    form = EraseForm(request.POST or None, newcomer=newcomer)
    if request.method == "POST":
        if form.is_valid():
            services.anonymise_newcomer(newcomer, by=user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("%(reference)s is anonymised. Only figures for statistics remain.")
                % {"reference": newcomer.reference},
            )
            return redirect("newcomer_detail", pk=newcomer.pk)
        status = 400
    else:
        status = 200
    context = {"newcomer": newcomer, "form": form}
    return render(request, "privacy/erase.html", context, status=status)


@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """Record that the newcomer withdrew a consent (told a Lotse, wrote in). Withdrawing the
    consent to processing puts the newcomer on the head's erasure list."""
    user = require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user).not_anonymised(), pk=pk)
    consent = get_object_or_404(
        ConsentRecord.objects.filter(newcomer=newcomer, withdrawn_at__isnull=True), pk=consent_pk
    )
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        if consent.scope == ConsentScope.PROCESSING:
            _tell_heads_about_withdrawal(newcomer)
    messages.success(request, _("The withdrawal of consent is recorded."))
    return redirect("newcomer_detail", pk=newcomer.pk)


def _tell_heads_about_withdrawal(newcomer: Newcomer) -> None:
    heads = User.objects.filter(is_active=True, role="head")
    notifications = []
    for head in heads:
        with override(head.language):
            text = _("%(reference)s withdrew consent to processing: please anonymise.") % {
                "reference": newcomer.reference
            }
        notifications.append(Notification(recipient=head, text=text, url=reverse("retention")))
    Notification.objects.bulk_create(notifications)


# ---- retention and the record of processing ----------------------------------------------


def retention(request: HttpRequest) -> HttpResponse:
    """The retention period, who is due next month (the nightly job anonymises them on their
    date), and who withdrew consent and waits for the head."""
    user = require_head(request)
    policy = RetentionPolicy.current()
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST":
        if form.is_valid():
            policy = form.save(commit=False)
            policy.updated_by = user
            policy.updated_at = timezone.now()
            policy.save()
            messages.success(request, _("The retention period is saved."))
            return redirect("retention")
        status = 400
    else:
        status = 200
    next_month = timezone.now() + timedelta(days=31)
    due = services.due_for_erasure(on=next_month, months=policy.months)
    page = Paginator(due.only("pk", "reference", "created_at"), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        (newcomer, services.retention_due_date(newcomer, months=policy.months))
        for newcomer in page.object_list
    ]
    context = {
        "form": form,
        "policy": policy,
        "page": page,
        "rows": rows,
        "withdrawn": services.consent_withdrawn()[:100],
        "now": timezone.now(),
    }
    return render(request, "privacy/retention.html", context, status=status)


def processing_register(request: HttpRequest) -> HttpResponse:
    require_head(request)
    return render(request, "privacy/register.html", {"activities": ACTIVITIES})
