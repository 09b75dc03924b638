"""Public e-Musrenbang downloads outside the admin: the kamus usulan of a year as XLSX, for citizens
and other systems (the same rows as GraphQL `kamusUsulanList`: the public principal's, active only)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from backoffice.access.policy import PUBLIC

from . import tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def kamus_xlsx(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    return xlsx_response(tables.kamus_xlsx(PUBLIC, year), f"kamus-usulan-{year}.xlsx")
