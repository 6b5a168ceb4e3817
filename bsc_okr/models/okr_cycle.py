import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..engine import periods
from .bsc_period import month_label

#: The phases in which a cycle takes new objectives and learning plans.
OPEN_STATES = ("planning", "running")
#: The phases whose objectives are shown as "this cycle's".
CURRENT_STATES = ("running", "grading")


class OkrCycle(models.Model):
    """A period in which OKRs are set, checked in on and graded.

    Quarters by default; learning plans run on monthly cycles. The state is
    the rhythm of the cycle: objectives are written while *planning*, checked
    in on while *running*, graded while *grading*, and frozen once *closed*.
    Key result grades are stored computes that start counting when the cycle
    enters grading, so moving the state is all grading takes.
    """

    _name = "okr.cycle"
    _description = "OKR Cycle"
    _inherit = ["mail.thread", "bsc.authored.text.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    cycle_type = fields.Selection(
        selection=[
            ("quarter", "Quarter"),
            ("month", "Month"),
            ("custom", "Custom"),
        ],
        required=True,
        default="quarter",
        help="Quarters are the usual OKR rhythm; monthly cycles carry the "
        "propose/learn/decide steps of learning plans.",
    )
    state = fields.Selection(
        selection=[
            ("planning", "Planning"),
            ("running", "Running"),
            ("grading", "Grading"),
            ("closed", "Closed"),
        ],
        required=True,
        default="planning",
        readonly=True,
        copy=False,
        tracking=True,
        help="Planning: objectives are written. Running: check-ins. Grading: "
        "each key result gets its grade from its progress and owners review "
        "them. Closed: nothing moves any more.",
    )
    objective_ids = fields.One2many("okr.objective", "cycle_id")
    objective_count = fields.Integer(compute="_compute_objective_count")

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_end >= date_start)",
            "A cycle cannot end before it starts.",
        ),
        (
            "start_uniq",
            "UNIQUE(company_id, cycle_type, date_start)",
            "A cycle of this type already starts on that day in this company.",
        ),
    ]

    @api.depends("objective_ids")
    def _compute_objective_count(self):
        counts = dict(
            self.env["okr.objective"]._read_group(
                [("cycle_id", "in", self.ids)], ["cycle_id"], ["__count"]
            )
        )
        for cycle in self:
            cycle.objective_count = counts.get(cycle, 0)

    @api.onchange("cycle_type", "date_start")
    def _onchange_dates(self):
        """Fill the end date and the name from the start of a quarter or month."""
        for cycle in self:
            if not cycle.date_start or cycle.cycle_type == "custom":
                continue
            start, end = self._default_bounds(cycle.cycle_type, cycle.date_start)
            cycle.date_start, cycle.date_end = start, end
            cycle.name = self._default_name(cycle.cycle_type, start, end)

    @api.constrains("date_start", "date_end", "cycle_type")
    def _check_dates(self):
        for cycle in self:
            if cycle.cycle_type == "custom":
                continue
            start, end = self._default_bounds(cycle.cycle_type, cycle.date_start)
            if (cycle.date_start, cycle.date_end) != (start, end):
                raise ValidationError(
                    self.env._(
                        "A %(type)s cycle must run from %(start)s to %(end)s; "
                        "choose 'Custom' for other dates.",
                        type=dict(
                            self._fields["cycle_type"]._description_selection(self.env)
                        )[cycle.cycle_type],
                        start=format_date(self.env, start),
                        end=format_date(self.env, end),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        cycles = super().create(vals_list)
        cycles._bsc_localize_names()
        return cycles

    def write(self, vals):
        if "state" in vals and not self.env.su:
            # The state moves only through the action methods, which check
            # the preconditions (see _set_state).
            raise UserError(
                self.env._("Use the buttons of the cycle to change its state.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_empty(self):
        for cycle in self:
            if cycle.objective_ids:
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s holds objectives; close it instead "
                        "of deleting it.",
                        cycle=cycle.display_name,
                    )
                )

    def _set_state(self, new_state, allowed_from):
        """Move the cycles to ``new_state``; the single place the state changes."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for cycle in self:
            if cycle.state not in allowed_from:
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is %(state)s; it cannot move to "
                        "%(new_state)s.",
                        cycle=cycle.display_name,
                        state=labels[cycle.state],
                        new_state=labels[new_state],
                    )
                )
        # The ACL already limits writing cycles to OKR administrators; sudo
        # only lifts the guard of write() against direct state changes.
        self.check_access("write")
        self.sudo().write({"state": new_state})

    def action_start(self):
        """Planning -> running: check-ins open."""
        self._set_state("running", ("planning",))
        return True

    def action_start_grading(self):
        """Running -> grading: grades are computed, owners are reminded."""
        self._set_state("grading", ("running",))
        self.objective_ids.filtered(lambda o: o.state == "active")._notify_grading()
        return True

    def action_back_to_running(self):
        """Grading -> running, e.g. when grading was started too early."""
        self._set_state("running", ("grading",))
        return True

    def action_close(self):
        """Grading -> closed: active objectives become graded, check-ins stop."""
        self._set_state("closed", ("grading",))
        # The cycle's rights were checked by _set_state; grading follows.
        self.objective_ids.filtered(
            lambda o: o.state == "active"
        )._okr_apply_system_state("graded")
        return True

    def action_generate_next(self):
        """Create (or find) the cycle that follows each of these; open it."""
        cycles = self.browse()
        for cycle in self:
            start, end = cycle._next_bounds()
            existing = self.search(
                [
                    ("company_id", "=", cycle.company_id.id),
                    ("cycle_type", "=", cycle.cycle_type),
                    ("date_start", "=", start),
                ],
                limit=1,
            )
            cycles |= existing or self.create(
                {
                    "name": self._default_name(cycle.cycle_type, start, end),
                    "company_id": cycle.company_id.id,
                    "cycle_type": cycle.cycle_type,
                    "date_start": start,
                    "date_end": end,
                }
            )
        action = {
            "type": "ir.actions.act_window",
            "res_model": "okr.cycle",
            "name": self.env._("Next Cycles"),
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", cycles.ids)],
        }
        if len(cycles) == 1:
            action.update(views=[(False, "form")], res_id=cycles.id)
        return action

    def action_view_objectives(self):
        """The objectives of this cycle."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_objective_action"
        )
        action["domain"] = [("cycle_id", "=", self.id)]
        action["context"] = {"default_cycle_id": self.id}
        return action

    # Business methods
    @api.model
    def _okr_kind_domain(self, learning=False):
        """OKRs run on quarters and custom cycles, learning plans on months."""
        return [("cycle_type", "=" if learning else "!=", "month")]

    @api.model
    def _okr_open_cycles_domain(self, learning=False):
        """The cycles a new objective (``learning``: a new learning plan) may
        be written in: planned or running ones, of the right kind."""
        return [("state", "in", OPEN_STATES), *self._okr_kind_domain(learning)]

    @api.model
    def _okr_open_cycles_field_domain(self, learning):
        """:meth:`_okr_open_cycles_domain` as the domain of a cycle field,
        evaluated by the web client; ``learning`` is a bool or the name of
        the record's field that says whether it is a learning goal."""
        is_month = learning if isinstance(learning, str) else repr(bool(learning))
        return (
            f"[('state', 'in', {list(OPEN_STATES)!r}), "
            f"('cycle_type', '=' if {is_month} else '!=', 'month')]"
        )

    @api.model
    def _okr_open_cycles(self, learning=False):
        """The open cycles, as offered on the forms: the latest quarter
        first, the months of learning plans in calendar order."""
        return self.search(
            self._okr_open_cycles_domain(learning),
            order="date_start" if learning else "date_start desc",
        )

    @api.model
    def _okr_listed_cycles(self, learning=False, limit=40):
        """The cycles one may browse objectives by, latest first."""
        return self.search(
            self._okr_kind_domain(learning), order="date_start desc", limit=limit
        )

    @api.model
    def _okr_browsed_cycle(self, cycle_id, learning=False):
        """The cycle a page that browses objectives by cycle shows for the
        id ``cycle_id`` (an int or None): that cycle when it is listed
        (:meth:`_okr_listed_cycles`), else the current one."""
        listed = self._okr_listed_cycles(learning)
        return listed.filtered(lambda c: c.id == cycle_id) or self._okr_current_cycle(
            learning
        )

    @api.model
    def _okr_pick_cycle(self, candidates):
        """The first cycle found by ``candidates``, ``[(domain, order)]``
        tried in turn, or no cycle."""
        for domain, order in candidates:
            cycle = self.search(domain, order=order, limit=1)
            if cycle:
                return cycle
        return self.browse()

    @api.model
    def _okr_current_cycle(self, learning=False):
        """The cycle whose objectives one looks at now: the running (or
        grading) cycle that holds today, else the latest one not closed."""
        today = fields.Date.context_today(self)
        kind = self._okr_kind_domain(learning)
        return self._okr_pick_cycle(
            [
                (
                    [
                        *kind,
                        ("state", "in", CURRENT_STATES),
                        ("date_start", "<=", today),
                        ("date_end", ">=", today),
                    ],
                    "date_start desc",
                ),
                ([*kind, ("state", "!=", "closed")], "date_start desc"),
            ]
        )

    @api.model
    def _okr_default_cycle(self, learning=False):
        """The cycle a new objective is written in: the running quarter (or
        custom cycle) that holds today, else the latest running one, else the
        next one in planning. Monthly cycles carry learning plans only: for
        a learning plan (``learning``), the first open month not ended."""
        today = fields.Date.context_today(self)
        if learning:
            return self._okr_pick_cycle(
                [
                    (
                        [
                            ("company_id", "=", self.env.company.id),
                            *self._okr_open_cycles_domain(learning=True),
                            ("date_end", ">=", today),
                        ],
                        "date_start",
                    )
                ]
            )
        base = [
            *self._okr_kind_domain(),
            ("company_id", "in", [self.env.company.id, False]),
        ]
        return self._okr_pick_cycle(
            [
                (base + domain, order)
                for domain, order in (
                    (
                        [
                            ("state", "=", "running"),
                            ("date_start", "<=", today),
                            ("date_end", ">=", today),
                        ],
                        "date_start desc",
                    ),
                    ([("state", "=", "running")], "date_start desc"),
                    (
                        [("state", "=", "planning"), ("date_end", ">=", today)],
                        "date_start",
                    ),
                    ([("state", "=", "planning")], "date_start desc"),
                )
            ]
        )

    @api.model
    def _default_bounds(self, cycle_type, day):
        """First and last day of the quarter or month of ``day``."""
        if cycle_type == "month":
            return periods.month_range(day)
        return periods.quarter_range(day)

    @api.model
    def _default_name(self, cycle_type, date_start, date_end):
        """'Q3 2026' for a quarter, 'Jul 2026' for a month, else the range."""
        if cycle_type == "quarter":
            return self.env._(
                "Q%(quarter)s %(year)s",
                quarter=(date_start.month - 1) // 3 + 1,
                year=date_start.year,
            )
        if cycle_type == "month":
            return month_label(date_start, self.env.lang)
        return self.env._(
            "%(start)s - %(end)s",
            start=format_date(self.env, date_start),
            end=format_date(self.env, date_end),
        )

    def _bsc_localize_names(self, langs=None):
        """Name these cycles in every active language ('Q4 2026', '2026 年第
        4 季') while their name is the generated one; also called when a
        language is loaded, for the cycles created before it."""
        self._bsc_localize_generated(
            "name",
            lambda cycle: cycle._default_name(
                cycle.cycle_type, cycle.date_start, cycle.date_end
            ),
            langs,
        )

    def _next_bounds(self):
        """Start and end of the cycle that follows this one."""
        self.ensure_one()
        if self.cycle_type == "quarter":
            return self._default_bounds("quarter", periods.next_quarter(self.date_end))
        if self.cycle_type == "month":
            return self._default_bounds("month", periods.next_month(self.date_end))
        length = self.date_end - self.date_start
        start = self.date_end + datetime.timedelta(days=1)
        return start, start + length
