from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError


class OkrObjective(models.Model):
    """The end of an objective's cycle: its retrospective and, when the next
    step is to carry it over, its copy in the next cycle.

    Carrying over copies the objective into the cycle that follows its own
    (found, or planned as the daily job would): same owner, level, type,
    visibility, alignment and strategic objective, each key result starting
    from its last value. The copy is a draft (it goes through approval
    again) and points back to the original (``carried_from_id``); the
    original keeps its grade and history. An objective is carried once.
    """

    _inherit = "okr.objective"  # pylint: disable=consider-merging-classes-inherited

    retrospective_ids = fields.One2many("okr.retrospective", "objective_id")
    retrospective_id = fields.Many2one(
        "okr.retrospective",
        compute="_compute_retrospective_id",
    )
    has_retrospective = fields.Boolean(
        compute="_compute_retrospective_id", search="_search_has_retrospective"
    )
    carried_from_id = fields.Many2one(
        "okr.objective",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The objective of an earlier cycle this one continues.",
    )
    carried_to_ids = fields.One2many(
        "okr.objective",
        "carried_from_id",
        readonly=True,
        help="The objective of a later cycle that continues this one.",
    )

    @api.depends("retrospective_ids")
    def _compute_retrospective_id(self):
        for objective in self:
            objective.retrospective_id = objective.retrospective_ids[:1]
            objective.has_retrospective = bool(objective.retrospective_ids)

    def _search_has_retrospective(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Has Retrospective'."))
        if (operator == "=") == value:
            return [("retrospective_ids", "!=", False)]
        return [("retrospective_ids", "=", False)]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # The link is made by the carry-over only (_okr_carry_over).
                vals.pop("carried_from_id", None)
        return super().create(vals_list)

    def write(self, vals):
        if "carried_from_id" in vals and not self.env.su:
            raise UserError(
                self.env._("Use 'Carry Over' to continue an objective in a new cycle.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Retrospective
    # ------------------------------------------------------------------
    def _okr_write_retrospective(self, vals):
        """Create or update the retrospective of this objective with
        ``vals`` (the back end, the portal and RPC come through the model's
        rights, see okr.retrospective._okr_check_rights)."""
        self.ensure_one()
        if self.retrospective_id:
            self.retrospective_id.write(vals)
            return self.retrospective_id
        return self.env["okr.retrospective"].create(dict(vals, objective_id=self.id))

    def _okr_retrospective_open_to_owner(self):
        """Whether the current user may write the owner's part of this
        objective's retrospective now: its owner, while the cycle is graded
        (what okr.retrospective._okr_check_rights enforces; the portal asks
        this to show the form)."""
        self.ensure_one()
        return (
            self.cycle_id.state == "grading"
            and self.state in ("active", "graded")
            and self.owner_user_id == self.env.user
        )

    def action_open_retrospective(self):
        """The retrospective of this objective (a new one when it has none)."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Retrospective"),
            "res_model": "okr.retrospective",
            "views": [(False, "form")],
            "target": "current",
        }
        if self.retrospective_id:
            action["res_id"] = self.retrospective_id.id
        else:
            action["context"] = {"default_objective_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Carry-over
    # ------------------------------------------------------------------
    def _okr_ensure_carriable(self, closing=False):
        user = self.env.user
        managed = self._okr_managed_by_user() if not self.env.su else self
        for objective in self:
            if objective.owner_user_id != user and objective not in managed:
                raise AccessError(
                    self.env._(
                        "Only the owner of %(objective)s and their managers carry "
                        "it over.",
                        objective=objective.name,
                    )
                )
            if objective.carried_to_ids:
                raise UserError(
                    self.env._(
                        "The objective %(objective)s was already carried over "
                        "to %(cycle)s; an objective is carried once.",
                        objective=objective.name,
                        # Only the name of the next cycle, no OKR data.
                        cycle=objective.carried_to_ids.sudo()[:1].cycle_id.name,
                    )
                )
            if objective.state not in ("active", "graded"):
                raise UserError(
                    self.env._(
                        "The objective %(objective)s is not running: only an "
                        "active or graded objective is carried over.",
                        objective=objective.name,
                    )
                )
            if objective.cycle_id.state == "closed" and not closing:
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is closed: its objectives were "
                        "carried over when it closed.",
                        cycle=objective.cycle_id.name,
                    )
                )

    def _okr_carry_over_vals(self, target_cycle, carried):
        """The values of the copy of this objective in ``target_cycle``;
        ``carried``: ``{original id: copy}`` of the objectives carried with
        it, so that an aligned child follows its carried parent."""
        self.ensure_one()
        parents = self.env["okr.objective.public"].browse(
            [
                carried[parent.id].id if parent.id in carried else parent.id
                for parent in self.parent_ids
            ]
        )
        primary = self.public_parent_id
        if primary.id in carried:
            primary = primary.browse(carried[primary.id].id)
        return {
            "name": self.name,
            "description": self.description,
            "cycle_id": target_cycle.id,
            "company_id": self.company_id.id,
            "level": self.level,
            "owner_id": self.owner_id.id,
            "department_id": self.department_id.id,
            "okr_type": self.okr_type,
            "visibility": self.visibility,
            "member_ids": [Command.set(self.member_ids.ids)],
            "parent_ids": [Command.set(parents.ids)],
            "public_parent_id": primary.id,
            "depends_on_ids": [Command.set(self.depends_on_ids.ids)],
            "bsc_objective_id": self.bsc_objective_id.id,
            "sequence": self.sequence,
            "carried_from_id": self.id,
            "key_result_ids": [
                Command.create(
                    {
                        "name": kr.name,
                        "sequence": kr.sequence,
                        "owner_id": kr.owner_id.id,
                        "contributor_ids": [Command.set(kr.contributor_ids.ids)],
                        "metric_type": kr.metric_type,
                        "unit": kr.unit,
                        "direction": kr.direction,
                        # Each key result starts where it stood.
                        "start_value": kr.current_value,
                        "target_value": kr.target_value,
                        "weight": kr.weight,
                    }
                )
                for kr in self.key_result_ids
            ],
        }

    def _okr_carry_over(self, closing=False):
        """Copy these objectives into the cycle after their own; return the
        copies. Parents are carried before their children."""
        self._okr_ensure_carriable(closing=closing)
        Cycle = self.env["okr.cycle"]
        carried = {}
        copies = self.browse()
        public = self._okr_public()
        for objective in self.sorted(lambda o: (len(o.parent_ids & public), o.id)):
            cycle = objective.cycle_id
            target = cycle.next_cycle_id
            if not target:
                # The user may carry this objective (checked above); planning
                # the next cycle is what the daily job does anyway, and a
                # cycle holds no personal data.
                target = Cycle.browse(cycle.sudo()._okr_ensure_next().ids)
            vals = objective._okr_carry_over_vals(target, carried)
            # The user may carry this objective (the owner or their manager,
            # checked above). The copy is a draft of the owner's, which only
            # the owner may fill in: the system writes it, with the link back.
            copy = self.sudo().create(vals).with_env(self.env)
            carried[objective.id] = copy
            copies |= copy
        for objective in self:
            objective.message_post(
                body=self.env._(
                    "Carried over to %(cycle)s.",
                    cycle=carried[objective.id].cycle_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return copies

    def _okr_public(self):
        return self.env["okr.objective.public"].browse(self.ids)

    def action_carry_over(self):
        """Copy these objectives into the next cycle (before their cycle
        closes; closing carries over those whose retrospective says so) and
        open the copies."""
        copies = self._okr_carry_over()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Carried Over"),
            "res_model": "okr.objective",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", copies.ids)],
        }
        if len(copies) == 1:
            action.update(views=[(False, "form")], res_id=copies.id)
        return action
