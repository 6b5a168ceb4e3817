import datetime
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..engine import periods
from .bsc_period import month_label

#: The phases in which a cycle takes new objectives and learning plans.
OPEN_STATES = ("planning", "running")
#: The phases whose objectives are shown as "this cycle's".
CURRENT_STATES = ("running", "grading")
#: The cycles whose next one the daily job plans ahead; a custom cycle (a
#: pilot, a sprint) is a one-off.
RECURRING_TYPES = ("quarter", "month")
#: Cycles one call of the daily job moves; the cron runner commits after
#: each call and calls again while some are left (the progress API).
ADVANCE_BATCH = 20

_logger = logging.getLogger(__name__)


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
    _inherit = ["okr.notify.mixin", "mail.thread", "bsc.authored.text.mixin"]
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
    grading_date = fields.Date(
        string="Grading Opened On",
        readonly=True,
        copy=False,
        help="The day grading opened; the grading reminder and the grace "
        "period of the company count from it.",
    )
    grading_reminder_date = fields.Date(
        string="Grading Reminder Sent On",
        readonly=True,
        copy=False,
        help="The day the owners who had not graded yet were reminded; the "
        "reminder goes out once per grading.",
    )
    next_cycle_id = fields.Many2one(
        "okr.cycle",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The cycle that follows this one, planned ahead so that people "
        "can draft their next OKRs before this one ends.",
    )
    automation_error_date = fields.Date(
        readonly=True,
        copy=False,
        help="The last day the daily job could not move this cycle (the "
        "server log says why); it tries again the next day.",
    )
    objective_count = fields.Integer(compute="_compute_objective_count")
    missing_retrospective_ids = fields.Many2many(
        "okr.objective",
        compute="_compute_missing_retrospective_ids",
        string="Without Retrospective",
        help="The objectives of this cycle, as far as you may see them, that "
        "ran and have no retrospective yet.",
    )
    missing_retrospective_count = fields.Integer(
        compute="_compute_missing_retrospective_ids"
    )

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

    @api.depends_context("uid")
    @api.depends("objective_ids.retrospective_ids", "objective_ids.state")
    def _compute_missing_retrospective_ids(self):
        # With the reader's rights: the cycle is everybody's calendar, the
        # objectives are not.
        missing = self.env["okr.objective"].search(
            [*self._okr_missing_retrospectives_domain(), ("cycle_id", "in", self.ids)]
        )
        for cycle in self:
            cycle.missing_retrospective_ids = missing.filtered(
                lambda o, c=cycle: o.cycle_id == c
            )
            cycle.missing_retrospective_count = len(cycle.missing_retrospective_ids)

    @api.model
    def _okr_missing_retrospectives_domain(self):
        """The objectives that ran and have no retrospective."""
        return [
            ("state", "in", ("active", "graded")),
            ("has_retrospective", "=", False),
        ]

    def action_view_missing_retrospectives(self):
        """The objectives of this cycle still without a retrospective."""
        self.ensure_one()
        action = self.action_view_objectives()
        action["name"] = self.env._("Objectives without Retrospective")
        action["domain"] = [
            ("cycle_id", "=", self.id),
            *self._okr_missing_retrospectives_domain(),
        ]
        return action

    @api.onchange("cycle_type", "date_start")
    def _onchange_dates(self):
        """Fill the end date and the name from the start of a quarter or month."""
        for cycle in self:
            if not cycle.date_start or cycle.cycle_type == "custom":
                continue
            start, end = self._default_bounds(cycle.cycle_type, cycle.date_start)
            cycle.date_start, cycle.date_end = start, end
            cycle.name = self._default_name(cycle.cycle_type, start, end)

    @api.constrains("date_start", "date_end", "cycle_type", "company_id")
    def _check_overlap(self):
        """Two cycles of one type in one company never share a day: the
        daily job, the default cycle and the reports all assume one current
        quarter (month, custom cycle) at a time. A custom cycle may run
        inside a quarter."""
        for cycle in self:
            other = self.search(
                [
                    ("id", "!=", cycle.id),
                    ("company_id", "=", cycle.company_id.id),
                    ("cycle_type", "=", cycle.cycle_type),
                    ("date_start", "<=", cycle.date_end),
                    ("date_end", ">=", cycle.date_start),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "The cycle %(cycle)s (%(start)s to %(end)s) overlaps "
                        "%(other)s (%(other_start)s to %(other_end)s); cycles "
                        "of one type cannot share a day.",
                        cycle=cycle.name,
                        start=format_date(self.env, cycle.date_start),
                        end=format_date(self.env, cycle.date_end),
                        other=other.name,
                        other_start=format_date(self.env, other.date_start),
                        other_end=format_date(self.env, other.date_end),
                    )
                )

    @api.model
    def _check_date_order(self, name, date_start, date_end):
        """Refuse an end before the start with a message, before the
        database's CHECK would refuse it with a bare error."""
        start = fields.Date.to_date(date_start)
        end = fields.Date.to_date(date_end)
        if start and end and end < start:
            raise ValidationError(
                self.env._(
                    "The cycle %(cycle)s cannot end on %(end)s, before it "
                    "starts on %(start)s.",
                    cycle=name or "",
                    start=format_date(self.env, start),
                    end=format_date(self.env, end),
                )
            )

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
        for vals in vals_list:
            self._check_date_order(
                vals.get("name"), vals.get("date_start"), vals.get("date_end")
            )
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
        if {"date_start", "date_end"} & set(vals):
            for cycle in self:
                self._check_date_order(
                    vals.get("name", cycle.name),
                    vals.get("date_start", cycle.date_start),
                    vals.get("date_end", cycle.date_end),
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

    def _set_state(self, new_state, allowed_from, extra_vals=None):
        """Move the cycles to ``new_state``; the single place the state
        changes. ``extra_vals``: the dates the step records with it."""
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
        self.sudo().write({"state": new_state, **(extra_vals or {})})

    def action_start(self):
        """Planning -> running: check-ins open."""
        self._set_state("running", ("planning",))
        return True

    def action_start_grading(self):
        """Running -> grading: grades are computed, owners are asked to
        review them (an activity each, and the "grading is open" message)."""
        self._set_state(
            "grading",
            ("running",),
            {
                "grading_date": fields.Date.context_today(self),
                "grading_reminder_date": False,
            },
        )
        for cycle in self:
            active = cycle.objective_ids.filtered(lambda o: o.state == "active")
            active._notify_grading()
            cycle._okr_send_template(
                "bsc_okr.okr_cycle_mail_template_grading_open",
                active._okr_people_to_notify(),
            )
        return True

    def action_back_to_running(self):
        """Grading -> running, e.g. when grading was started too early."""
        self._set_state("running", ("grading",))
        return True

    def action_close(self):
        """Grading -> closed: active objectives become graded, check-ins stop,
        the objectives whose retrospective says so are carried over into the
        next cycle, and the chatter counts those left without a
        retrospective."""
        self._set_state("closed", ("grading",))
        # The cycle's rights were checked by _set_state; grading follows.
        self.objective_ids.filtered(
            lambda o: o.state == "active"
        )._okr_apply_system_state("graded")
        for cycle in self:
            cycle._okr_close_retrospectives()
        for cycle in self:
            cycle._okr_send_template(
                "bsc_okr.okr_cycle_mail_template_closed",
                cycle.objective_ids.filtered(
                    lambda o: o.state == "graded"
                )._okr_people_to_notify(),
            )
        return True

    def _okr_close_retrospectives(self):
        """At close: carry over the objectives whose next step is "carry
        over" (not carried yet), and say in the chatter how many were
        carried and how many closed without a retrospective (counts only:
        the cycle's chatter is everybody's, the objectives' titles are not;
        the cycle's form lists them to whoever may read them)."""
        self.ensure_one()
        # The user closes the cycle (an OKR administrator or the daily job):
        # every objective of it is theirs to grade and carry.
        objectives = self.objective_ids.filtered(lambda o: o.state == "graded")
        to_carry = objectives.retrospective_ids.filtered(
            lambda r: r.next_step == "carry_over"
        ).objective_id.filtered(lambda o: not o.carried_to_ids)
        copies = to_carry._okr_carry_over(closing=True)
        missing = objectives.filtered(lambda o: not o.retrospective_ids)
        notes = []
        if copies:
            notes.append(
                self.env._(
                    "%(count)s objectives were carried over to %(cycle)s.",
                    count=len(copies),
                    cycle=copies[:1].cycle_id.display_name,
                )
            )
        if missing:
            notes.append(
                self.env._(
                    "%(count)s objectives closed without a retrospective.",
                    count=len(missing),
                )
            )
        if notes:
            self.message_post(body=" ".join(notes), subtype_xmlid="mail.mt_note")
        return copies

    def action_generate_next(self):
        """Create (or find) the cycle that follows each of these; open it."""
        cycles = self._okr_ensure_next()
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

    def _okr_ensure_next(self):
        """The cycle that follows each of these, found or created in
        planning, and remembered as ``next_cycle_id``: never two."""
        cycles = self.browse()
        for cycle in self:
            start, end = cycle._next_bounds()
            following = self.search(
                [
                    ("company_id", "=", cycle.company_id.id),
                    ("cycle_type", "=", cycle.cycle_type),
                    ("date_start", "=", start),
                ],
                limit=1,
            ) or self.create(
                {
                    "name": self._default_name(cycle.cycle_type, start, end),
                    "company_id": cycle.company_id.id,
                    "cycle_type": cycle.cycle_type,
                    "date_start": start,
                    "date_end": end,
                }
            )
            if cycle.next_cycle_id != following:
                cycle.next_cycle_id = following
            cycles |= following
        return cycles

    # ------------------------------------------------------------------
    # The daily job: cycles that run themselves
    # ------------------------------------------------------------------
    @api.model
    def _cron_advance(self):
        """Daily: move each cycle by its dates (see :meth:`_okr_next_step`).

        One batch of cycles per call; the cron runner commits and calls
        again while cycles are left (the progress API of ir.cron), so a crash
        loses one batch's transaction and nothing else. Each step is recorded
        on the cycle (its state, ``grading_reminder_date``, ``next_cycle_id``)
        before the transaction commits, so a rerun, the same day or after a
        crash, finds nothing left to do for what was done. A cycle whose step
        fails is rolled back alone, logged, and left until the next day.
        """
        today = fields.Date.context_today(self)
        due = self._okr_due_cycles(today)
        batch = due[:ADVANCE_BATCH]
        for cycle in batch:
            cycle._okr_advance(today)
        remaining = len(self._okr_due_cycles(today))
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    @api.model
    def _okr_due_cycles(self, today):
        """The cycles with a step due ``today`` (not those that failed today)."""
        candidates = self.search(
            [
                ("state", "!=", "closed"),
                "|",
                ("automation_error_date", "=", False),
                ("automation_error_date", "!=", today),
            ],
            order="date_start, id",
        )
        return candidates.filtered(lambda cycle: cycle._okr_next_step(today))

    def _okr_next_step(self, today):
        """The step this cycle waits for on ``today``, or None.

        - ``plan_next``: a running (or grading) quarter or month without its
          next cycle;
        - ``start``: planning, its start date has come;
        - ``grade``: running, its end date has come;
        - ``close``: grading, and every objective graded or the company's
          grace period over;
        - ``remind``: grading, the company's reminder delay over, some owners
          have not graded, and no reminder went out yet.
        """
        self.ensure_one()
        company = self.company_id
        if (
            self.state in CURRENT_STATES
            and self.cycle_type in RECURRING_TYPES
            and not self.next_cycle_id
        ):
            return "plan_next"
        if self.state == "planning" and self.date_start <= today:
            return "start"
        if self.state == "running" and self.date_end <= today:
            return "grade"
        if self.state == "grading":
            if (
                not self._okr_ungraded_objectives(limit=1)
                or today >= self._okr_grading_close_date()
            ):
                return "close"
            reminder = self._okr_grading_opened_date() + datetime.timedelta(
                days=company.okr_grading_reminder_days
            )
            if not self.grading_reminder_date and today >= reminder:
                return "remind"
        return None

    def _okr_ungraded_objectives(self, limit=None):
        """The objectives of this cycle still waiting for their grading."""
        self.ensure_one()
        return self.env["okr.objective"].search(
            [("cycle_id", "=", self.id), ("state", "=", "active")], limit=limit
        )

    def _okr_advance(self, today):
        """Take every step due on ``today`` (a cycle the job had not seen
        for a while may start, be graded and plan its next one at once),
        each logged in the chatter; on an error, roll this cycle back, log
        it, and leave it until tomorrow."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                # A planning cycle may be due a step again after its start;
                # five steps are the whole life of a cycle.
                for _i in range(5):
                    step = self._okr_next_step(today)
                    if not step:
                        break
                    note = getattr(self, f"_okr_step_{step}")(today)
                    self.message_post(body=note, subtype_xmlid="mail.mt_note")
        except (UserError, psycopg2.Error):
            _logger.exception("okr.cycle %s: the daily step failed", self.id)
            self.env.invalidate_all()
            self.automation_error_date = today

    def _okr_step_plan_next(self, today):
        following = self._okr_ensure_next()
        return self.env._(
            "The next cycle, %(cycle)s, is ready for planning.",
            cycle=following.display_name,
        )

    def _okr_step_start(self, today):
        self.action_start()
        return self.env._("Started automatically: its start date has come.")

    def _okr_step_grade(self, today):
        self.action_start_grading()
        return self.env._(
            "Grading opened automatically: its end date has come. The owners "
            "are asked to review their grades."
        )

    def _okr_step_remind(self, today):
        people = self._okr_ungraded_objectives()._okr_people_to_notify()
        self._okr_send_template(
            "bsc_okr.okr_cycle_mail_template_grading_reminder", people
        )
        self.grading_reminder_date = today
        return self.env._(
            "Grading reminder sent to the %(count)s owners who have not graded yet.",
            count=len(people),
        )

    def _okr_step_close(self, today):
        graded = not self._okr_ungraded_objectives(limit=1)
        self.action_close()
        if graded:
            return self.env._("Closed automatically: every objective is graded.")
        return self.env._(
            "Closed automatically: the grace period of %(days)s days is over; "
            "the objectives left were graded as they stood.",
            days=self.company_id.okr_grading_grace_days,
        )

    def _okr_grading_opened_date(self):
        """The day grading opened (the end date for a cycle graded before
        the day was recorded)."""
        self.ensure_one()
        return self.grading_date or self.date_end

    def _okr_grading_close_date(self):
        """The day this cycle closes by itself at the latest."""
        self.ensure_one()
        return self._okr_grading_opened_date() + datetime.timedelta(
            days=self.company_id.okr_grading_grace_days
        )

    def _okr_send_template(self, xmlid, people):
        """Send the template ``xmlid`` about this cycle to each user of
        ``people`` (``{user: objectives}``), in their language, listing their
        objectives with links they can open (``/my`` for portal users).

        Delivery, language and broken templates are handled by
        :meth:`okr.notify.mixin._okr_notify_template`.
        """
        self.ensure_one()
        for user, objectives in people.items():
            lang = self._okr_recipient_lang(user)
            self._okr_notify_template(
                xmlid,
                user,
                add_context={
                    "okr_close_date": format_date(
                        self.env, self._okr_grading_close_date(), lang_code=lang
                    ),
                    "okr_items": [
                        {
                            "name": objective.with_context(lang=lang).name,
                            "url": objective._okr_notification_url(user),
                        }
                        for objective in objectives
                    ],
                },
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
