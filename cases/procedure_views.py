"""The § 81a accelerated procedure on a case: start it, date its steps."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import procedure
from cases.models import AcceleratedProcedure
from cases.procedure_forms import ProcedureForm
from cases.views import _get_case


@require_POST
def procedure_start(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    procedure.start_procedure(case, by=user)
    messages.success(request, _("§ 81a accelerated procedure started: date its steps below."))
    return redirect("procedure_edit", reference=case.reference)


def procedure_edit(request: HttpRequest, reference: str) -> HttpResponse:
    user, case = _get_case(request, reference)
    accelerated = get_object_or_404(AcceleratedProcedure, case=case)
    form = ProcedureForm(
        request.POST or None, instance=AcceleratedProcedure.objects.get(pk=accelerated.pk)
    )
    context = {"case": case, "form": form, "steps": procedure.steps(accelerated)}
    if request.method != "POST":
        return render(request, "cases/procedure_form.html", context)
    if not form.is_valid():
        return render(request, "cases/procedure_form.html", context, status=400)
    dates = {step: form.cleaned_data.get(step) for step in procedure.STEPS}
    changed = procedure.date_steps(accelerated, dates, by=user)
    if changed:
        messages.success(request, _("§ 81a procedure updated."))
    return redirect("case_detail", reference=case.reference)
