"""The annual-cycle admin ("Tahapan & Monev"): stages and reporting windows, verification,
stage comparison, consistency report, quarterly monitoring and dashboard panels. Registered by
`backoffice.planning.cycle_admin`.

For other admin pages (the Renja and Renstra pages of "Perencanaan"):
- `PlanCyclePanel(plan)` — a component with the plan's status badge, why it is locked, and the
  verification buttons (POST forms to this admin, returning to the page): `{% component panel %}`;
- `render_plan_cycle(request, plan, next_url=None)` — the same as HTML;
- `plan_url(plan)` — the plan's page here (status, actions, verification history);
- URL names: see `backoffice.planning.cycle_admin`.
"""

from .common import plan_action_url, plan_url
from .verification import PlanCyclePanel, available_actions, plan_cycle_context, render_plan_cycle

__all__ = ["PlanCyclePanel", "available_actions", "plan_action_url", "plan_cycle_context", "plan_url", "render_plan_cycle"]
