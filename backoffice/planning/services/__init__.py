"""Every write to plans that is more than a form save, and the rules those writes keep.

Rules kept on every path (admin, GraphQL, imports):
- a department plans only programs of the bidang urusan it serves, plus the support program
  (generic `X.XX.01…`, written under the department's own bidang code);
- every nomenclature row a plan uses is in force in the plan's year;
- a Renja never exceeds its ceiling, in total and per sumber dana;
- only the principal that `backoffice.access.policy` allows may write.
"""

from .consistency import KINDS as FINDING_KINDS
from .consistency import Finding, consistency_findings
from .cycle import (
    close_due_stages,
    diff_snapshots,
    reopen_stage,
    require_editable,
    return_plan,
    set_plan,
    snapshot_data,
    stage_diff,
    stage_lock_reason,
    submit,
    take_snapshot,
    transition,
    verify,
)
from .imports import RenjaImportReport, import_renja, parse_rupiah
from .monev import (
    Capaian,
    accept_realisasi,
    capaian,
    output_target,
    report_realisasi,
    reporting_lock_reason,
    return_realisasi,
    submit_realisasi,
)
from .plans import (
    ceiling_status,
    check_ceiling,
    delete_renja_row,
    get_or_create_renja,
    save_renja_row,
    save_renstra_element,
    set_ceiling,
    set_published,
)
from .rules import (
    GENERIC_BIDANG,
    SubKegiatanCatalogue,
    allowed_sub_kegiatan,
    check_bidang,
    check_nomenclature_row,
    department_code,
    edition_for,
    generic_code,
    rupiah,
)

__all__ = [
    "Capaian", "accept_realisasi", "capaian", "output_target", "report_realisasi", "reporting_lock_reason",
    "return_realisasi", "submit_realisasi",
    "FINDING_KINDS", "Finding", "close_due_stages", "consistency_findings", "diff_snapshots", "reopen_stage",
    "require_editable", "return_plan", "set_plan", "snapshot_data", "stage_diff", "stage_lock_reason", "submit",
    "take_snapshot", "transition", "verify",
    "GENERIC_BIDANG", "RenjaImportReport", "SubKegiatanCatalogue", "allowed_sub_kegiatan", "ceiling_status", "check_bidang",
    "check_ceiling", "check_nomenclature_row", "delete_renja_row", "department_code", "edition_for", "generic_code",
    "get_or_create_renja", "import_renja", "parse_rupiah", "rupiah", "save_renja_row", "save_renstra_element",
    "set_ceiling", "set_published",
]
