from odoo import api, models

#: Groups that give a user more to do in Strategy & OKR than their own OKRs;
#: such a user's home action is chosen by whoever sets up their roles.
OKR_ROLE_GROUPS = (
    "bsc_okr.group_okr_manager",
    "bsc_okr.group_strategy_officer",
    "bsc_okr.group_executive",
    "bsc_okr.group_kpi_appraisal",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        """A new internal user who is only an OKR user opens on My OKRs: the
        five minutes after a first login are spent on their own objectives,
        not on an empty Discuss."""
        users = super().create(vals_list)
        action = self.env.ref("bsc_okr.okr_objective_action", raise_if_not_found=False)
        if action:
            users.filtered(
                lambda user: (
                    not user.action_id
                    and not user.share
                    and user.has_group("bsc_okr.group_okr_user")
                    and not any(user.has_group(group) for group in OKR_ROLE_GROUPS)
                )
            ).action_id = action.id
        return users
