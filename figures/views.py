"""The statistics page, the ESF+ report, their exports, the export jobs and the exit
questionnaire. Head: the whole center; a Lotse: their own caseload; nobody else."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import require_center_staff
from figures import esf, exports, services
from figures.forms import ExitQuestionnaireForm, PeriodForm
from figures.models import ExitQuestionnaire, ExportJob
from figures.periods import Period
from figures.reports import Scope, statistics
from figures.tables import STATISTICS_TABLES, Table, esf_table, statistics_tables
from migrants.models import Newcomer

FORMATS = ("csv", "xlsx")


def _scope(user: User) -> Scope:
    return Scope() if user.is_head else Scope(user.pk)


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None)
    return form, form.get_period()


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _file_name(slug: str, period: Period) -> str:
    return f"{slug}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}"


def statistics_page(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    form, period = _period(request)
    stats = statistics(_scope(user), period)
    context = {
        "form": form,
        "period": period,
        "stats": stats,
        "tables": statistics_tables(stats),
        "whole_center": user.is_head,
    }
    return render(request, "figures/statistics.html", context)


def statistics_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    user = require_center_staff(request)
    if fmt not in FORMATS:
        raise Http404
    build = STATISTICS_TABLES.get(table)
    if build is None:
        raise Http404
    _form, period = _period(request)
    return _export(build(statistics(_scope(user), period)), fmt, period)


def _export(table: Table, fmt: str, period: Period) -> HttpResponse:
    content = exports.table_csv(table) if fmt == "csv" else exports.table_xlsx(table, period)
    return _download(content, fmt, _file_name(table.slug, period))


def esf_page(request: HttpRequest) -> HttpResponse:
    user = require_center_staff(request)
    form, period = _period(request)
    report = esf.esf_report(_scope(user), period)
    context = {
        "form": form,
        "period": period,
        "report": report,
        "columns": esf.COLUMNS,
        "whole_center": user.is_head,
        "formats": FORMATS,
        "jobs": ExportJob.objects.visible_to(user).filter(expires_at__gt=timezone.now())[:5],
    }
    return render(request, "figures/esf.html", context)


def esf_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = require_center_staff(request)
    if fmt not in FORMATS:
        raise Http404
    _form, period = _period(request)
    report = esf.esf_report(_scope(user), period)
    if fmt == "xlsx":
        return _download(exports.esf_xlsx(report), fmt, _file_name("esf", period))
    return _download(exports.table_csv(esf_table(report)), fmt, _file_name("esf", period))


@require_POST
def participants_export(request: HttpRequest) -> HttpResponse:
    """Small lists download at once; more than services.ASYNC_EXPORT_ROWS rows are written by
    a Celery task while the export page shows its progress."""
    user = require_center_staff(request)
    fmt = request.POST.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    _form, period = _period(request)
    scope = _scope(user)
    if esf.participants(scope, period).count() <= services.ASYNC_EXPORT_ROWS:
        content = services.participant_file(scope, period, fmt)
        return _download(content, fmt, _file_name("participants", period))
    job = services.start_export(by=user, period=period, fmt=fmt, whole_center=user.is_head)
    messages.info(
        request, _("The list is long: it is being prepared. This page shows when it is ready.")
    )
    return redirect("figures_export", pk=job.pk)


def export_status(request: HttpRequest, pk: str) -> HttpResponse:
    user = require_center_staff(request)
    job = get_object_or_404(ExportJob.objects.visible_to(user), pk=pk)
    template = "figures/_export_status.html" if request.htmx else "figures/export.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def export_download(request: HttpRequest, pk: str) -> FileResponse:
    user = require_center_staff(request)
    job = get_object_or_404(
        ExportJob.objects.visible_to(user).filter(expires_at__gt=timezone.now()),
        pk=pk,
        status=ExportJob.Status.DONE,
    )
    if job.path is None or not job.path.exists():
        raise Http404
    name = f"{_file_name('participants', Period('custom', job.start, job.end))}.{job.format}"
    return FileResponse(job.path.open("rb"), as_attachment=True, filename=name)


def exit_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_center_staff(request)
    newcomer = get_object_or_404(Newcomer.objects.visible_to(user), pk=pk)
    left_on = services.last_case_closed_on(newcomer)
    if left_on is None:
        messages.warning(
            request,
            _("The exit questionnaire is filled in once the newcomer's last case has closed."),
        )
        return redirect("newcomer_detail", pk=newcomer.pk)
    existing = ExitQuestionnaire.objects.filter(newcomer=newcomer).first()
    form = ExitQuestionnaireForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.save_exit_questionnaire(newcomer, by=user, left_on=left_on, **form.cleaned_data)
        messages.success(request, _("Exit questionnaire saved."))
        return redirect("newcomer_detail", pk=newcomer.pk)
    context = {"form": form, "newcomer": newcomer, "left_on": left_on}
    return render(
        request, "figures/exit_questionnaire.html", context, status=400 if form.errors else 200
    )
